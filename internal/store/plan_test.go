package store_test

import (
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
