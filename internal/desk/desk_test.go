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

// as is a request by u through the API.
func as(u *rapport.User) context.Context {
	return rapport.NewContextWithRoute(rapport.NewContextWithUser(context.Background(), u), rapport.RouteAPI)
}

func mustAdd(t *testing.T, d *desk.Desk, email string, role rapport.Role) *rapport.User {
	t.Helper()
	u, err := d.AddUser(context.Background(), email, "Person "+email, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// people is the set-up most desk tests share: a desk over db with a
// requester (pat@example.com) and an agent (ann@example.com). A non-nil
// clock is the desk's, before anyone is added.
func people(t *testing.T, db *store.DB, clock func() time.Time) (d *desk.Desk, pat, ann *rapport.User) {
	t.Helper()
	d = desk.New(db)
	if clock != nil {
		d.Now = clock
	}
	return d, mustAdd(t, d, "pat@example.com", rapport.RoleRequester), mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
}

func ask(t *testing.T, d *desk.Desk, u *rapport.User, impact rapport.Impact) *rapport.Ticket {
	t.Helper()
	tk, err := d.CreateTicket(as(u), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Help", Body: "Please", Impact: impact}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// TestConcurrentClaims: many agents claiming at once never get the same
// ticket, and between them get every ticket exactly once.
func TestConcurrentClaims(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		req := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		const tickets, agents = 60, 8
		for i := 0; i < tickets; i++ {
			ask(t, d, req, rapport.Impact{Outage: i%5 == 0})
		}
		var staff []*rapport.User
		for i := 0; i < agents; i++ {
			staff = append(staff, mustAdd(t, d, "agent"+string(rune('a'+i))+"@example.com", rapport.RoleAgent))
		}
		var mu sync.Mutex
		claimed := map[int64]int64{}
		var wg sync.WaitGroup
		errs := make(chan error, agents)
		for _, a := range staff {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					tk, err := d.ClaimNext(as(a))
					if err != nil {
						errs <- err
						return
					}
					if tk == nil {
						return
					}
					mu.Lock()
					if prev, dup := claimed[tk.ID]; dup {
						t.Errorf("ticket %d claimed by %d and %d", tk.ID, prev, a.ID)
					}
					claimed[tk.ID] = a.ID
					mu.Unlock()
					if tk.Assignee.ID != a.ID || tk.QueuePosition != nil || tk.Status != rapport.StatusOpen {
						t.Errorf("claimed ticket %+v", tk)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(claimed) != tickets {
			t.Fatalf("%d tickets claimed, want %d", len(claimed), tickets)
		}
		for id, agent := range claimed {
			tk, _ := db.FindTicketByID(context.Background(), id)
			if tk.Assignee == nil || tk.Assignee.ID != agent {
				t.Fatalf("ticket %d stored assignee %v, claimed by %d", id, tk.Assignee, agent)
			}
		}
	})
}

func TestClaimOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		req := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		agent := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
		n1 := ask(t, d, req, rapport.Impact{})
		c1 := ask(t, d, req, rapport.Impact{CostsMoney: true})
		n2 := ask(t, d, req, rapport.Impact{})
		for _, want := range []int64{c1.ID, n1.ID, n2.ID} {
			tk, err := d.ClaimNext(as(agent))
			if err != nil || tk == nil || tk.ID != want {
				t.Fatalf("claimed %v (%v), want ticket %d", tk, err, want)
			}
		}
		if tk, err := d.ClaimNext(as(agent)); tk != nil || err != nil {
			t.Fatalf("empty queue: %v %v", tk, err)
		}
		if _, err := d.ClaimNext(as(req)); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("requester claim: %v", err)
		}
	})
}

func TestVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		sam := mustAdd(t, d, "sam@example.com", rapport.RoleRequester)
		agent := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
		tk := ask(t, d, pat, rapport.Impact{})
		ask(t, d, sam, rapport.Impact{})
		for name, fn := range map[string]func() error{
			"get":      func() error { _, err := d.Ticket(as(sam), tk.ID); return err },
			"timeline": func() error { _, _, err := d.Timeline(as(sam), tk.ID, "", 0); return err },
			"message":  func() error { _, err := d.AddMessage(as(sam), tk.ID, "hi", false); return err },
			"resolve":  func() error { _, err := d.Resolve(as(sam), tk.ID, "x"); return err },
			"reopen":   func() error { _, _, err := d.Reopen(as(sam), tk.ID, "x"); return err },
		} {
			if err := fn(); rapport.ErrorCode(err) != rapport.ENOTFOUND {
				t.Errorf("%s on another's ticket: %v, want not found", name, err)
			}
		}
		mine, _, _ := d.Tickets(as(pat), desk.TicketQuery{})
		all, _, _ := d.Tickets(as(agent), desk.TicketQuery{})
		if len(mine) != 1 || mine[0].ID != tk.ID || len(all) != 2 {
			t.Fatalf("pat sees %d, agent sees %d", len(mine), len(all))
		}
		if _, err := d.Queue(as(pat), rapport.QueueCursor{}, 10); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("requester queue: %v", err)
		}
		d.AddMessage(as(agent), tk.ID, "internal", true)
		d.AddMessage(as(agent), tk.ID, "public", false)
		pub, _, _ := d.Timeline(as(pat), tk.ID, "", 0)
		staff, _, _ := d.Timeline(as(agent), tk.ID, "", 0)
		if len(pub) != 2 || len(staff) != 3 {
			t.Fatalf("requester sees %d events, staff %d", len(pub), len(staff))
		}
	})
}

