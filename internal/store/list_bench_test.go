package store_test

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// BenchmarkListsOnDB reads the first and a later page of every common list
// from the database named by RAPPORT_BENCH_DB (a SQLite path or postgres://
// URL of a seeded database; skipped when unset), and with -v logs each
// list's plan and its p50/p99 over the iterations.
func BenchmarkListsOnDB(b *testing.B) {
	// RAPPORT_BENCH_POSITIONS=0 leaves out the queue positions, to measure
	// the list alone.
	find := (*store.DB).FindTickets
	if os.Getenv("RAPPORT_BENCH_POSITIONS") == "0" {
		find = func(db *store.DB, ctx context.Context, f rapport.TicketFilter) ([]*rapport.Ticket, string, error) {
			return store.FindTicketsNoPositions(ctx, db, f)
		}
	}
	db := testdb.Seeded(b)
	var one rapport.TicketFilter
	one.Limit = 1
	first, _, err := db.FindTickets(ctx, one)
	if err != nil || len(first) == 0 {
		b.Fatalf("no tickets: %v", err)
	}
	// A busy requester and agent of the seeded data.
	req, agent := first[0].Requester.ID, int64(1)
	cases := planCases(req, first[0].CreatedAt.Add(-30*24*time.Hour))
	delete(cases, "assignee")
	cases["assignee"] = rapport.TicketFilter{AssigneeID: &agent}
	cases["search rare word"] = rapport.TicketFilter{Query: "w1999"}
	cases["search common prefix"] = rapport.TicketFilter{Query: "pa"}
	cases["search two words"] = rapport.TicketFilter{Query: "printer jammed"}
	cases["search phrase"] = rapport.TicketFilter{Query: `"vpn laptop"`}
	cases["requester search rare"] = rapport.TicketFilter{Query: "w1999", RequesterID: &req}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := cases[name]
		b.Run(name, func(b *testing.B) {
			if plan, err := store.ExplainTickets(ctx, db, f); err == nil {
				b.Logf("plan:\n%s", plan)
			}
			var took []time.Duration
			for b.Loop() {
				t0 := time.Now()
				// The first page, then the one after it.
				page, next, err := find(db, ctx, f)
				if err == nil && next != "" {
					g := f
					g.After = next
					page, _, err = find(db, ctx, g)
				}
				if err != nil {
					b.Fatal(err)
				}
				_ = page
				took = append(took, time.Since(t0)/2)
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.Logf("%s: p50 %v p99 %v per page (n=%d)", name, took[len(took)/2], took[len(took)*99/100], len(took))
		})
	}
}
