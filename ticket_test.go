package rapport_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

var (
	t0        = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	requester = &rapport.User{ID: 1, Email: "pat@example.com", Name: "Pat", Role: rapport.RoleRequester}
	other     = &rapport.User{ID: 3, Email: "sam@example.com", Name: "Sam", Role: rapport.RoleRequester}
	agent     = &rapport.User{ID: 2, Email: "ann@example.com", Name: "Ann", Role: rapport.RoleAgent}
)

func TestImpactPriority(t *testing.T) {
	for _, tc := range []struct {
		impact rapport.Impact
		want   rapport.Priority
	}{
		{rapport.Impact{}, rapport.PriorityNormal},
		{rapport.Impact{Outage: true}, rapport.PriorityCritical},
		{rapport.Impact{CostsMoney: true}, rapport.PriorityCritical},
		{rapport.Impact{BlocksWork: true}, rapport.PriorityCritical},
		{rapport.Impact{Outage: true, CostsMoney: true, BlocksWork: true}, rapport.PriorityCritical},
	} {
		if got := tc.impact.Priority(); got != tc.want {
			t.Errorf("%+v.Priority()=%v, want %v", tc.impact, got, tc.want)
		}
	}
}

func TestNewTicketValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     rapport.TicketInput
		fields []string
	}{
		{"ok", rapport.TicketInput{Subject: "VPN", Body: "It drops", Channel: rapport.ChannelAPI}, nil},
		{"empty", rapport.TicketInput{Subject: "  ", Body: "", Channel: rapport.ChannelAPI}, []string{"subject", "body"}},
		{"long subject", rapport.TicketInput{Subject: strings.Repeat("a", 201), Body: "x", Channel: rapport.ChannelAPI}, []string{"subject"}},
		{"nul", rapport.TicketInput{Subject: "a\x00b", Body: "x", Channel: rapport.ChannelAPI}, []string{"subject"}},
		{"channel", rapport.TicketInput{Subject: "a", Body: "x", Channel: "pigeon"}, []string{"channel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := rapport.NewTicket(tc.in, requester, nil, t0)
			var got []string
			for _, f := range rapport.ErrorFields(err) {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("fields=%v, want %v (err %v)", got, tc.fields, err)
			}
			if tc.fields != nil && rapport.ErrorCode(err) != rapport.EINVALID {
				t.Fatalf("code=%v, want invalid", rapport.ErrorCode(err))
			}
		})
	}
}

func newTicket(t *testing.T) *rapport.Ticket {
	t.Helper()
	tk, ev, err := rapport.NewTicket(rapport.TicketInput{Subject: " Laptop ", Body: "Won't boot", Channel: rapport.ChannelPortal}, requester, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Subject != "Laptop" || tk.Status != rapport.StatusNew || !tk.Queued() || ev.Type != rapport.EventCreated {
		t.Fatalf("new ticket %+v, event %+v", tk, ev)
	}
	tk.ID = 7
	return tk
}

func TestLoggedOnBehalf(t *testing.T) {
	tk, ev, err := rapport.NewTicket(rapport.TicketInput{Subject: "a", Body: "b", Channel: rapport.ChannelPhone}, requester, agent, t0)
	if err != nil {
		t.Fatal(err)
	}
	if tk.LoggedBy == nil || tk.LoggedBy.ID != agent.ID || ev.Actor.ID != agent.ID || tk.Requester.ID != requester.ID {
		t.Fatalf("LoggedBy=%v actor=%v requester=%v", tk.LoggedBy, ev.Actor, tk.Requester)
	}
}

func TestClaim(t *testing.T) {
	tk := newTicket(t)
	if _, err := tk.Claim(requester, t0); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
		t.Fatalf("requester claim: %v", err)
	}
	if _, err := tk.Claim(agent, t0); err != nil {
		t.Fatal(err)
	}
	if tk.Status != rapport.StatusOpen || tk.Queued() || tk.Assignee.ID != agent.ID {
		t.Fatalf("after claim: %+v", tk)
	}
	if _, err := tk.Claim(agent, t0); rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("second claim: %v", err)
	}
}

func TestReopenWindow(t *testing.T) {
	const window = 48 * time.Hour
	for _, tc := range []struct {
		name    string
		after   time.Duration
		reason  string
		code    string
		passed  bool
		status  rapport.Status
		reopens int
	}{
		{"within window", time.Hour, "Still broken", "", false, rapport.StatusNew, 1},
		{"no reason", time.Hour, "  ", rapport.EINVALID, false, rapport.StatusResolved, 0},
		{"window passed", window + time.Minute, "Broken again", rapport.ECONFLICT, true, rapport.StatusResolved, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := newTicket(t)
			if _, err := tk.Resolve(requester, "Rebooted", t0); err != nil {
				t.Fatal(err)
			}
			_, err := tk.Reopen(requester, tc.reason, window, t0.Add(tc.after))
			if rapport.ErrorCode(err) != tc.code {
				t.Fatalf("code=%q, want %q (%v)", rapport.ErrorCode(err), tc.code, err)
			}
			if (err == rapport.ErrReopenWindowPassed) != tc.passed {
				t.Fatalf("window passed=%v, want %v", err == rapport.ErrReopenWindowPassed, tc.passed)
			}
			if tk.Status != tc.status || tk.ReopenCount != tc.reopens {
				t.Fatalf("status=%v reopens=%d, want %v %d", tk.Status, tk.ReopenCount, tc.status, tc.reopens)
			}
		})
	}
}

