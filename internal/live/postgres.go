package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdesk/rapport"
)

// Across nodes, each node sends its changes on one channel with pg_notify
// from a connection of its own, batching what piled up into payloads under
// PostgreSQL's 8000-byte limit, and LISTENs on another, dedicated
// connection. A node ignores its own notifications: its subscribers heard
// at Publish. Changes are sent after the write committed (the desk calls
// Publish then), so a notification never announces a write that rolled
// back. (NOTIFY inside the write's transaction would also be delivered
// only on commit, and would not be lost if the node died just after
// committing; but it would tie every write to the live package and, inside
// PostgreSQL, serialise all committing transactions on the notification
// queue's lock. Missing a notice costs a stale page until the next change
// or resync; serialising commits would cost every write.)
const (
	maxPayload = 7900 // bytes; PostgreSQL refuses payloads of 8000 or more
	outboxSize = 4096 // changes waiting to be sent before new ones are dropped
	opTimeout  = 5 * time.Second
	maxBackoff = 5 * time.Second
)

// pgTransport carries changes between the nodes on one PostgreSQL database.
type pgTransport struct {
	cfg       *pgx.ConnConfig
	outbox    chan wireMsg
	lost      atomic.Bool // a change never left this node: others must resync
	listening chan struct{}
	once      sync.Once
}

// wireMsg is a change, or a presence heartbeat, as sent between nodes.
type wireMsg struct {
	Kind      Kind   `json:"k"`
	Ticket    int64  `json:"t,omitempty"`
	Requester int64  `json:"r,omitempty"`
	Assignee  int64  `json:"a,omitempty"`
	At        int64  `json:"at,omitempty"` // Unix microseconds
	User      int64  `json:"u,omitempty"`  // presence: who
	Name      string `json:"n,omitempty"`
	Email     string `json:"e,omitempty"`
	State     string `json:"s,omitempty"` // presence: "" when they left
	Since     int64  `json:"since,omitempty"`
}

type wireBatch struct {
	Node string    `json:"node"`
	Msgs []wireMsg `json:"m"`
}

func toWire(c Change) wireMsg {
	return wireMsg{Kind: c.Kind, Ticket: c.TicketID, Requester: c.RequesterID, Assignee: c.AssigneeID, User: c.UserID, At: c.At.UnixMicro()}
}

func fromWire(m wireMsg) Change {
	return Change{Kind: m.Kind, TicketID: m.Ticket, RequesterID: m.Requester, AssigneeID: m.Assignee, UserID: m.User, At: time.UnixMicro(m.At).UTC()}
}

// NewPostgres returns a broker for one node of a deployment on the
// PostgreSQL database at dsn (the store's address). Nodes on the same
// database and schema hear each other once Run has started.
func NewPostgres(dsn string, log *slog.Logger) (*Broker, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("live updates: read the PostgreSQL address: %w", err)
	}
	b := New(log)
	b.pg = &pgTransport{cfg: cfg, outbox: make(chan wireMsg, outboxSize), listening: make(chan struct{})}
	return b, nil
}

// Listening is closed once this node listens for the other nodes' changes
// (at once for an in-process broker).
func (b *Broker) Listening() <-chan struct{} {
	if b.pg == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return b.pg.listening
}

// connect opens a connection named for what it does, so that it can be
// told apart in pg_stat_activity, and returns the channel to use.
func (p *pgTransport) connect(ctx context.Context, role, node string) (*pgx.Conn, string, error) {
	cfg := p.cfg.Copy()
	cfg.RuntimeParams["application_name"] = "rapport-live-" + role + "-" + node
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, "", err
	}
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		conn.Close(context.Background())
		return nil, "", err
	}
	return conn, channelFor(schema), nil
}

// channelFor names the channel of the deployment whose tables live in
// schema: notifications are per database, and two deployments (or two
// tests) may share one database in different schemas.
func channelFor(schema string) string {
	const base = "rapport_live"
	if schema == "" || schema == "public" {
		return base
	}
	if name := base + "_" + schema; len(name) < 64 {
		return name
	}
	sum := sha256.Sum256([]byte(schema))
	return base + "_" + hex.EncodeToString(sum[:8])
}

// listen keeps a LISTEN connection open until ctx ends, reconnecting with
// backoff. After a reconnect every subscriber gets a resync: changes sent
// while nobody listened are lost.
func (p *pgTransport) listen(ctx context.Context, b *Broker) {
	var bo backoff
	first := true
	for ctx.Err() == nil {
		conn, channel, err := p.connect(ctx, "listen", b.node)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
				conn.Close(context.Background())
			}
		}
		if err != nil {
			if ctx.Err() == nil {
				b.log.Warn("live updates: cannot listen for the other nodes' changes; trying again", "err", err)
			}
			bo.wait(ctx)
			continue
		}
		if !first {
			b.resync()
			b.log.Info("live updates: listening again; open pages were asked to refresh what they show")
		}
		first = false
		p.once.Do(func() { close(p.listening) })
		bo.reset()
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				if ctx.Err() == nil {
					b.log.Warn("live updates: lost the listening connection; reconnecting", "err", err)
				}
				break
			}
			b.receive(n.Payload)
		}
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Close(closeCtx)
		cancel()
	}
}

