package store_test

import (
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestBatchedPositionsMatchSingle checks that a page's positions found in
// one statement equal those found one ticket at a time, on pages mixing
// ranks, queued and unqueued tickets, tickets whose rank changed since they
// were read, and ids spread over every level of the counter tree.
func TestBatchedPositionsMatchSingle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		bg := as(nil)
		req, _ := d.AddUser(bg, "pat@example.com", "Pat", rapport.RoleRequester)
		agent, _ := d.AddUser(bg, "ann@example.com", "Ann", rapport.RoleAgent)
		rng := rand.New(rand.NewPCG(11, 12))
		var all []*rapport.Ticket
		next := int64(0)
		for _, gap := range []int64{0, 1500, 1 << 15, 5 << 20, 1 << 25, 1 << 30, 3 << 35} {
			if gap > 0 {
				next += gap
				if err := store.JumpTicketIDs(ctx, db, next, req.ID); err != nil {
					t.Fatal(err)
				}
			}
			for range 12 {
				tk, err := d.CreateTicket(as(req), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "s", Body: "b",
					Impact: rapport.Impact{Outage: rng.IntN(3) == 0}}})
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, tk)
				next = max(next, tk.ID)
			}
			for range 3 {
				if _, err := d.ClaimNext(as(agent)); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A stale copy: read as critical, re-triaged to normal since.
		stale := *all[len(all)-1]
		stale.Priority = rapport.PriorityCritical
		if all[len(all)-1].Priority == rapport.PriorityCritical {
			stale.Priority = rapport.PriorityNormal
		}
		all = append(all, &stale)
		for page := range 40 {
			var ts []*rapport.Ticket
			for range 2 + rng.IntN(30) {
				ts = append(ts, all[rng.IntN(len(all))])
			}
			batched, single, err := store.PositionsBothWays(ctx, db, ts)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(batched, single) {
				t.Fatalf("page %d: batched=%v, want %v", page, batched, single)
			}
			if page == 0 && len(single) == 0 {
				t.Fatalf("page %d: no queued ticket on the page; the test checks nothing", page)
			}
		}
		// Every ticket at once, and through FindTickets.
		batched, single, err := store.PositionsBothWays(ctx, db, all)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(batched, single) || len(single) < 20 {
			t.Fatalf("all: batched=%v, want %v", batched, single)
		}
		list, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list {
			p, ok := single[tk.ID]
			if ok != (tk.QueuePosition != nil) || ok && *tk.QueuePosition != p {
				t.Fatalf("FindTickets: ticket %d at %v, want %d (queued %v)", tk.ID, tk.QueuePosition, p, ok)
			}
		}
	})
}
