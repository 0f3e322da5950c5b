// Package live tells open pages that something changed, so they can update
// without a reload. A Broker fans small Change notices out to subscribers
// (the server-sent event streams of ServeEvents). On SQLite there is one
// node and the fan-out is in-process; on PostgreSQL every node also sends
// its changes with pg_notify and LISTENs for the others' (postgres.go), so a
// change made on one node reaches browsers on all of them.
//
// A Change names what changed and never what it says: a viewer fetches what
// they may see through the API. Delivery is best-effort and never makes a
// publisher wait; whenever a subscriber may have missed something (it fell
// behind, a node lost its database connection, it reconnected too late) it
// gets a KindResync notice, meaning "fetch everything again".
package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
)

// Kind says what a Change is about.
type Kind string

// The kinds of change.
const (
	KindTicket   Kind = "ticket_changed" // a ticket or its timeline changed
	KindQueue    Kind = "queue_changed"  // the serving queue may have changed
	KindPresence Kind = "presence"       // someone started or stopped looking at a ticket
	KindResync   Kind = "resync"         // changes may have been missed: fetch everything again
	// Alerts to staff (desk.Alerter): UserID names the colleague meant, 0
	// for every supervisor and admin. Requesters never receive them.
	KindStrike   Kind = "strike"   // a strike was given on the ticket
	KindInvited  Kind = "invited"  // UserID was asked to join the ticket
	KindHandover Kind = "handover" // UserID was handed the ticket
	// Follow-through (issue 9).
	KindComplaint Kind = "complaint" // a satisfaction survey scored 1 or 2 (supervisors)
	KindKudos     Kind = "kudos"     // UserID was thanked
	// SLA alerts: UserID is the assignee, 0 for the supervisors.
	KindSLAWarning Kind = "sla_warning" // a target's warning share has passed
	KindSLABreach  Kind = "sla_breach"  // a target has passed unmet
	// KindHoldPassed is for UserID, the assignee: a hold's expected date
	// passed without news.
	KindHoldPassed Kind = "hold_passed"
)

// Change is one notice. It carries identifiers only, no private content.
type Change struct {
	Kind        Kind
	TicketID    int64
	RequesterID int64
	AssigneeID  int64
	// UserID is whom an alert is for (KindInvited, KindHandover).
	UserID int64
	// At is when the change was made, a version a page may compare.
	At time.Time
	// Seq is the change's place in this node's stream, set by Publish.
	Seq uint64
}

// Sizes of the bounded buffers.
const (
	ringSize   = 1024 // recent changes kept for replay after a reconnect (Last-Event-ID)
	maxPending = 128  // changes one subscriber may have waiting before it gets a resync instead
)

// Broker fans changes out to subscribers and, on PostgreSQL, to the other
// nodes. Create it with New or NewPostgres, and call Run.
type Broker struct {
	// PresenceTTL is how long a presence heartbeat lasts
	// (DefaultPresenceTTL when zero). Set before Run.
	PresenceTTL time.Duration
	// Heartbeat is how often an idle event stream sends a comment to keep
	// proxies from closing it (DefaultHeartbeat when zero).
	Heartbeat time.Duration
	// MaxStream is how long one event stream lasts before the client is
	// asked to reconnect, so that a revoked sign-in stops receiving
	// (DefaultMaxStream when zero).
	MaxStream time.Duration

	log  *slog.Logger
	node string // random: tells this node's notifications and event ids apart
	pg   *pgTransport

	mu     sync.Mutex
	seq    uint64
	ring   [ringSize]Change
	subs   map[*Subscription]struct{}
	closed bool

	presence presence
}

// New returns a broker that fans out in-process only: the single-node
// (SQLite) case.
func New(log *slog.Logger) *Broker {
	var b [6]byte
	rand.Read(b[:])
	return &Broker{log: log, node: hex.EncodeToString(b[:]), subs: map[*Subscription]struct{}{},
		presence: presence{byTicket: map[int64]map[int64]*Viewer{}}}
}

// Run does the broker's background work until ctx ends (expiring presence,
// and on PostgreSQL sending and listening), then closes the broker.
func (b *Broker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { b.expirePresence(ctx) })
	if b.pg != nil {
		wg.Go(func() { b.pg.listen(ctx, b) })
		wg.Go(func() { b.pg.send(ctx, b) })
	}
	wg.Wait()
	b.Close()
}

// Close ends every subscription, so that event streams finish (a server
// shutting down calls it); later subscriptions end at once.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for s := range b.subs {
		s.end()
		delete(b.subs, s)
	}
}

// Publish announces changes that have committed: to this node's
// subscribers at once, and on PostgreSQL to the other nodes. It never
// waits on a subscriber or on the database.
func (b *Broker) Publish(ctx context.Context, changes ...Change) {
	now := rapport.Now()
	for i := range changes {
		if changes[i].At.IsZero() {
			changes[i].At = now
		}
	}
	b.deliver(changes)
	if b.pg != nil {
		for _, c := range changes {
			b.pg.enqueue(ctx, b, toWire(c))
		}
	}
}

// TicketChanged publishes a change to t, and a queue change when queue is
// set; it makes a Broker a desk.Notifier.
func (b *Broker) TicketChanged(ctx context.Context, t *rapport.Ticket, queue bool) {
	c := Change{Kind: KindTicket, TicketID: t.ID, At: t.UpdatedAt}
	if t.Requester != nil {
		c.RequesterID = t.Requester.ID
	}
	if t.Assignee != nil {
		c.AssigneeID = t.Assignee.ID
	}
	if !queue {
		b.Publish(ctx, c)
		return
	}
	b.Publish(ctx, c, Change{Kind: KindQueue, TicketID: c.TicketID, RequesterID: c.RequesterID, AssigneeID: c.AssigneeID, At: c.At})
}

// Alert publishes a staff alert of kind (desk.AlertStrike,
// desk.AlertInvited, desk.AlertHandover) about ticket for user to (0 for
// the supervisors); it makes a Broker a desk.Alerter.
func (b *Broker) Alert(ctx context.Context, kind string, ticket, to int64) {
	b.Publish(ctx, Change{Kind: Kind(kind), TicketID: ticket, UserID: to})
}

// deliver numbers changes, keeps them for replay and hands them to every
// matching subscriber.
func (b *Broker) deliver(changes []Change) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range changes {
		b.seq++
		c.Seq = b.seq
		b.ring[b.seq%ringSize] = c
		for s := range b.subs {
			s.offer(c)
		}
	}
}

// resync tells every subscriber to fetch everything again, and keeps the
// notice for replay: whoever resumes from before it missed something too.
func (b *Broker) resync() {
	b.deliver([]Change{{Kind: KindResync, At: rapport.Now()}})
}