// receive hands another node's batch to this node's subscribers.
func (b *Broker) receive(payload string) {
	var batch wireBatch
	if err := json.Unmarshal([]byte(payload), &batch); err != nil {
		b.log.Warn("live updates: ignoring a notification that is not ours", "err", err)
		return
	}
	if batch.Node == b.node {
		return
	}
	var changes []Change
	for _, m := range batch.Msgs {
		switch m.Kind {
		case KindPresence:
			b.applyPresence(m)
		case KindResync:
			changes = append(changes, Change{Kind: KindResync, At: rapport.Now()})
		case KindTicket, KindQueue, KindStrike, KindInvited, KindHandover, KindComplaint, KindKudos:
			changes = append(changes, fromWire(m))
		}
	}
	if len(changes) > 0 {
		b.deliver(changes)
	}
}

// enqueue hands m to the sender without waiting; when the outbox is full m
// is dropped and the other nodes will be told to resync.
func (p *pgTransport) enqueue(_ context.Context, b *Broker, m wireMsg) {
	select {
	case p.outbox <- m:
	default:
		if !p.lost.Swap(true) {
			b.log.Warn("live updates: too many changes waiting to reach the other nodes; dropping some (their pages will be asked to refresh)")
		}
	}
}

// send sends what the outbox holds until ctx ends, then what is left.
func (p *pgTransport) send(ctx context.Context, b *Broker) {
	var s sender
	defer s.close()
	// Connect now, so that the first change does not wait for it; a
	// failure here is retried when there is something to send.
	s.conn, s.channel, _ = p.connect(ctx, "notify", b.node)
	for {
		var first wireMsg
		select {
		case first = <-p.outbox:
		case <-ctx.Done():
			// Last words: what publishers handed over before the end.
			final, cancel := context.WithTimeout(context.Background(), opTimeout)
			defer cancel()
			p.flush(final, b, &s, nil)
			return
		}
		p.flush(ctx, b, &s, []wireMsg{first})
	}
}

// flush sends batch and everything else waiting in the outbox.
func (p *pgTransport) flush(ctx context.Context, b *Broker, s *sender, batch []wireMsg) {
	for drained := false; !drained; {
		select {
		case m := <-p.outbox:
			batch = append(batch, m)
		default:
			drained = true
		}
	}
	if p.lost.Swap(false) {
		batch = append([]wireMsg{{Kind: KindResync}}, batch...)
	}
	for _, payload := range pack(b.node, batch) {
		if err := s.notify(ctx, p, b.node, payload); err != nil {
			p.lost.Store(true)
			if ctx.Err() == nil {
				b.log.Warn("live updates: cannot reach the other nodes; trying again", "err", err)
				s.bo.wait(ctx)
			}
			return
		}
		s.bo.reset()
	}
}

// sender is the connection pg_notify goes out on.
type sender struct {
	conn    *pgx.Conn
	channel string
	bo      backoff
}

// notify sends one payload, reconnecting once if the connection broke.
func (s *sender) notify(ctx context.Context, p *pgTransport, node, payload string) error {
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		if s.conn == nil {
			if s.conn, s.channel, err = p.connect(ctx, "notify", node); err != nil {
				return err
			}
		}
		octx, cancel := context.WithTimeout(ctx, opTimeout)
		_, err = s.conn.Exec(octx, "SELECT pg_notify($1, $2)", s.channel, payload)
		cancel()
		if err == nil {
			return nil
		}
		s.close()
	}
	return err
}

func (s *sender) close() {
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		s.conn.Close(ctx)
		cancel()
		s.conn = nil
	}
}

// pack splits msgs into as few payloads under maxPayload as it can.
func pack(node string, msgs []wireMsg) []string {
	head := `{"node":"` + node + `","m":[`
	var out []string
	var cur strings.Builder
	for _, m := range msgs {
		js, err := json.Marshal(m)
		if err != nil || len(head)+len(js)+2 > maxPayload {
			continue // cannot happen: names and emails are short (rapport.MaxNameLen)
		}
		if cur.Len() > 0 && cur.Len()+1+len(js)+2 > maxPayload {
			out = append(out, cur.String()+"]}")
			cur.Reset()
		}
		if cur.Len() == 0 {
			cur.WriteString(head)
		} else {
			cur.WriteByte(',')
		}
		cur.Write(js)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String()+"]}")
	}
	return out
}

// backoff waits longer after each failure, up to maxBackoff, with jitter
// so that nodes that lost the database together do not return together.
type backoff struct{ d time.Duration }

func (bo *backoff) wait(ctx context.Context) {
	bo.d = min(max(2*bo.d, 100*time.Millisecond), maxBackoff)
	t := time.NewTimer(bo.d/2 + rand.N(bo.d/2))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (bo *backoff) reset() { bo.d = 0 }
