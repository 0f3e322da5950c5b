package store_test

import (
	"slices"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestRebuildSearchMatchesTriggers checks that the bulk rebuild (used by
// rapport-load seed) makes the same index as the triggers: every tier and
// order finds the same tickets before and after.
func TestRebuildSearchMatchesTriggers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		pat := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		ticketWith(t, db, pat, "Cannot reset my password", "The VPN says no.")
		ticketWith(t, db, pat, "Printer jam", "The printer on floor 2 eats paper.", message("password reset did not help"))
		ticketWith(t, db, pat, "Laptop slow", "Fans are loud.", message("I tried restarting the router"), note("reset the printer password"))
		ticketWith(t, db, pat, "Password expired", "Printer asks for it.", note("zebra"))
		queries := []string{"password", "printer", "reset password", `"printer on floor"`, "zebra", "pass*", "router printer"}
		filters := []rapport.TicketFilter{{SearchNotes: true}, {RequesterID: &pat.ID}, {SearchNotes: true, Sort: rapport.SortUpdated}}
		find := func() [][]int64 {
			var out [][]int64
			for _, q := range queries {
				for _, f := range filters {
					f.Query = q
					got, _, err := db.FindTickets(ctx, f)
					if err != nil {
						t.Fatalf("FindTickets(%q)=%v", q, err)
					}
					out = append(out, ticketIDs(got))
				}
			}
			return out
		}
		before := find()
		if err := db.RebuildSearch(ctx); err != nil {
			t.Fatal(err)
		}
		after := find()
		for i := range before {
			if !slices.Equal(before[i], after[i]) {
				t.Fatalf("query %q filter %d: after rebuild %v, want %v", queries[i/len(filters)], i%len(filters), after[i], before[i])
			}
		}
		if n := len(before[0]); n != 4 {
			t.Fatalf("password finds %d tickets, want 4", n)
		}
	})
}
