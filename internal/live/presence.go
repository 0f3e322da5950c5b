package live

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
)

// The presence states a member of staff reports on a ticket.
const (
	Viewing  = "viewing"
	Replying = "replying"
)

// DefaultPresenceTTL is how long one heartbeat keeps someone present: a
// page sends one about every 20 seconds, so one lost heartbeat is forgiven.
const DefaultPresenceTTL = 45 * time.Second

// Viewer is a member of staff looking at a ticket now.
type Viewer struct {
	UserID int64
	Name   string
	Email  string
	State  string    // Viewing or Replying
	Since  time.Time // when they entered this state
	// expires is when, without another heartbeat, they are gone. Every
	// node counts it from when it heard the heartbeat, so clocks that
	// disagree do not matter.
	expires time.Time
}

// presence is one node's picture of who looks at which ticket. Heartbeats
// reach every node (through pg_notify on PostgreSQL), and each node expires
// them on its own.
type presence struct {
	mu       sync.Mutex
	byTicket map[int64]map[int64]*Viewer
}

// set records a heartbeat and reports whether anyone watching would see a
// difference (someone new, or a new state). A heartbeat in the same state
// only renews the expiry, keeping the first one's Since.
func (p *presence) set(ticket int64, v Viewer) (Viewer, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	vs := p.byTicket[ticket]
	if vs == nil {
		vs = map[int64]*Viewer{}
		p.byTicket[ticket] = vs
	}
	old := vs[v.UserID]
	if old != nil && old.State == v.State && old.Name == v.Name && old.Email == v.Email {
		old.expires = v.expires
		return *old, false
	}
	vs[v.UserID] = &v
	return v, true
}

// remove forgets a viewer and reports whether they were there.
func (p *presence) remove(ticket, user int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	vs := p.byTicket[ticket]
	if vs[user] == nil {
		return false
	}
	delete(vs, user)
	if len(vs) == 0 {
		delete(p.byTicket, ticket)
	}
	return true
}

// list returns the viewers of ticket except the user except, longest there
// first.
func (p *presence) list(ticket, except int64, now time.Time) []Viewer {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := []Viewer{}
	for id, v := range p.byTicket[ticket] {
		if id != except && now.Before(v.expires) {
			out = append(out, *v)
		}
	}
	slices.SortFunc(out, func(a, b Viewer) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	return out
}

// expire forgets the viewers whose heartbeat ran out and returns the
// tickets that lost someone.
func (p *presence) expire(now time.Time) []int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var changed []int64
	for ticket, vs := range p.byTicket {
		n := len(vs)
		for id, v := range vs {
			if !now.Before(v.expires) {
				delete(vs, id)
			}
		}
		if len(vs) == 0 {
			delete(p.byTicket, ticket)
		}
		if len(vs) != n {
			changed = append(changed, ticket)
		}
	}
	return changed
}

func (b *Broker) presenceTTL() time.Duration {
	if b.PresenceTTL > 0 {
		return b.PresenceTTL
	}
	return DefaultPresenceTTL
}

func staffOnly(u *rapport.User) error {
	if u == nil {
		return rapport.Errorf(rapport.EUNAUTHORIZED, "Please sign in first.")
	}
	if !u.IsStaff() {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can see who else is working on a ticket.")
	}
	return nil
}

// Present records that u (staff) is on ticket in state, Viewing or
// Replying, for the next PresenceTTL, and tells the other nodes. The
// ticket's other viewers hear of it when something they see changed.
func (b *Broker) Present(ctx context.Context, ticket int64, u *rapport.User, state string) error {
	if err := staffOnly(u); err != nil {
		return err
	}
	if state != Viewing && state != Replying {
		return rapport.Invalid("state", "state must be %q or %q.", Viewing, Replying)
	}
	now := time.Now()
	v, changed := b.presence.set(ticket, Viewer{UserID: u.ID, Name: u.Name, Email: u.Email, State: state, Since: rapport.Truncate(now), expires: now.Add(b.presenceTTL())})
	b.presenceChanged(ctx, ticket, changed, wireMsg{Kind: KindPresence, Ticket: ticket, User: u.ID, Name: u.Name, Email: u.Email, State: state, Since: v.Since.UnixMicro()})
	return nil
}

// Leave records that u left ticket.
func (b *Broker) Leave(ctx context.Context, ticket int64, u *rapport.User) error {
	if err := staffOnly(u); err != nil {
		return err
	}
	changed := b.presence.remove(ticket, u.ID)
	b.presenceChanged(ctx, ticket, changed, wireMsg{Kind: KindPresence, Ticket: ticket, User: u.ID})
	return nil
}

// Presence lists the staff other than u on ticket now, longest there first.
func (b *Broker) Presence(ticket int64, u *rapport.User) ([]Viewer, error) {
	if err := staffOnly(u); err != nil {
		return nil, err
	}
	return b.presence.list(ticket, u.ID, time.Now()), nil
}

// presenceChanged sends a heartbeat to the other nodes (even one that
// changes nothing here renews the expiry there) and tells this node's
// subscribers when there is something new to see.
func (b *Broker) presenceChanged(ctx context.Context, ticket int64, changed bool, w wireMsg) {
	if b.pg != nil {
		b.pg.enqueue(ctx, b, w)
	}
	if changed {
		b.deliver([]Change{{Kind: KindPresence, TicketID: ticket, At: rapport.Now()}})
	}
}

// applyPresence takes a heartbeat or a leave from another node.
func (b *Broker) applyPresence(w wireMsg) {
	var changed bool
	if w.State == "" {
		changed = b.presence.remove(w.Ticket, w.User)
	} else {
		_, changed = b.presence.set(w.Ticket, Viewer{UserID: w.User, Name: w.Name, Email: w.Email, State: w.State,
			Since: time.UnixMicro(w.Since).UTC(), expires: time.Now().Add(b.presenceTTL())})
	}
	if changed {
		b.deliver([]Change{{Kind: KindPresence, TicketID: w.Ticket, At: rapport.Now()}})
	}
}

// expirePresence forgets the viewers whose heartbeats stopped, telling
// subscribers, until ctx ends.
func (b *Broker) expirePresence(ctx context.Context) {
	tick := time.NewTicker(max(b.presenceTTL()/10, 100*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			for _, ticket := range b.presence.expire(now) {
				b.deliver([]Change{{Kind: KindPresence, TicketID: ticket, At: rapport.Now()}})
			}
		}
	}
}