func TestReopenKeepsAssignee(t *testing.T) {
	tk := newTicket(t)
	tk.Claim(agent, t0)
	tk.Resolve(agent, "Replaced the cable", t0)
	if _, err := tk.Reopen(requester, "Flickers again", time.Hour, t0); err != nil {
		t.Fatal(err)
	}
	if tk.Status != rapport.StatusOpen || tk.Assignee == nil || tk.Resolution != "" || tk.ResolvedAt != nil {
		t.Fatalf("after reopen: %+v", tk)
	}
	if _, err := tk.Reopen(requester, "again", time.Hour, t0); rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("reopen of open ticket: %v", err)
	}
}

func TestFollowUp(t *testing.T) {
	tk := newTicket(t)
	tk.Impact = rapport.Impact{BlocksWork: true}
	tk.Priority = rapport.PriorityCritical
	f, ev := tk.FollowUp(requester, " Broken again ", t0)
	if *f.FollowUpOf != tk.ID || f.Body != "Broken again" || f.Priority != rapport.PriorityCritical || !f.Queued() || ev.Type != rapport.EventCreated {
		t.Fatalf("follow-up %+v", f)
	}
	long := &rapport.Ticket{Subject: strings.Repeat("é", rapport.MaxSubjectLen)}
	if f, _ := long.FollowUp(requester, "x", t0); len([]rune(f.Subject)) > rapport.MaxSubjectLen {
		t.Fatalf("follow-up subject has %d characters", len([]rune(f.Subject)))
	}
}

func TestTriage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		actor    *rapport.User
		priority rapport.Priority
		reason   string
		code     string
	}{
		{"agent raises", agent, rapport.PriorityCritical, "Whole floor is affected", ""},
		{"requester", requester, rapport.PriorityCritical, "Please", rapport.EFORBIDDEN},
		{"no reason", agent, rapport.PriorityCritical, "", rapport.EINVALID},
		{"bad priority", agent, "urgent", "x", rapport.EINVALID},
		{"unchanged", agent, rapport.PriorityNormal, "x", rapport.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := newTicket(t)
			ev, err := tk.Triage(tc.actor, tc.priority, tc.reason, t0)
			if rapport.ErrorCode(err) != tc.code {
				t.Fatalf("code=%q, want %q (%v)", rapport.ErrorCode(err), tc.code, err)
			}
			if err == nil && (tk.Priority != tc.priority || ev.Internal || ev.Body != tc.reason || ev.Data["from"] != "normal") {
				t.Fatalf("ticket %+v event %+v", tk, ev)
			}
		})
	}
}

func TestAddMessage(t *testing.T) {
	tk := newTicket(t)
	if _, err := tk.AddMessage(requester, "secret", true, t0); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
		t.Fatalf("requester internal note: %v", err)
	}
	ev, err := tk.AddMessage(agent, "Checking logs", true, t0)
	if err != nil || ev.Type != rapport.EventNote || !ev.Internal || tk.FirstResponseAt != nil {
		t.Fatalf("note: %+v %v first response %v", ev, err, tk.FirstResponseAt)
	}
	if _, err := tk.AddMessage(agent, "On it", false, t0.Add(time.Minute)); err != nil || tk.FirstResponseAt == nil || !tk.FirstResponseAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("reply: %v first response %v", err, tk.FirstResponseAt)
	}
	tk.Claim(agent, t0)
	tk.Wait(agent, "Waiting for your screenshot", nil, t0)
	if _, err := tk.AddMessage(requester, "Here it is", false, t0); err != nil || tk.Status != rapport.StatusOpen {
		t.Fatalf("requester reply on waiting: %v status %v", err, tk.Status)
	}
	tk.Resolve(agent, "done", t0)
	if _, err := tk.AddMessage(requester, "thanks", false, t0); rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("requester message on resolved: %v", err)
	}
}

func TestAssignAndRelease(t *testing.T) {
	tk := newTicket(t)
	if _, err := tk.Assign(agent, other, t0); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Fatalf("assign to requester: %v", err)
	}
	gone := *agent
	gone.ID, gone.DisabledAt = 9, &t0
	if _, err := tk.Assign(agent, &gone, t0); rapport.ErrorCode(err) != rapport.EINVALID || len(rapport.ErrorFields(err)) != 1 || rapport.ErrorFields(err)[0].Field != "assignee" {
		t.Fatalf("assign to a disabled agent: %v, want a field error on assignee", err)
	}
	if tk.Assignee != nil || !tk.Queued() {
		t.Fatalf("refused assignment changed the ticket: %+v", tk)
	}
	if _, err := tk.Assign(agent, agent, t0); err != nil || tk.Queued() || tk.Status != rapport.StatusOpen {
		t.Fatalf("assign: %v %+v", err, tk)
	}
	ev, err := tk.Assign(agent, nil, t0)
	if err != nil || !tk.Queued() || tk.Status != rapport.StatusNew || ev.Type != rapport.EventReleased {
		t.Fatalf("release: %v %+v", err, tk)
	}
}

func TestCanView(t *testing.T) {
	tk := newTicket(t)
	for _, tc := range []struct {
		u    *rapport.User
		want bool
	}{{requester, true}, {other, false}, {agent, true}, {nil, false}} {
		if got := tk.CanView(tc.u); got != tc.want {
			t.Errorf("CanView(%v)=%v, want %v", tc.u, got, tc.want)
		}
	}
}