func TestOnBehalf(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		agent := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
		pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		in := desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Phone call", Body: "Printer"}, RequesterEmail: "New.Person@Example.com"}
		tk, err := d.CreateTicket(as(agent), in)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Requester.Email != "new.person@example.com" || tk.Requester.Name != "New Person" || tk.LoggedBy.ID != agent.ID || tk.Channel != rapport.ChannelPhone {
			t.Fatalf("logged ticket %+v requester %+v", tk, tk.Requester)
		}
		newcomer, err := db.FindUserByEmail(context.Background(), "new.person@example.com")
		if err != nil || newcomer.Role != rapport.RoleRequester {
			t.Fatalf("new requester %v %v", newcomer, err)
		}
		if _, err := d.CreateTicket(as(pat), in); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("requester on behalf: %v", err)
		}
		in.RequesterEmail = "pat@example.com"
		if tk, err := d.CreateTicket(as(pat), in); err != nil || tk.LoggedBy != nil {
			t.Fatalf("requester naming themselves: %v %v", tk, err)
		}
		// Bad input creates nobody.
		in.RequesterEmail, in.Subject = "ghost@example.com", ""
		if _, err := d.CreateTicket(as(agent), in); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("invalid on behalf: %v", err)
		}
		if _, err := db.FindUserByEmail(context.Background(), "ghost@example.com"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("ghost account created: %v", err)
		}
	})
}

func TestReopenAndFollowUp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		d.Now = func() time.Time { return now }
		d.ReopenWindow = 7 * 24 * time.Hour
		pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		agent := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
		tk := ask(t, d, pat, rapport.Impact{BlocksWork: true})
		d.ClaimNext(as(agent))
		if _, err := d.Resolve(as(agent), tk.ID, "Reset the password"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(24 * time.Hour)
		re, followUp, err := d.Reopen(as(pat), tk.ID, "Locked out again")
		if err != nil || followUp || re.ID != tk.ID || re.Status != rapport.StatusOpen || re.ReopenCount != 1 {
			t.Fatalf("reopen: %+v %v %v", re, followUp, err)
		}
		d.Resolve(as(agent), tk.ID, "Unlocked")
		if _, err := d.Close(as(agent), tk.ID); err != nil {
			t.Fatal(err)
		}
		now = now.Add(8 * 24 * time.Hour)
		f, followUp, err := d.Reopen(as(pat), tk.ID, "Locked out a third time")
		if err != nil || !followUp || f.ID == tk.ID || *f.FollowUpOf != tk.ID || f.Priority != rapport.PriorityCritical || f.QueuePosition == nil {
			t.Fatalf("follow-up: %+v %v %v", f, followUp, err)
		}
		old, _ := d.Ticket(as(pat), tk.ID)
		if old.Status != rapport.StatusClosed {
			t.Fatalf("old ticket status %v", old.Status)
		}
		evs, _, _ := d.Timeline(as(pat), tk.ID, "", 0)
		if last := evs[len(evs)-1]; last.Type != rapport.EventFollowUp {
			t.Fatalf("last event %v, want follow_up", last.Type)
		}
	})
}

func TestTokensAndUsers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		ctx := context.Background()
		admin := mustAdd(t, d, "root@example.com", rapport.RoleAdmin)
		secret, err := d.CreateToken(ctx, "ROOT@example.com", "ci")
		if err != nil {
			t.Fatal(err)
		}
		if u, err := d.Authenticate(ctx, secret); err != nil || u.ID != admin.ID {
			t.Fatalf("Authenticate: %v %v", u, err)
		}
		if _, err := d.Authenticate(ctx, "rpt_wrong"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("wrong token: %v", err)
		}
		if _, err := d.CreateToken(ctx, "nobody@example.com", ""); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("token for nobody: %v", err)
		}
		yes := true
		mustAdd(t, d, "ada@example.com", rapport.RoleAdmin) // the last admin cannot be disabled
		if _, err := d.UpdateUser(ctx, "root@example.com", desk.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Authenticate(ctx, secret); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("disabled account: %v", err)
		}
		if _, err := d.AddUserAsAdmin(as(&rapport.User{ID: 99, Role: rapport.RoleAgent}), "x@example.com", "X", rapport.RoleAdmin); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("agent adding admin: %v", err)
		}
	})
}
