package live_test

import (
	"context"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/testdb"
)

var _ desk.Alerter = (*live.Broker)(nil)

// TestAlertsReachWhomTheyAreFor: a strike alert reaches supervisors and
// admins only; an invitation or a handover only the colleague named;
// requesters never hear of either.
func TestAlertsReachWhomTheyAreFor(t *testing.T) {
	b := live.New(quiet)
	ctx := context.Background()
	bob := &rapport.User{ID: 3, Name: "Bob Agent", Role: rapport.RoleAgent}
	ada := &rapport.User{ID: 4, Name: "Ada Admin", Role: rapport.RoleAdmin}
	subs := map[string]*live.Subscription{}
	for name, u := range map[string]*rapport.User{"agent": agent, "bob": bob, "boss": boss, "ada": ada, "pat": pat} {
		subs[name] = b.Subscribe(live.FilterFor(u), "")
		defer subs[name].Close()
	}
	b.Alert(ctx, desk.AlertStrike, 100, 0)
	b.Alert(ctx, desk.AlertInvited, 100, bob.ID)
	b.Alert(ctx, desk.AlertHandover, 100, agent.ID)
	b.Alert(ctx, desk.AlertComplaint, 101, 0)
	b.Alert(ctx, desk.AlertKudos, 102, bob.ID)
	for _, tc := range []struct {
		name string
		want []seen
	}{
		{"agent", []seen{{live.KindHandover, 100}}},
		{"bob", []seen{{live.KindInvited, 100}, {live.KindKudos, 102}}},
		{"boss", []seen{{live.KindStrike, 100}, {live.KindComplaint, 101}}},
		{"ada", []seen{{live.KindStrike, 100}, {live.KindComplaint, 101}}},
		{"pat", nil},
	} {
		if g := kinds(subs[tc.name].Take()); !equal(g, tc.want) {
			t.Errorf("%s got %v, want %v", tc.name, g, tc.want)
		}
	}
}

// TestAlertsAcrossNodes: an alert published on one node reaches the
// colleague it names on another, with whom it is for.
func TestAlertsAcrossNodes(t *testing.T) {
	dsn := testdb.DSN(t, "postgres")
	a, b := node(t, dsn), node(t, dsn)
	bob := &rapport.User{ID: 3, Name: "Bob Agent", Role: rapport.RoleAgent}
	onB := b.Subscribe(live.FilterFor(bob), "")
	defer onB.Close()
	a.Alert(context.Background(), desk.AlertInvited, 7, bob.ID)
	if c := next(t, onB); c.Kind != live.KindInvited || c.TicketID != 7 || c.UserID != bob.ID {
		t.Fatalf("node B got %+v", c)
	}
	a.Alert(context.Background(), desk.AlertKudos, 8, bob.ID)
	if c := next(t, onB); c.Kind != live.KindKudos || c.TicketID != 8 || c.UserID != bob.ID {
		t.Fatalf("node B got %+v", c)
	}
}
