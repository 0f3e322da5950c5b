package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

var ctx = context.Background()

func mustUser(t *testing.T, db *store.DB, email string, role rapport.Role) *rapport.User {
	t.Helper()
	u, err := rapport.NewUser(email, "Person "+email, role, rapport.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
		t.Fatal(err)
	}
	return u
}

func mustTicket(t *testing.T, db *store.DB, u *rapport.User, impact rapport.Impact) *rapport.Ticket {
	t.Helper()
	tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "s", Body: "b", Impact: impact, Channel: rapport.ChannelAPI}, u, nil, rapport.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateTicket(ctx, tk) }); err != nil {
		t.Fatal(err)
	}
	// The position is read after commit (see store/position.go).
	got, err := db.FindTicketByID(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestUsersAndTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		dup, _ := rapport.NewUser("pat@example.com", "Other Pat", rapport.RoleAgent, rapport.Now())
		err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateUser(ctx, dup) })
		if rapport.ErrorCode(err) != rapport.ECONFLICT || len(rapport.ErrorFields(err)) != 1 {
			t.Fatalf("duplicate email: %v", err)
		}
		got, err := db.FindUserByEmail(ctx, "pat@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(u, got); diff != "" {
			t.Fatalf("user round trip (-want +got):\n%s", diff)
		}
		if _, err := db.FindUserByID(ctx, 999); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("missing user: %v", err)
		}

		secret, tok := rapport.NewToken(u.ID, "laptop", rapport.Now())
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateToken(ctx, tok) }); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindUserByTokenHash(ctx, rapport.HashToken(secret)); err != nil || got.ID != u.ID {
			t.Fatalf("token lookup: %v %v", got, err)
		}
		var n int
		if err := db.Update(ctx, func(tx rapport.Tx) (err error) { n, err = tx.RevokeTokens(ctx, u.ID, rapport.Now()); return err }); err != nil || n != 1 {
			t.Fatalf("revoke: %d %v", n, err)
		}
		if _, err := db.FindUserByTokenHash(ctx, rapport.HashToken(secret)); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("revoked token: %v", err)
		}

		secret, tok = rapport.NewToken(u.ID, "", rapport.Now())
		now := rapport.Now()
		u.DisabledAt = &now
		if err := db.Update(ctx, func(tx rapport.Tx) error {
			if err := tx.CreateToken(ctx, tok); err != nil {
				return err
			}
			return tx.UpdateUser(ctx, u)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindUserByTokenHash(ctx, rapport.HashToken(secret)); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("disabled user's token: %v", err)
		}
		users, _, err := db.FindUsers(ctx, rapport.UserFilter{Role: rapport.RoleRequester})
		if err != nil || len(users) != 1 || users[0].DisabledAt == nil || !users[0].DisabledAt.Equal(now) {
			t.Fatalf("FindUsers: %v %v", users, err)
		}
	})
}

func TestTicketRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		req := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		agent := mustUser(t, db, "ann@example.com", rapport.RoleAgent)
		now := rapport.Now()
		tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "Ünïcode ✓", Body: "line 1\nline 2 'quoted'", Impact: rapport.Impact{CostsMoney: true}, Channel: rapport.ChannelWalkUp}, req, agent, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateTicket(ctx, tk) }); err != nil {
			t.Fatal(err)
		}
		if tk.QueuePosition != nil {
			t.Fatalf("QueuePosition=%v inside the create, want nil (read after commit)", *tk.QueuePosition)
		}
		if got, err := db.FindTicketByID(ctx, tk.ID); err != nil || got.QueuePosition == nil || *got.QueuePosition != 1 {
			t.Fatalf("QueuePosition=%v (%v), want 1", got.QueuePosition, err)
		}
		later := now.Add(90 * time.Second)
		err = db.Update(ctx, func(tx rapport.Tx) error {
			locked, err := tx.LockTicket(ctx, tk.ID)
			if err != nil {
				return err
			}
			if _, err := locked.Claim(agent, later); err != nil {
				return err
			}
			if _, err := locked.AddMessage(agent, "On my way", false, later); err != nil {
				return err
			}
			*tk = *locked
			return tx.UpdateTicket(ctx, locked)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindTicketByID(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tk, got); diff != "" {
			t.Fatalf("ticket round trip (-want +got):\n%s", diff)
		}
		if _, err := db.FindTicketByID(ctx, tk.ID+100); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("missing ticket: %v", err)
		}
	})
}

