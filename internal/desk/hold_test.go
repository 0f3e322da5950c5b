package desk_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestHeldTicketLeavesQueue: a held ticket nobody has is not handed out by
// ClaimNext nor listed, and the requester's reply brings it back at the
// place its arrival gives it.
func TestHeldTicketLeavesQueue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		first := ask(t, d, pat, rapport.Impact{})
		second := ask(t, d, pat, rapport.Impact{})
		until := d.Now().Add(48 * time.Hour)
		held, err := d.Wait(as(ann), first.ID, "Waiting for your screenshot", &until)
		if err != nil {
			t.Fatal(err)
		}
		if held.QueuePosition != nil || held.Hold == nil || held.Hold.Reason != "Waiting for your screenshot" || !held.Hold.Until.Equal(rapport.Truncate(until)) {
			t.Fatalf("held: position %v hold %+v", held.QueuePosition, held.Hold)
		}
		if s, _ := d.Ticket(as(ann), second.ID); s.QueuePosition == nil || *s.QueuePosition != 1 {
			t.Fatalf("second ticket at %v, want 1 while the first is held", s.QueuePosition)
		}
		got, err := d.ClaimNext(as(ann))
		if err != nil || got == nil || got.ID != second.ID {
			t.Fatalf("ClaimNext=%v, %v; want ticket %d", got, err, second.ID)
		}
		if got, err := d.ClaimNext(as(ann)); err != nil || got != nil {
			t.Fatalf("ClaimNext handed out a held ticket: %v, %v", got, err)
		}
		if q, _ := d.Queue(as(ann), rapport.QueueCursor{}, 10); len(q) != 0 {
			t.Fatalf("queue lists %d held tickets", len(q))
		}
		third := ask(t, d, pat, rapport.Impact{})
		if _, err := d.AddMessage(as(pat), first.ID, "Here it is", false); err != nil {
			t.Fatal(err)
		}
		back, _ := d.Ticket(as(pat), first.ID)
		if back.Status != rapport.StatusNew || back.Hold != nil || back.QueuePosition == nil || *back.QueuePosition != 1 {
			t.Fatalf("after reply: %s hold %+v at %v, want new at 1 (ahead of ticket %d)", back.Status, back.Hold, back.QueuePosition, third.ID)
		}
	})
}

// TestReturnDueHolds: when the expected date passes (a fake clock), the
// ticket goes back to work with an event the requester reads; running it
// again changes nothing.
func TestReturnDueHolds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2030, 3, 1, 9, 0, 0, 0, time.UTC)
		d, pat, ann := people(t, db, func() time.Time { return now })
		queued := ask(t, d, pat, rapport.Impact{})
		mine := ask(t, d, pat, rapport.Impact{})
		open := ask(t, d, pat, rapport.Impact{})
		if _, err := d.Assign(as(ann), mine.ID, "ann@example.com"); err != nil {
			t.Fatal(err)
		}
		soon, later := now.Add(time.Hour), now.Add(3*time.Hour)
		for _, h := range []struct {
			id    int64
			until *time.Time
		}{{queued.ID, &soon}, {mine.ID, &later}, {open.ID, nil}} {
			if _, err := d.Wait(as(ann), h.id, "The supplier says soon", h.until); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			at     time.Time
			want   int
			status map[int64]rapport.Status
		}{
			{now.Add(59 * time.Minute), 0, map[int64]rapport.Status{queued.ID: rapport.StatusWaiting}},
			{now.Add(time.Hour), 1, map[int64]rapport.Status{queued.ID: rapport.StatusNew, mine.ID: rapport.StatusWaiting}},
			{now.Add(2 * time.Hour), 0, map[int64]rapport.Status{queued.ID: rapport.StatusNew}},
			{now.Add(30 * 24 * time.Hour), 1, map[int64]rapport.Status{mine.ID: rapport.StatusOpen, open.ID: rapport.StatusWaiting}},
		} {
			now = tc.at
			n, err := d.ReturnDueHolds(context.Background())
			if err != nil || n != tc.want {
				t.Fatalf("at %v: ReturnDueHolds=%d, %v; want %d", tc.at, n, err, tc.want)
			}
			for id, want := range tc.status {
				if tk, _ := d.Ticket(as(ann), id); tk.Status != want {
					t.Fatalf("at %v: ticket %d is %s, want %s", tc.at, id, tk.Status, want)
				}
			}
		}
		back, _ := d.Ticket(as(pat), queued.ID)
		if back.QueuePosition == nil || *back.QueuePosition != 1 || back.Hold != nil {
			t.Fatalf("returned ticket at %v hold %+v, want position 1 and no hold", back.QueuePosition, back.Hold)
		}
		withAnn, _ := d.Ticket(as(pat), mine.ID)
		if withAnn.QueuePosition != nil || withAnn.Assignee == nil || withAnn.Assignee.ID != ann.ID {
			t.Fatalf("assigned ticket came back as %+v", withAnn)
		}
		evs, _, _ := d.Timeline(as(pat), queued.ID, "", 0)
		last := evs[len(evs)-1]
		if last.Type != rapport.EventResumed || last.Internal || last.Body != "The expected date has passed; this is back in the queue." {
			t.Fatalf("requester's last event %+v", last)
		}
	})
}

// TestReturnDueHoldsConcurrently: several nodes running it at once move
// every due ticket exactly once.
func TestReturnDueHoldsConcurrently(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2030, 3, 1, 9, 0, 0, 0, time.UTC)
		d, pat, ann := people(t, db, func() time.Time { return now })
		const tickets = 30
		until := now.Add(time.Minute)
		var ids []int64
		for range tickets {
			tk := ask(t, d, pat, rapport.Impact{})
			if _, err := d.Wait(as(ann), tk.ID, "Waiting", &until); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tk.ID)
		}
		now = now.Add(time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := d.ReturnDueHolds(context.Background())
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}()
		}
		wg.Wait()
		if total != tickets {
			t.Fatalf("returned %d, want %d", total, tickets)
		}
		for i, id := range ids {
			tk, _ := d.Ticket(as(ann), id)
			evs, _, _ := d.Timeline(as(ann), id, "", 0)
			resumed := 0
			for _, e := range evs {
				if e.Type == rapport.EventResumed {
					resumed++
				}
			}
			if tk.Status != rapport.StatusNew || resumed != 1 || tk.QueuePosition == nil || *tk.QueuePosition != i+1 {
				t.Fatalf("ticket %d: %s, %d resumed events, position %v; want new, 1, %d", id, tk.Status, resumed, tk.QueuePosition, i+1)
			}
		}
	})
}
