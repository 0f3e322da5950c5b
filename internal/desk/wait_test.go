package desk_test

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestExpectedWait: a queued ticket read through the desk carries the
// estimate the domain makes from the pickups in the store; a claimed one
// carries none; the history is read again once WaitCacheFor has passed.
func TestExpectedWait(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		d, pat, ann := people(t, db, func() time.Time { return now })

		first := ask(t, d, pat, rapport.Impact{})
		if w := first.ExpectedWait; w == nil || w.Reason != rapport.WaitNoHistory {
			t.Fatalf("no history: ExpectedWait=%+v, want the reason %q", w, rapport.WaitNoHistory)
		}
		// Twelve pickups, 7 minutes after each ticket arrives.
		var claims []rapport.Claim
		for i := range 12 {
			if i > 0 {
				ask(t, d, pat, rapport.Impact{})
			}
			now = now.Add(7 * time.Minute)
			tk, err := d.ClaimNext(as(ann))
			if err != nil {
				t.Fatal(err)
			}
			claims = append(claims, rapport.Claim{Rank: 1, CreatedAt: tk.CreatedAt, ClaimedAt: *tk.ClaimedAt})
		}
		normal := ask(t, d, pat, rapport.Impact{})
		now = now.Add(time.Minute)
		crit := ask(t, d, pat, rapport.Impact{Outage: true})
		now = now.Add(2 * time.Minute)

		check := func(tk *rapport.Ticket, want string) {
			t.Helper()
			est := rapport.EstimateWait(*tk.QueuePosition, tk.Priority, tk.CreatedAt, claims, now)
			if tk.ExpectedWait == nil || *tk.ExpectedWait != est || est.String() != want {
				t.Fatalf("ticket %d at %d: ExpectedWait=%+v, want %+v (%q)", tk.ID, *tk.QueuePosition, tk.ExpectedWait, est, want)
			}
		}
		// 3 minutes of the next 7-minute gap have passed: 4 are left for
		// the critical ticket, 4 + 7 for the normal one behind it.
		for _, read := range []func(id int64) *rapport.Ticket{
			func(id int64) *rapport.Ticket { tk, _ := d.Ticket(as(pat), id); return tk },
			func(id int64) *rapport.Ticket {
				ts, _, _ := d.Tickets(as(pat), desk.TicketQuery{TicketFilter: rapport.TicketFilter{}})
				for _, tk := range ts {
					if tk.ID == id {
						return tk
					}
				}
				return nil
			},
			func(id int64) *rapport.Ticket {
				ts, _ := d.Queue(as(ann), rapport.QueueCursor{}, 10)
				for _, tk := range ts {
					if tk.ID == id {
						return tk
					}
				}
				return nil
			},
		} {
			check(read(crit.ID), "about 3-5 minutes")
			check(read(normal.ID), "about 10-15 minutes")
		}

		// Claimed: no estimate.
		tk, err := d.ClaimNext(as(ann))
		if err != nil || tk.ID != crit.ID {
			t.Fatalf("claim: %v %v", tk, err)
		}
		claims = append(claims, rapport.Claim{Rank: 0, CreatedAt: tk.CreatedAt, ClaimedAt: *tk.ClaimedAt})
		if got, _ := d.Ticket(as(pat), crit.ID); got.ExpectedWait != nil {
			t.Fatalf("claimed ticket: ExpectedWait=%+v, want nil", got.ExpectedWait)
		}
		// History read for a release (no pickup) holds for WaitCacheFor:
		// a pickup made within it is not seen yet; after it, it is.
		now = now.Add(time.Minute)
		if _, err := d.Assign(as(ann), normal.ID, ann.Email); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Assign(as(ann), normal.ID, ""); err != nil { // a release is not a pickup
			t.Fatal(err)
		}
		late := ask(t, d, pat, rapport.Impact{})
		staleClaims := claims
		now = now.Add(time.Second)
		if _, err := d.Assign(as(ann), normal.ID, ann.Email); err != nil {
			t.Fatal(err)
		}
		claims = append(claims, rapport.Claim{Rank: 1, CreatedAt: normal.CreatedAt, ClaimedAt: now})
		got, _ := d.Ticket(as(pat), late.ID)
		if want := rapport.EstimateWait(1, late.Priority, late.CreatedAt, staleClaims, now); *got.ExpectedWait != want {
			t.Fatalf("within %v: ExpectedWait=%+v, want %+v from the history read before", desk.WaitCacheFor, got.ExpectedWait, want)
		}
		now = now.Add(desk.WaitCacheFor)
		got, _ = d.Ticket(as(pat), late.ID)
		want := rapport.EstimateWait(1, late.Priority, late.CreatedAt, claims, now)
		if *got.ExpectedWait != want || want == rapport.EstimateWait(1, late.Priority, late.CreatedAt, staleClaims, now) {
			t.Fatalf("after %v: ExpectedWait=%+v, want %+v with the new pickup", desk.WaitCacheFor, got.ExpectedWait, want)
		}
	})
}
