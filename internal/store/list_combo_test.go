package store_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestListCombos pages through every combination of filters that
// rapport-load measure times, on both databases, 7 tickets a page, and
// checks the pages against the answer worked out from all the tickets:
// the indexes and the plans chosen for each combination (migration 00022,
// sqliteListIndex) must never skip, repeat or misorder a ticket.
func TestListCombos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		sam := mustUser(t, db, "sam@example.com", rapport.RoleRequester)
		ann := mustUser(t, db, "ann@example.com", rapport.RoleAgent)
		bob := mustUser(t, db, "bob@example.com", rapport.RoleAgent)
		// 600 tickets, one every 3 hours, changed a varying while later
		// (so last-change order is not creation order), with statuses,
		// priorities, channels, moods and assignees spread unevenly, and
		// some unassigned tickets that are not new.
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		err := store.ExecSQL(ctx, db, `INSERT INTO tickets (subject, body, status, priority, priority_rank,
			impact_outage, impact_costs_money, impact_blocks_work, channel, requester_id, assignee_id, mood, created_at, updated_at)
			SELECT 's', 'b',
				CASE WHEN n % 7 < 2 THEN 'new' WHEN n % 7 = 2 THEN 'open' WHEN n % 7 = 3 THEN 'waiting' WHEN n % 7 = 4 THEN 'resolved' ELSE 'closed' END,
				CASE WHEN n % 11 = 0 THEN 'critical' ELSE 'normal' END, CASE WHEN n % 11 = 0 THEN 0 ELSE 1 END,
				FALSE, FALSE, FALSE,
				CASE WHEN n % 13 = 0 THEN 'phone' WHEN n % 3 = 0 THEN 'email' ELSE 'portal' END,
				CASE WHEN n % 5 = 0 THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END,
				CASE WHEN n % 7 < 2 OR n % 17 = 0 THEN NULL WHEN n % 4 = 0 THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END,
				CASE WHEN n % 9 = 0 THEN 'angry' WHEN n % 9 = 1 THEN 'frustrated' ELSE 'calm' END,
				?, ?
			FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 600) SELECT n FROM c) g`,
			sam.ID, pat.ID, bob.ID, ann.ID, base, base)
		if err != nil {
			t.Fatal(err)
		}
		// Times per ticket: created every 3 hours; changed (n*37 mod 50)
		// hours later.
		if err := store.ExecSQL(ctx, db, fmt.Sprintf(`UPDATE tickets SET created_at = %s, updated_at = %s`,
			addHours(db, "3 * id"), addHours(db, "3 * id + (id * 37) % 50"))); err != nil {
			t.Fatal(err)
		}
		var all []*rapport.Ticket
		for after := ""; ; {
			page, next, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 500, After: after})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if after = next; next == "" {
				break
			}
		}
		if len(all) != 600 {
			t.Fatalf("%d tickets, want 600", len(all))
		}
		from, to := base.Add(300*time.Hour), base.Add(900*time.Hour)
		statuses := [][]rapport.Status{nil, {rapport.StatusNew}, {rapport.StatusOpen}, {rapport.StatusClosed},
			{rapport.StatusNew, rapport.StatusOpen, rapport.StatusWaiting}, {rapport.StatusResolved, rapport.StatusClosed}}
		extras := map[string]rapport.TicketFilter{
			"":                {},
			"critical":        {Priority: rapport.PriorityCritical},
			"assignee":        {AssigneeID: &ann.ID},
			"assignee crit":   {AssigneeID: &bob.ID, Priority: rapport.PriorityCritical},
			"requester":       {RequesterID: &sam.ID},
			"no one":          {Unassigned: true},
			"critical no one": {Unassigned: true, Priority: rapport.PriorityCritical},
			"phone":           {Channel: rapport.ChannelPhone},
			"after":           {CreatedAfter: &from},
			"critical after":  {CreatedAfter: &from, Priority: rapport.PriorityCritical},
			"no one after":    {Unassigned: true, CreatedAfter: &from},
			"range":           {CreatedAfter: &from, CreatedBefore: &to},
			"angry":           {Mood: rapport.MoodAngry},
			"calm no one":     {Mood: rapport.MoodCalm, Unassigned: true},
		}
		for _, st := range statuses {
			for ename, e := range extras {
				for _, sort := range []rapport.TicketSort{rapport.SortNewest, rapport.SortOldest, rapport.SortUpdated} {
					f := e
					f.Statuses, f.Sort, f.Limit = st, sort, 7
					name := fmt.Sprintf("%v %s %s", st, ename, sort)
					var want []int64
					for _, tk := range all {
						if listMatches(f, tk) {
							want = append(want, tk.ID)
						}
					}
					byID := map[int64]*rapport.Ticket{}
					for _, tk := range all {
						byID[tk.ID] = tk
					}
					slices.SortFunc(want, func(a, b int64) int {
						switch sort {
						case rapport.SortOldest:
							return cmp.Compare(a, b)
						case rapport.SortUpdated:
							if c := byID[b].UpdatedAt.Compare(byID[a].UpdatedAt); c != 0 {
								return c
							}
						}
						return cmp.Compare(b, a)
					})
					var got []int64
					for after, pages := "", 0; ; pages++ {
						f.After = after
						page, next, err := db.FindTickets(ctx, f)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						if len(page) > 7 || next != "" && len(page) < 7 || pages > 100 {
							t.Fatalf("%s: a page of %d with next %q", name, len(page), next)
						}
						got = append(got, ticketIDs(page)...)
						if after = next; next == "" {
							break
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: pages give %v, want %v", name, got, want)
					}
				}
			}
		}
	})
}

