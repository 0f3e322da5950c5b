package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestConcurrentUpdatesStayAtomic: updates that share a commit (SQLite's
// group commit) are still all-or-nothing one by one. Failing and panicking
// updates leave nothing behind and do not disturb the others.
func TestConcurrentUpdatesStayAtomic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		req := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		const n = 90
		boom := errors.New("boom")
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Update(ctx, func(tx rapport.Tx) error {
					tk, ev, _ := rapport.NewTicket(rapport.TicketInput{Subject: fmt.Sprint("t", i), Body: "b", Channel: rapport.ChannelAPI}, req, nil, rapport.Now())
					if err := tx.CreateTicket(ctx, tk); err != nil {
						return err
					}
					ev.TicketID = tk.ID
					if err := tx.AddEvent(ctx, ev); err != nil {
						return err
					}
					switch i % 3 {
					case 1:
						return boom
					case 2:
						if i%2 == 0 {
							panic("update panicked on purpose")
						}
						// A duplicate email fails inside the database.
						dup, _ := rapport.NewUser("pat@example.com", "Pat", rapport.RoleRequester, rapport.Now())
						return tx.CreateUser(ctx, dup)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		want := map[string]bool{}
		for i, err := range errs {
			switch {
			case i%3 == 0 && err != nil:
				t.Errorf("update %d failed: %v", i, err)
			case i%3 == 0:
				want[fmt.Sprint("t", i)] = true
			case err == nil:
				t.Errorf("update %d should have failed", i)
			}
		}
		got, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d tickets stored, want %d", len(got), len(want))
		}
		for _, tk := range got {
			if !want[tk.Subject] {
				t.Errorf("ticket %q should have been rolled back", tk.Subject)
			}
			if evs, _, _ := db.FindEvents(ctx, rapport.EventFilter{TicketID: tk.ID, IncludeInternal: true}); len(evs) != 1 {
				t.Errorf("ticket %q has %d events, want 1", tk.Subject, len(evs))
			}
		}
		// The queue counters saw only the kept tickets.
		if tk := mustTicket(t, db, req, rapport.Impact{}); *tk.QueuePosition != len(want)+1 {
			t.Fatalf("next position %d, want %d", *tk.QueuePosition, len(want)+1)
		}
	})
}
