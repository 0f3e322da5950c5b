package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestListPlans checks SQLite's plan of each common list: the page is read
// in order from an index (or the FTS index), never by sorting every match.
// SQLite plans without statistics (the store never runs ANALYZE), so the
// plan on this empty database is the plan at a million tickets. A search
// reads one range of ids from FTS5 and sorts that range's matches (see
// search.go): FTS5 must drive, with both rowid bounds.
func TestListPlans(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	for name, f := range planCases(7, time.Now()) {
		plan, err := store.ExplainTickets(ctx, db, f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lines := strings.Split(plan, "\n")
		if f.Query != "" {
			if len(lines) < 2 || !strings.HasPrefix(lines[1], "SCAN ticket_search VIRTUAL TABLE") || !strings.Contains(lines[1], "<") || !strings.Contains(lines[1], ">") {
				t.Errorf("%s does not read one range of ids from FTS5 first:\n%s", name, plan)
			}
			continue
		}
		for i, line := range lines {
			if line == "SCAN p" {
				break // the rest joins the page's rows to ticket_view
			}
			// A sort is fine only over one merged branch's page (SCAN bN).
			if strings.Contains(line, "TEMP B-TREE") && !strings.HasPrefix(lines[i-1], "SCAN b") {
				t.Errorf("%s sorts every match:\n%s", name, plan)
			}
			if line == "SCAN t" && f.Sort != "" && f.Sort != rapport.SortNewest && f.Sort != rapport.SortOldest {
				t.Errorf("%s scans the whole table:\n%s", name, plan)
			}
		}
	}
}

// planCases are the lists the plans are checked for.
func planCases(id int64, day time.Time) map[string]rapport.TicketFilter {
	return map[string]rapport.TicketFilter{
		"newest":                 {},
		"oldest":                 {Sort: rapport.SortOldest},
		"updated":                {Sort: rapport.SortUpdated},
		"requester":              {RequesterID: &id},
		"requester+status":       {RequesterID: &id, Statuses: []rapport.Status{rapport.StatusNew}},
		"assignee":               {AssigneeID: &id},
		"assignee+statuses":      {AssigneeID: &id, Statuses: []rapport.Status{rapport.StatusOpen, rapport.StatusWaiting}},
		"unassigned":             {Unassigned: true},
		"status":                 {Statuses: []rapport.Status{rapport.StatusWaiting}},
		"statuses":               {Statuses: []rapport.Status{rapport.StatusOpen, rapport.StatusWaiting}},
		"priority":               {Priority: rapport.PriorityCritical},
		"channel":                {Channel: rapport.ChannelPhone},
		"created range":          {CreatedAfter: &day, CreatedBefore: &day},
		"created before, oldest": {CreatedBefore: &day, Sort: rapport.SortOldest},
		"search relevance":       {Query: "password"},
		"search newest":          {Query: "password", Sort: rapport.SortNewest},
		"search requester":       {Query: "password", RequesterID: &id},
		"search updated":         {Query: "password", Sort: rapport.SortUpdated},
		"search status":          {Query: "password", Statuses: []rapport.Status{rapport.StatusNew}},
	}
}

// TestUnassignedListPlans checks that a list of unassigned tickets with a
// status that is not new (All open filtered by "no one", with or without
// a priority) reads the index of unassigned tickets (migration 00015) on
// both databases, at a help desk shaped like the real ones (new tickets
// unassigned, the rest nearly all assigned) with PostgreSQL's statistics:
// PostgreSQL walked every ticket newest first (1-3 s at a million), and the
// page must still be right.
func TestUnassignedListPlans(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		ann := mustUser(t, db, "ann@example.com", rapport.RoleAgent)
		// 4,000 tickets: every 10th new and unassigned, the rest assigned,
		// every 20th critical; two resolved ones left unassigned.
		err := store.ExecSQL(ctx, db, `INSERT INTO tickets (subject, body, status, priority, priority_rank,
			impact_outage, impact_costs_money, impact_blocks_work, channel, requester_id, assignee_id, created_at, updated_at)
			SELECT 's', 'b',
				CASE WHEN n % 10 = 0 THEN 'new' WHEN n % 10 < 4 THEN 'open' WHEN n % 10 < 6 THEN 'waiting' ELSE 'resolved' END,
				CASE WHEN n % 20 = 0 THEN 'critical' ELSE 'normal' END, CASE WHEN n % 20 = 0 THEN 0 ELSE 1 END,
				FALSE, FALSE, FALSE, 'api', ?, CASE WHEN n % 10 = 0 OR n IN (1007, 2008) THEN NULL ELSE CAST(? AS BIGINT) END,
				CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
			FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 4000) SELECT n FROM c) g`, pat.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Times as the store writes them (SQLite keeps text, and
		// CURRENT_TIMESTAMP's has no zone to compare a cursor's with).
		if err := store.ExecSQL(ctx, db, "UPDATE tickets SET created_at = ?, updated_at = ?", time.Now(), time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecSQL(ctx, db, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
		active := []rapport.Status{rapport.StatusNew, rapport.StatusOpen, rapport.StatusWaiting}
		weekAgo := time.Now().Add(-7 * 24 * time.Hour)
		for name, f := range map[string]rapport.TicketFilter{
			"resolved, no one":                   {Statuses: []rapport.Status{rapport.StatusResolved}, Unassigned: true},
			"resolved, no one, oldest":           {Statuses: []rapport.Status{rapport.StatusResolved}, Unassigned: true, Sort: rapport.SortOldest},
			"resolved, no one, updated":          {Statuses: []rapport.Status{rapport.StatusResolved}, Unassigned: true, Sort: rapport.SortUpdated},
			"all open, no one, critical":         {Statuses: active, Unassigned: true, Priority: rapport.PriorityCritical},
			"all open, no one, critical, oldest": {Statuses: active, Unassigned: true, Priority: rapport.PriorityCritical, Sort: rapport.SortOldest},
			"all open, no one, updated":          {Statuses: active, Unassigned: true, Sort: rapport.SortUpdated, Limit: 5},
			"all open, no one, recent":           {Statuses: active, Unassigned: true, CreatedAfter: &weekAgo, Limit: 5},
		} {
			plan, err := store.ExplainTickets(ctx, db, f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !strings.Contains(plan, "tickets_unassigned_") || strings.Contains(plan, "Backward using tickets_pkey") {
				t.Errorf("%s does not read the unassigned tickets' index:\n%s", name, plan)
			}
			if f.Limit > 0 {
				// A later page hides its keyset bound from the indexes
				// (PostgreSQL intersected every queued ticket with every
				// open one on it: 80-140 ms a page at a million); it
				// must still go on where the first page ended.
				first, next, err := db.FindTickets(ctx, f)
				if err != nil || next == "" {
					t.Fatalf("%s: no second page (%v)", name, err)
				}
				page2 := f
				page2.After = next
				plan, err := store.ExplainTickets(ctx, db, page2)
				if err != nil {
					t.Fatalf("%s, page 2: %v", name, err)
				}
				if strings.Contains(plan, "BitmapAnd") || strings.Contains(plan, "tickets_queue") {
					t.Errorf("%s, page 2 intersects indexes:\n%s", name, plan)
				}
				second, _, err := db.FindTickets(ctx, page2)
				if err != nil || len(second) != f.Limit {
					t.Fatalf("%s, page 2: %d tickets (%v)", name, len(second), err)
				}
				last, after := first[len(first)-1], second[0]
				key := func(tk *rapport.Ticket) time.Time {
					if f.Sort == rapport.SortUpdated {
						return tk.UpdatedAt
					}
					return tk.CreatedAt
				}
				if key(after).After(key(last)) || key(after).Equal(key(last)) && after.ID >= last.ID {
					t.Fatalf("%s: page 2 starts at ticket %d (%v), not after ticket %d (%v); first page %v", name, after.ID, key(after), last.ID, key(last), ids(first))
				}
				for _, tk := range second {
					if tk.Assignee != nil || !slices.Contains(f.Statuses, tk.Status) {
						t.Fatalf("%s, page 2: ticket %d (%s, assignee %v) does not belong", name, tk.ID, tk.Status, tk.Assignee)
					}
				}
			}
			got, _, err := db.FindTickets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range got {
				if tk.Assignee != nil || !slices.Contains(f.Statuses, tk.Status) || f.Priority != "" && tk.Priority != f.Priority {
					t.Fatalf("%s: ticket %d (%s, %s, assignee %v) does not belong", name, tk.ID, tk.Status, tk.Priority, tk.Assignee)
				}
			}
			if strings.HasPrefix(name, "resolved") && len(got) != 2 {
				t.Fatalf("%s: %d tickets, want the 2 resolved ones no one has", name, len(got))
			}
		}
	})
}

// TestComboListPlans checks SQLite's plan of every combination of list
// filters that rapport-load measure times at a million tickets: each
// branch reads the index that bounds its work (a requester's or an
// assignee's tickets, unassigned tickets that are not new), and a branch
// that sorts its matches sorts only such a bounded set or a closed
// creation range; none walks the whole table in an order it filters
// against. Without statistics, this plan is SQLite's plan at a million.
func TestComboListPlans(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	day := time.Now().Add(-90 * 24 * time.Hour)
	week := day.Add(7 * 24 * time.Hour)
	var id int64 = 7
	statuses := [][]rapport.Status{nil, {rapport.StatusNew}, {rapport.StatusOpen}, {rapport.StatusClosed},
		{rapport.StatusNew, rapport.StatusOpen, rapport.StatusWaiting}}
	extras := map[string]rapport.TicketFilter{
		"":                {},
		"critical":        {Priority: rapport.PriorityCritical},
		"assignee":        {AssigneeID: &id},
		"assignee crit":   {AssigneeID: &id, Priority: rapport.PriorityCritical},
		"requester":       {RequesterID: &id},
		"no one":          {Unassigned: true},
		"critical no one": {Unassigned: true, Priority: rapport.PriorityCritical},
		"phone":           {Channel: rapport.ChannelPhone},
		"recent":          {CreatedAfter: &day},
		"critical recent": {CreatedAfter: &day, Priority: rapport.PriorityCritical},
		"no one recent":   {Unassigned: true, CreatedAfter: &day},
		"week":            {CreatedAfter: &day, CreatedBefore: &week},
		"angry":           {Mood: rapport.MoodAngry},
	}
	for _, st := range statuses {
		for ename, e := range extras {
			for _, sort := range []rapport.TicketSort{rapport.SortNewest, rapport.SortOldest, rapport.SortUpdated} {
				if st == nil && e.Mood != "" {
					continue // refused by the desk: mood goes beside another filter
				}
				f := e
				f.Statuses, f.Sort = st, sort
				name := fmt.Sprintf("%v %s %s", st, ename, sort)
				plan, err := store.ExplainTickets(ctx, db, f)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				var want string
				switch {
				case f.RequesterID != nil:
					want = "tickets_requester_id"
				case f.AssigneeID != nil:
					want = "tickets_assignee_"
				case f.Unassigned && len(st) == 1 && st[0] != rapport.StatusNew:
					want = "tickets_unassigned_"
				case f.Mood == rapport.MoodAngry:
					want = "tickets_moody_"
				}
				lines := strings.Split(plan, "\n")
				for i, line := range lines {
					if line == "SCAN p" {
						break // the rest joins the page's rows to ticket_view
					}
					if strings.HasPrefix(line, "SEARCH t") || strings.HasPrefix(line, "SCAN t") {
						if want != "" && !strings.Contains(line, want) {
							t.Errorf("%s does not read %s:\n%s", name, want, plan)
						}
						if line == "SCAN t" && sort == rapport.SortUpdated {
							t.Errorf("%s walks the whole table:\n%s", name, plan)
						}
					}
					bounded := want != "" || ename == "week" && sort == rapport.SortUpdated ||
						ename == "no one recent" && st != nil // unassigned and new: a month's arrivals
					if strings.Contains(line, "TEMP B-TREE") && !strings.HasPrefix(lines[i-1], "SCAN b") && !bounded {
						t.Errorf("%s sorts every match:\n%s", name, plan)
					}
				}
			}
		}
	}
}

func ids(ts []*rapport.Ticket) []int64 {
	out := make([]int64, len(ts))
	for i, tk := range ts {
		out[i] = tk.ID
	}
	return out
}