// addHours is the SQL for base plus n hours, n an SQL expression.
func addHours(db *store.DB, n string) string {
	if db.Dialect() == "postgres" {
		return "TIMESTAMPTZ '2026-01-01 00:00:00+00' + (" + n + ") * INTERVAL '1 hour'"
	}
	return "strftime('%Y-%m-%d %H:%M:%S', '2026-01-01 00:00:00', '+' || (" + n + ") || ' hours') || '+00:00'"
}

// listMatches says whether tk belongs in the list f, worked out in Go.
func listMatches(f rapport.TicketFilter, tk *rapport.Ticket) bool {
	switch {
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, tk.Status),
		f.Priority != "" && tk.Priority != f.Priority,
		f.Channel != "" && tk.Channel != f.Channel,
		f.Mood != "" && tk.Mood != f.Mood,
		f.RequesterID != nil && tk.Requester.ID != *f.RequesterID,
		f.AssigneeID != nil && (tk.Assignee == nil || tk.Assignee.ID != *f.AssigneeID),
		f.Unassigned && tk.Assignee != nil,
		f.CreatedAfter != nil && tk.CreatedAt.Before(*f.CreatedAfter),
		f.CreatedBefore != nil && !tk.CreatedAt.Before(*f.CreatedBefore):
		return false
	}
	return true
}

// TestChangedNotBeforeCreated: a change stamped before the ticket's
// creation (the clock stepped back) is stored as the creation time, so the
// ticket stays in the lists created since a time sorted by last change,
// which stop at that time.
func TestChangedNotBeforeCreated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "s", Body: "b", Channel: rapport.ChannelAPI}, pat, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, func(tx rapport.Tx) error {
			if err := tx.CreateTicket(ctx, tk); err != nil {
				return err
			}
			tk.UpdatedAt = at.Add(-time.Minute)
			return tx.UpdateTicket(ctx, tk)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := db.FindTickets(ctx, rapport.TicketFilter{CreatedAfter: &at, Sort: rapport.SortUpdated})
		if err != nil || len(got) != 1 || !got[0].UpdatedAt.Equal(at) {
			t.Fatalf("FindTickets = %v %v, want the ticket changed at its creation %v", ticketIDs(got), err, at)
		}
	})
}
