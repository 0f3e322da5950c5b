package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func as(u *rapport.User) context.Context {
	return rapport.NewContextWithUser(context.Background(), u)
}

// TestQueueBlocksNoDrift drives random changes of every kind (creates,
// claims, releases, holds, replies, due holds, resolves, reopens,
// re-triage, rolled-back updates, and bursts of concurrent ones) over ids
// spread across every level of the counter tree, and after every step
// compares the positions the store reports with a brute-force recount and
// the counters with COUNT(*) per block.
func TestQueueBlocksNoDrift(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		rng := rand.New(rand.NewPCG(5, uint64(len(db.Dialect()))))
		clock := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
		var clockMu sync.Mutex
		d := desk.New(db)
		d.Now = func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
		bg := as(nil)
		req, _ := d.AddUser(bg, "pat@example.com", "Pat", rapport.RoleRequester)
		var agents []*rapport.User
		for _, e := range []string{"ann@example.com", "bo@example.com", "cy@example.com", "di@example.com"} {
			a, _ := d.AddUser(bg, e, "Agent "+e, rapport.RoleAgent)
			agents = append(agents, a)
		}
		var ids []int64
		var idsMu sync.Mutex
		pick := func(r *rand.Rand) int64 {
			idsMu.Lock()
			defer idsMu.Unlock()
			return ids[r.IntN(len(ids))]
		}
		nextID := int64(1)
		// op does one random change; errors the domain refuses are fine.
		op := func(r *rand.Rand, agent *rapport.User) error {
			me, pat := as(agent), as(req)
			var err error
			idsMu.Lock()
			empty := len(ids) == 0
			idsMu.Unlock()
			switch n := r.IntN(13); {
			case n < 3 || empty:
				var tk *rapport.Ticket
				tk, err = d.CreateTicket(pat, desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "s", Body: "b",
					Impact: rapport.Impact{Outage: r.IntN(4) == 0}}})
				if err == nil {
					idsMu.Lock()
					ids = append(ids, tk.ID)
					idsMu.Unlock()
				}
			case n == 3:
				_, err = d.ClaimNext(me)
			case n == 4:
				_, err = d.Assign(me, pick(r), "")
			case n == 5:
				_, err = d.Assign(me, pick(r), agent.Email)
			case n == 6:
				until := d.Now().Add(time.Duration(r.IntN(3)) * time.Hour)
				_, err = d.Wait(me, pick(r), "Waiting for the supplier", &until)
			case n == 7:
				_, err = d.AddMessage(pat, pick(r), "Any news?", false)
			case n == 8:
				_, err = d.Resolve(me, pick(r), "Fixed")
			case n == 9:
				_, _, err = d.Reopen(pat, pick(r), "Broken again")
			case n == 10:
				p := rapport.PriorityCritical
				if r.IntN(2) == 0 {
					p = rapport.PriorityNormal
				}
				_, err = d.Triage(me, pick(r), p, "Re-triage")
			case n == 11:
				_, err = d.ReturnDueHolds(me)
			default:
				// A change that is rolled back must leave no trace.
				boom := errors.New("boom")
				id := pick(r)
				err = db.Update(me, func(tx rapport.Tx) error {
					tk, err := tx.LockTicket(me, id)
					if err != nil {
						return err
					}
					if _, err := tk.Claim(agent, d.Now()); err != nil {
						tk.Triage(agent, rapport.PriorityCritical, "x", d.Now())
					}
					if err := tx.UpdateTicket(me, tk); err != nil {
						return err
					}
					return boom
				})
				if errors.Is(err, boom) {
					err = nil
				}
			}
			if err != nil && rapport.ErrorCode(err) == rapport.EINTERNAL {
				return err
			}
			return nil
		}
		check := func(step int) {
			t.Helper()
			want, err := store.QueueByRecount(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := db.CheckQueueBlocks(ctx); err != nil || n != 0 {
				t.Fatalf("step %d: CheckQueueBlocks=%d, %v; want 0", step, n, err)
			}
			// Page through with small pages: each later page starts from
			// the counters.
			var got []int64
			var after rapport.QueueCursor
			for {
				page, err := db.FindQueue(ctx, after, 7)
				if err != nil {
					t.Fatal(err)
				}
				for _, tk := range page {
					got = append(got, tk.ID)
					if tk.QueuePosition == nil || *tk.QueuePosition != len(got) {
						t.Fatalf("step %d: ticket %d listed at %v, want %d", step, tk.ID, tk.QueuePosition, len(got))
					}
				}
				if len(page) < 7 {
					break
				}
				after = page[len(page)-1].Cursor()
			}
			if len(got) != len(want) {
				t.Fatalf("step %d: queue has %d tickets, recount %d", step, len(got), len(want))
			}
			place := map[int64]int{}
			for i, id := range want {
				place[id] = i + 1
				if got[i] != id {
					t.Fatalf("step %d: queue[%d]=%d, recount %d", step, i, got[i], id)
				}
			}
			for i := 0; i < 6 && len(ids) > 0; i++ {
				id := ids[rng.IntN(len(ids))]
				if i == 0 {
					id = ids[len(ids)-1]
				}
				tk, err := db.FindTicketByID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if p, ok := place[id]; ok != (tk.QueuePosition != nil) || ok && *tk.QueuePosition != p {
					t.Fatalf("step %d: ticket %d (%s) at %v, recount says %d", step, id, tk.Status, tk.QueuePosition, p)
				}
			}
		}
		// Gaps in the ids put tickets in other blocks at every level.
		gaps := []int64{0, 900, 1 << 15, 3 << 20, 1 << 25, 1 << 30, 1 << 35}
		for g, gap := range gaps {
			if gap > 0 {
				nextID += gap
				if err := store.JumpTicketIDs(ctx, db, nextID, req.ID); err != nil {
					t.Fatal(err)
				}
			}
			for step := 0; step < 40; step++ {
				if err := op(rng, agents[rng.IntN(len(agents))]); err != nil {
					t.Fatalf("gap %d step %d: %v", g, step, err)
				}
				clockMu.Lock()
				clock = clock.Add(10 * time.Minute)
				clockMu.Unlock()
				check(g*1000 + step)
			}
			// A burst of concurrent changes, then the same checks.
			var wg sync.WaitGroup
			errs := make(chan error, len(agents))
			for i, a := range agents {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := rand.New(rand.NewPCG(uint64(g), uint64(i)))
					for range 15 {
						if err := op(r, a); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("concurrent: %v", err)
			}
			check(g*1000 + 999)
			for _, id := range ids {
				nextID = max(nextID, id)
			}
		}
	})
}