// TestQueueOrder checks the ER rule (critical first, then arrival) and that
// the positions from the counters agree with the queue order after every
// kind of change.
func TestQueueOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		req := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		agent := mustUser(t, db, "ann@example.com", rapport.RoleAgent)
		crit := rapport.Impact{Outage: true}
		n1 := mustTicket(t, db, req, rapport.Impact{})
		c1 := mustTicket(t, db, req, crit)
		n2 := mustTicket(t, db, req, rapport.Impact{})
		c2 := mustTicket(t, db, req, rapport.Impact{BlocksWork: true})
		for _, tc := range []struct {
			tk   *rapport.Ticket
			want int
		}{{n1, 1}, {c1, 1}, {n2, 3}, {c2, 2}} {
			if *tc.tk.QueuePosition != tc.want {
				t.Errorf("ticket %d created at position %d, want %d", tc.tk.ID, *tc.tk.QueuePosition, tc.want)
			}
		}
		assertQueue(t, db, c1.ID, c2.ID, n1.ID, n2.ID)

		change := func(id int64, fn func(tk *rapport.Ticket) error) {
			t.Helper()
			err := db.Update(ctx, func(tx rapport.Tx) error {
				tk, err := tx.LockTicket(ctx, id)
				if err != nil {
					return err
				}
				if err := fn(tk); err != nil {
					return err
				}
				return tx.UpdateTicket(ctx, tk)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		now := rapport.Now()
		change(n2.ID, func(tk *rapport.Ticket) error {
			_, err := tk.Triage(agent, rapport.PriorityCritical, "floor down", now)
			return err
		})
		// Raised to critical, n2 joins the critical tickets in arrival order.
		assertQueue(t, db, c1.ID, n2.ID, c2.ID, n1.ID)
		change(c1.ID, func(tk *rapport.Ticket) error { _, err := tk.Claim(agent, now); return err })
		assertQueue(t, db, n2.ID, c2.ID, n1.ID)
		change(c2.ID, func(tk *rapport.Ticket) error { _, err := tk.Resolve(agent, "fixed", now); return err })
		assertQueue(t, db, n2.ID, n1.ID)
		// Put back, c1 keeps the place its arrival earned.
		change(c1.ID, func(tk *rapport.Ticket) error { _, err := tk.Assign(agent, nil, now); return err })
		assertQueue(t, db, c1.ID, n2.ID, n1.ID)
		change(c2.ID, func(tk *rapport.Ticket) error { _, err := tk.Reopen(req, "again", time.Hour, now); return err })
		assertQueue(t, db, c1.ID, n2.ID, c2.ID, n1.ID)
		change(n2.ID, func(tk *rapport.Ticket) error {
			_, err := tk.Triage(agent, rapport.PriorityNormal, "only one", now)
			return err
		})
		assertQueue(t, db, c1.ID, c2.ID, n1.ID, n2.ID)

		list, _, err := db.FindTickets(ctx, rapport.TicketFilter{RequesterID: &req.ID})
		if err != nil || len(list) != 4 {
			t.Fatalf("FindTickets: %d %v", len(list), err)
		}
		for _, tk := range list {
			one, _ := db.FindTicketByID(ctx, tk.ID)
			if diff := cmp.Diff(one.QueuePosition, tk.QueuePosition); diff != "" {
				t.Errorf("ticket %d: list and single positions differ: %s", tk.ID, diff)
			}
		}
	})
}

// assertQueue checks FindQueue's order, each ticket's counted position and
// the counter-based position a new ticket of each priority would get.
func assertQueue(t *testing.T, db *store.DB, want ...int64) {
	t.Helper()
	q, err := db.FindQueue(ctx, rapport.QueueCursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for i, tk := range q {
		got = append(got, tk.ID)
		one, err := db.FindTicketByID(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *tk.QueuePosition != i+1 || one.QueuePosition == nil || *one.QueuePosition != i+1 {
			t.Errorf("ticket %d: positions %v and %v, want %d", tk.ID, *tk.QueuePosition, one.QueuePosition, i+1)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("queue order (-want +got):\n%s", diff)
	}
	if n, err := db.CheckQueueBlocks(ctx); err != nil || n != 0 {
		t.Fatalf("CheckQueueBlocks=%d, %v; want 0 blocks out of step", n, err)
	}
}

func TestUpdateRollsBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		req := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		boom := errors.New("boom")
		err := db.Update(ctx, func(tx rapport.Tx) error {
			tk, ev, _ := rapport.NewTicket(rapport.TicketInput{Subject: "s", Body: "b", Channel: rapport.ChannelAPI}, req, nil, rapport.Now())
			if err := tx.CreateTicket(ctx, tk); err != nil {
				return err
			}
			ev.TicketID = tk.ID
			if err := tx.AddEvent(ctx, ev); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update=%v, want boom", err)
		}
		if list, _, _ := db.FindTickets(ctx, rapport.TicketFilter{}); len(list) != 0 {
			t.Fatalf("%d tickets after rollback", len(list))
		}
		if tk := mustTicket(t, db, req, rapport.Impact{}); *tk.QueuePosition != 1 {
			t.Fatalf("position after rollback %d, want 1", *tk.QueuePosition)
		}
	})
}

func TestEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		req := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		tk := mustTicket(t, db, req, rapport.Impact{})
		now := rapport.Now()
		evs := []*rapport.Event{
			{TicketID: tk.ID, Type: rapport.EventMessage, Actor: req.Ref(), Body: "hello", CreatedAt: now},
			{TicketID: tk.ID, Type: rapport.EventNote, Actor: req.Ref(), Body: "private", Internal: true, CreatedAt: now},
			{TicketID: tk.ID, Type: rapport.EventTriaged, Body: "why", Data: map[string]string{"from": "normal", "to": "critical"}, CreatedAt: now},
		}
		err := db.Update(ctx, func(tx rapport.Tx) error {
			for _, e := range evs {
				if err := tx.AddEvent(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all, _, err := db.FindEvents(ctx, rapport.EventFilter{TicketID: tk.ID, IncludeInternal: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(evs, all); diff != "" {
			t.Fatalf("events (-want +got):\n%s", diff)
		}
		public, _, _ := db.FindEvents(ctx, rapport.EventFilter{TicketID: tk.ID})
		if len(public) != 2 || public[0].Internal || public[1].Internal {
			t.Fatalf("public events: %+v", public)
		}
	})
}

// TestDataFolder: files beside a SQLite database go next to its file,
// whatever settings its DSN carries; with PostgreSQL, under data.
func TestDataFolder(t *testing.T) {
	for dsn, want := range map[string]string{
		"/var/lib/rapport/rapport.db":                "/var/lib/rapport",
		"file:rapport.db?_pragma=busy_timeout(5000)": ".",
		"data/rapport.db":                            "data",
		"postgres://rapport@db/rapport":              "data",
	} {
		if got := store.DataFolder(dsn); got != want {
			t.Errorf("DataFolder(%q) = %q, want %q", dsn, got, want)
		}
	}
}
