package live

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/rapportdesk/rapport"
)

// ErrClosed is what Next returns once the subscription or broker closed.
var ErrClosed = errors.New("live: subscription closed")

// Filter says which changes a subscriber receives.
type Filter struct {
	// Staff receive every change, except alerts meant for others.
	Staff bool
	// UserID and Supervisor pick a member of staff's alerts: those for
	// them (KindInvited, KindHandover) and, for supervisors and admins,
	// strikes.
	UserID     int64
	Supervisor bool
	// RequesterID, for everyone else, picks the changes to their own
	// tickets. They also hear that the queue moved (their place in it may
	// have), without saying whose ticket moved it.
	RequesterID int64
}

// FilterFor returns the filter for what u may see.
func FilterFor(u *rapport.User) Filter {
	if u.IsStaff() {
		return Filter{Staff: true, UserID: u.ID, Supervisor: u.CanSupervise()}
	}
	return Filter{RequesterID: u.ID}
}

// match reports whether c is for the subscriber, and how they see it.
func (f Filter) match(c Change) (Change, bool) {
	switch {
	case c.Kind == KindStrike || c.Kind == KindComplaint:
		return c, f.Staff && f.Supervisor
	case c.Kind == KindSLAWarning || c.Kind == KindSLABreach:
		return c, f.Staff && ((c.UserID == 0 && f.Supervisor) || (c.UserID != 0 && c.UserID == f.UserID))
	case c.Kind == KindInvited || c.Kind == KindHandover || c.Kind == KindKudos || c.Kind == KindHoldPassed:
		return c, f.Staff && c.UserID != 0 && c.UserID == f.UserID
	case f.Staff || c.Kind == KindResync:
		return c, true
	case c.Kind == KindTicket:
		return c, c.RequesterID != 0 && c.RequesterID == f.RequesterID
	case c.Kind == KindQueue:
		return Change{Kind: KindQueue, At: c.At, Seq: c.Seq}, true
	}
	return c, false
}

// Subscription receives the changes its filter matches. Changes wait in a
// bounded buffer: a subscriber that falls more than maxPending behind loses
// them and gets one KindResync instead.
type Subscription struct {
	b      *Broker
	filter Filter

	mu       sync.Mutex
	pending  []Change
	overflow bool   // pending was dropped; a resync at lastSeq replaces it
	lastSeq  uint64 // the newest change offered
	ready    chan struct{}
	done     chan struct{}
	ended    bool
}

// Subscribe returns a subscription to the changes f matches, from now on.
// after is the id of the last event a client saw (EventID), or "": the
// changes since then that this node still keeps are delivered first, and a
// KindResync when it cannot tell what was missed.
func (b *Broker) Subscribe(f Filter, after string) *Subscription {
	s := &Subscription{b: b, filter: f, ready: make(chan struct{}, 1), done: make(chan struct{})}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.end()
		return s
	}
	b.subs[s] = struct{}{}
	if after == "" {
		return s
	}
	node, seq, ok := parseEventID(after)
	if !ok || node != b.node || seq > b.seq || b.seq-seq > ringSize {
		// Another node's id, one from before a restart, or too old.
		s.offer(Change{Kind: KindResync, At: rapport.Now(), Seq: b.seq})
		return s
	}
	for n := seq + 1; n <= b.seq; n++ {
		s.offer(b.ring[n%ringSize])
	}
	return s
}

// EventID names c in this node's stream, for Last-Event-ID.
func (b *Broker) EventID(c Change) string {
	return b.node + "-" + strconv.FormatUint(c.Seq, 10)
}

func parseEventID(id string) (node string, seq uint64, ok bool) {
	node, n, found := strings.Cut(id, "-")
	if !found {
		return "", 0, false
	}
	seq, err := strconv.ParseUint(n, 10, 64)
	return node, seq, err == nil
}

// offer queues c if the filter matches it. The broker's lock is held.
func (s *Subscription) offer(c Change) {
	c, ok := s.filter.match(c)
	if !ok {
		return
	}
	s.mu.Lock()
	s.lastSeq = c.Seq
	if !s.overflow {
		if len(s.pending) < maxPending {
			s.pending = append(s.pending, c)
		} else {
			s.pending, s.overflow = nil, true
		}
	}
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// Ready is signalled when changes wait to be taken.
func (s *Subscription) Ready() <-chan struct{} { return s.ready }

// Done is closed when the subscription ends (Close, or the broker closed).
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Take returns the changes waiting, oldest first, and empties the buffer.
func (s *Subscription) Take() []Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.pending
	if s.overflow {
		out = []Change{{Kind: KindResync, At: rapport.Now(), Seq: s.lastSeq}}
	}
	s.pending, s.overflow = nil, false
	return out
}

// Next waits for the next change; it returns ErrClosed once the
// subscription ended, or ctx's error.
func (s *Subscription) Next(ctx context.Context) (Change, error) {
	for {
		s.mu.Lock()
		if s.overflow || len(s.pending) > 0 {
			var c Change
			if s.overflow {
				c = Change{Kind: KindResync, At: rapport.Now(), Seq: s.lastSeq}
				s.overflow = false
			} else {
				c = s.pending[0]
				s.pending = s.pending[1:]
			}
			s.mu.Unlock()
			return c, nil
		}
		s.mu.Unlock()
		select {
		case <-s.ready:
		case <-s.done:
			return Change{}, ErrClosed
		case <-ctx.Done():
			return Change{}, ctx.Err()
		}
	}
}

// Close ends the subscription; it is safe to call more than once.
func (s *Subscription) Close() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	delete(s.b.subs, s)
	s.end()
}

// end closes done once. The broker's lock is held.
func (s *Subscription) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		s.ended = true
		close(s.done)
	}
}
