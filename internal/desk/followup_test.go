package desk_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// closedLongAgo returns a desk whose clock is past the reopen window of a
// closed ticket, and that ticket.
func closedLongAgo(t *testing.T, db *store.DB) (*desk.Desk, *rapport.User, *rapport.Ticket) {
	t.Helper()
	d := desk.New(db)
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { return now }
	d.ReopenWindow = 24 * time.Hour
	pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
	agent := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
	tk := ask(t, d, pat, rapport.Impact{})
	if _, err := d.Resolve(as(agent), tk.ID, "Fixed"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	return d, pat, tk
}

func countFollowUps(t *testing.T, d *desk.Desk, u *rapport.User, id int64) (followUps, events int) {
	t.Helper()
	all, _, err := d.Tickets(as(u), desk.TicketQuery{TicketFilter: rapport.TicketFilter{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range all {
		if tk.FollowUpOf != nil && *tk.FollowUpOf == id {
			followUps++
		}
	}
	evs, _, err := d.Timeline(as(u), id, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Type == rapport.EventFollowUp {
			events++
		}
	}
	return followUps, events
}

// TestReopenTwiceOneFollowUp: reopening past the window again answers the
// follow-up already made, with no new ticket and no new event.
func TestReopenTwiceOneFollowUp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, tk := closedLongAgo(t, db)
		first, followUp, err := d.Reopen(as(pat), tk.ID, "Broken again")
		if err != nil || !followUp {
			t.Fatalf("first reopen: %v %v", followUp, err)
		}
		again, followUp, err := d.Reopen(as(pat), tk.ID, "Still broken, clicked twice")
		if err != nil || !followUp || again.ID != first.ID {
			t.Fatalf("second reopen: ticket %v followUp=%v err=%v, want ticket %d", again, followUp, err, first.ID)
		}
		if again.Body != first.Body || again.QueuePosition == nil {
			t.Fatalf("second reopen answered %+v, want the first follow-up %+v", again, first)
		}
		if n, evs := countFollowUps(t, d, pat, tk.ID); n != 1 || evs != 1 {
			t.Fatalf("follow-ups=%d follow_up events=%d, want 1 and 1", n, evs)
		}
		if _, _, err := d.Reopen(as(pat), tk.ID, " "); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("reopen without a reason: %v, want invalid", err)
		}
	})
}

// TestConcurrentReopensOneFollowUp: eight reopens at once past the window
// make one follow-up, and every one of them answers it.
func TestConcurrentReopensOneFollowUp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, tk := closedLongAgo(t, db)
		const n = 8
		ids := make([]int64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f, followUp, err := d.Reopen(as(pat), tk.ID, "Broken again")
				if err == nil && !followUp {
					t.Errorf("reopen %d: followUp=false", i)
				}
				if f != nil {
					ids[i] = f.ID
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("reopen %d: ticket %d err %v, want ticket %d", i, ids[i], errs[i], ids[0])
			}
		}
		if got, evs := countFollowUps(t, d, pat, tk.ID); got != 1 || evs != 1 {
			t.Fatalf("follow-ups=%d follow_up events=%d, want 1 and 1", got, evs)
		}
	})
}

// TestFollowUpUniqueInDatabase: the database itself refuses a second
// follow-up of the same ticket, whatever the code above it does.
func TestFollowUpUniqueInDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		_, pat, tk := closedLongAgo(t, db)
		ctx := context.Background()
		mk := func() error {
			return db.Update(ctx, func(tx rapport.Tx) error {
				f, _ := tk.FollowUp(pat, "again", rapport.Now())
				return tx.CreateTicket(ctx, f)
			})
		}
		if err := mk(); err != nil {
			t.Fatal(err)
		}
		if err := mk(); err == nil {
			t.Fatal("a second follow-up of the same ticket was stored")
		}
	})
}

// TestAssignDisabledAgent: a disabled account cannot be given tickets.
func TestAssignDisabledAgent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		ann := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
		mustAdd(t, d, "bob@example.com", rapport.RoleAgent)
		yes := true
		if _, err := d.UpdateUser(context.Background(), "bob@example.com", desk.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		tk := ask(t, d, pat, rapport.Impact{})
		_, err := d.Assign(as(ann), tk.ID, "bob@example.com")
		if f := rapport.ErrorFields(err); len(f) != 1 || f[0].Field != "assignee" {
			t.Fatalf("assign to a disabled agent: %v, want a field error on assignee", err)
		}
		if got, _ := d.Ticket(as(ann), tk.ID); got.Assignee != nil || got.Status != rapport.StatusNew {
			t.Fatalf("ticket after refused assignment: %+v", got)
		}
	})
}
