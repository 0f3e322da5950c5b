package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/live"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

var (
	agent = &rapport.User{ID: 1, Name: "Ann Agent", Role: rapport.RoleAgent}
	boss  = &rapport.User{ID: 2, Name: "Sue Supervisor", Role: rapport.RoleSupervisor}
	pat   = &rapport.User{ID: 10, Name: "Pat", Role: rapport.RoleRequester}
	sam   = &rapport.User{ID: 11, Name: "Sam", Role: rapport.RoleRequester}
)

func ticket(id int64, requester *rapport.User) *rapport.Ticket {
	return &rapport.Ticket{ID: id, Requester: requester.Ref(), Assignee: agent.Ref(), UpdatedAt: rapport.Now()}
}

// next waits (boundedly) for the next change.
func next(t *testing.T, s *live.Subscription) live.Change {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return c
}

type seen struct {
	Kind   live.Kind
	Ticket int64
}

func kinds(cs []live.Change) []seen {
	var out []seen
	for _, c := range cs {
		out = append(out, seen{c.Kind, c.TicketID})
	}
	return out
}

func TestVisibility(t *testing.T) {
	b := live.New(quiet)
	ctx := context.Background()
	subs := map[string]*live.Subscription{}
	for name, u := range map[string]*rapport.User{"agent": agent, "pat": pat, "sam": sam} {
		subs[name] = b.Subscribe(live.FilterFor(u), "")
		defer subs[name].Close()
	}
	b.TicketChanged(ctx, ticket(100, pat), true)
	b.TicketChanged(ctx, ticket(200, sam), false)
	if err := b.Present(ctx, 100, agent, live.Viewing); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		want []seen
	}{
		{"agent", []seen{{live.KindTicket, 100}, {live.KindQueue, 100}, {live.KindTicket, 200}, {live.KindPresence, 100}}},
		{"pat", []seen{{live.KindTicket, 100}, {live.KindQueue, 0}}},
		{"sam", []seen{{live.KindQueue, 0}, {live.KindTicket, 200}}},
	} {
		got := subs[tc.name].Take()
		if g, w := kinds(got), tc.want; !equal(g, w) {
			t.Errorf("%s got %v, want %v", tc.name, g, w)
		}
		for _, c := range got {
			if c.Kind == live.KindQueue && tc.name != "agent" && (c.RequesterID != 0 || c.AssigneeID != 0) {
				t.Errorf("%s sees whose ticket moved the queue: %+v", tc.name, c)
			}
		}
	}
}

func equal(a, b []seen) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSlowSubscriberBounded: a subscriber that never reads holds at most
// MaxPending changes, then one resync; the publisher never waits.
func TestSlowSubscriberBounded(t *testing.T) {
	b := live.New(quiet)
	slow := b.Subscribe(live.Filter{Staff: true}, "")
	defer slow.Close()
	ctx := context.Background()
	for i := range 10 * live.MaxPending {
		b.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: int64(i + 1)})
	}
	got := slow.Take()
	if len(got) != 1 || got[0].Kind != live.KindResync || got[0].Seq != 10*live.MaxPending {
		t.Fatalf("after falling behind: %+v, want one resync at %d", got, 10*live.MaxPending)
	}
	b.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: 7})
	if c := next(t, slow); c.Kind != live.KindTicket || c.TicketID != 7 {
		t.Fatalf("after the resync: %+v", c)
	}
	// Just under the bound nothing is lost.
	for i := range live.MaxPending {
		b.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: int64(i + 1)})
	}
	if got := slow.Take(); len(got) != live.MaxPending || got[0].Kind != live.KindTicket {
		t.Fatalf("%d changes (first %+v), want %d", len(got), got[0], live.MaxPending)
	}
}

func TestResumeAfterEventID(t *testing.T) {
	b := live.New(quiet)
	ctx := context.Background()
	s := b.Subscribe(live.FilterFor(pat), "")
	b.TicketChanged(ctx, ticket(1, pat), false)
	first := next(t, s)
	s.Close()
	b.TicketChanged(ctx, ticket(2, sam), false) // not for pat
	b.TicketChanged(ctx, ticket(3, pat), false)
	other := live.New(quiet)
	for _, tc := range []struct {
		name  string
		after string
		want  []seen
	}{
		{"kept", b.EventID(first), []seen{{live.KindTicket, 3}}},
		{"another node", other.EventID(first), []seen{{live.KindResync, 0}}},
		{"not an id", "yesterday", []seen{{live.KindResync, 0}}},
		{"fresh", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := b.Subscribe(live.FilterFor(pat), tc.after)
			defer s.Close()
			if got := kinds(s.Take()); !equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("too old", func(t *testing.T) {
		for range 2000 {
			b.Publish(ctx, live.Change{Kind: live.KindTicket, RequesterID: pat.ID})
		}
		s := b.Subscribe(live.FilterFor(pat), b.EventID(first))
		defer s.Close()
		if got := kinds(s.Take()); !equal(got, []seen{{live.KindResync, 0}}) {
			t.Fatalf("got %v, want a resync", got)
		}
	})
}

func TestCloseEndsSubscriptions(t *testing.T) {
	b := live.New(quiet)
	s := b.Subscribe(live.Filter{Staff: true}, "")
	b.Close()
	if _, err := s.Next(context.Background()); !errors.Is(err, live.ErrClosed) {
		t.Fatalf("Next after Close: %v, want ErrClosed", err)
	}
	late := b.Subscribe(live.Filter{Staff: true}, "")
	select {
	case <-late.Done():
	default:
		t.Fatal("a subscription after Close is open")
	}
	b.Publish(context.Background(), live.Change{Kind: live.KindTicket}) // no panic, nobody to tell
}

func TestPresence(t *testing.T) {
	b := live.New(quiet)
	b.PresenceTTL = time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Run(ctx)
	watch := b.Subscribe(live.FilterFor(boss), "")
	defer watch.Close()

	for _, tc := range []struct {
		who   *rapport.User
		state string
		code  string
	}{
		{pat, live.Viewing, rapport.EFORBIDDEN},
		{agent, "lurking", rapport.EINVALID},
		{nil, live.Viewing, rapport.EUNAUTHORIZED},
	} {
		if err := b.Present(ctx, 5, tc.who, tc.state); rapport.ErrorCode(err) != tc.code {
			t.Errorf("Present(%v, %q) = %v, want %s", tc.who, tc.state, err, tc.code)
		}
	}
	if _, err := b.Presence(5, pat); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
		t.Errorf("a requester lists presence: %v", err)
	}
	if err := b.Present(ctx, 5, agent, live.Viewing); err != nil {
		t.Fatal(err)
	}
	if c := next(t, watch); c.Kind != live.KindPresence || c.TicketID != 5 {
		t.Fatalf("boss heard %+v", c)
	}
	vs, _ := b.Presence(5, boss)
	if len(vs) != 1 || vs[0].UserID != agent.ID || vs[0].Name != agent.Name || vs[0].State != live.Viewing {
		t.Fatalf("boss sees %+v", vs)
	}
	if vs, _ := b.Presence(5, agent); len(vs) != 0 {
		t.Fatalf("agent sees themself: %+v", vs)
	}
	// A heartbeat that changes nothing visible is not announced; a new
	// state is.
	b.Present(ctx, 5, agent, live.Viewing)
	b.Present(ctx, 5, agent, live.Replying)
	if c := next(t, watch); c.Kind != live.KindPresence {
		t.Fatalf("boss heard %+v", c)
	}
	if got := watch.Take(); len(got) != 0 {
		t.Fatalf("extra notices %+v", got)
	}
	// Without heartbeats the agent is gone after PresenceTTL.
	if c := next(t, watch); c.Kind != live.KindPresence || c.TicketID != 5 {
		t.Fatalf("boss heard %+v", c)
	}
	if vs, _ := b.Presence(5, boss); len(vs) != 0 {
		t.Fatalf("still present after expiry: %+v", vs)
	}
	b.Present(ctx, 5, agent, live.Viewing)
	next(t, watch)
	b.Leave(ctx, 5, agent)
	if c := next(t, watch); c.Kind != live.KindPresence {
		t.Fatalf("boss heard %+v", c)
	}
	if vs, _ := b.Presence(5, boss); len(vs) != 0 {
		t.Fatalf("still present after leaving: %+v", vs)
	}
}

// TestPackUnderLimit: batches of notifications stay under PostgreSQL's
// payload limit and lose nothing, even with the longest names.
func TestPackUnderLimit(t *testing.T) {
	long := strings.Repeat("\u0007名", rapport.MaxNameLen/2) // escapes and multi-byte runes
	for _, n := range []int{1, 5, 200} {
		names := make([]string, n)
		for i := range names {
			names[i] = long
		}
		total := 0
		for _, p := range live.PackPresence("abcdef012345", names) {
			if len(p) >= live.MaxPayload {
				t.Fatalf("payload of %d bytes, limit %d", len(p), live.MaxPayload)
			}
			var batch struct {
				Node string            `json:"node"`
				M    []json.RawMessage `json:"m"`
			}
			if err := json.Unmarshal([]byte(p), &batch); err != nil {
				t.Fatalf("payload is not JSON: %v", err)
			}
			total += len(batch.M)
		}
		if total != n {
			t.Fatalf("%d messages packed, want %d", total, n)
		}
	}
}
