package live_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// node starts a broker on dsn as one node of a deployment, listening.
func node(tb testing.TB, dsn string) *live.Broker {
	tb.Helper()
	b, err := live.NewPostgres(dsn, quiet)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Run(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
	select {
	case <-b.Listening():
	case <-time.After(10 * time.Second):
		tb.Fatal("the node never listened")
	}
	return b
}

// terminate cuts the database connection with application_name name, as a
// failover or an administrator would.
func terminate(t *testing.T, name string) {
	t.Helper()
	db, err := sql.Open("pgx", os.Getenv(testdb.EnvPostgres))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, name).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminated %d connections named %s: %v", n, name, err)
	}
}

// TestAcrossNodes: a change published on one node reaches a subscriber on
// another through PostgreSQL, and a node does not hear its own twice.
func TestAcrossNodes(t *testing.T) {
	dsn := testdb.DSN(t, "postgres")
	a, b := node(t, dsn), node(t, dsn)
	onA := a.Subscribe(live.FilterFor(agent), "")
	onB := b.Subscribe(live.FilterFor(pat), "")
	defer onA.Close()
	defer onB.Close()
	ctx := context.Background()
	start := time.Now()
	a.TicketChanged(ctx, ticket(42, pat), true)
	a.TicketChanged(ctx, ticket(43, sam), false) // not for pat
	c := next(t, onB)
	t.Logf("a change reached the other node in %v", time.Since(start))
	if c.Kind != live.KindTicket || c.TicketID != 42 || c.RequesterID != pat.ID || c.AssigneeID != agent.ID {
		t.Fatalf("node B got %+v", c)
	}
	if c := next(t, onB); c.Kind != live.KindQueue || c.RequesterID != 0 {
		t.Fatalf("node B got %+v, want the queue change without names", c)
	}
	// B answers; A hears it once, and its own changes only from itself.
	b.TicketChanged(ctx, ticket(44, pat), false)
	var got []seen
	for len(got) < 4 {
		got = append(got, kinds([]live.Change{next(t, onA)})...)
	}
	// An echo of 42 or 43 would have come before 44: B heard them before
	// it published 44.
	want := []seen{{live.KindTicket, 42}, {live.KindQueue, 42}, {live.KindTicket, 43}, {live.KindTicket, 44}}
	if !equal(got, want) {
		t.Fatalf("node A got %v, want %v", got, want)
	}
}

// TestAcrossNodesSchemas: deployments in two schemas of one database do
// not hear each other.
func TestAcrossNodesSchemas(t *testing.T) {
	x, y := testdb.DSN(t, "postgres"), testdb.DSN(t, "postgres")
	x1, x2, y1, y2 := node(t, x), node(t, x), node(t, y), node(t, y)
	onX2 := x2.Subscribe(live.Filter{Staff: true}, "")
	onY2 := y2.Subscribe(live.Filter{Staff: true}, "")
	defer onX2.Close()
	defer onY2.Close()
	ctx := context.Background()
	x1.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: 1})
	next(t, onX2) // sent and delivered: had it reached y2, it would come first
	y1.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: 2})
	if c := next(t, onY2); c.TicketID != 2 {
		t.Fatalf("a node of schema y heard %+v from schema x", c)
	}
}

// TestListenerReconnects: when a node's listening connection is cut, it
// reconnects, tells its subscribers to resync (they may have missed
// changes), and goes on delivering.
func TestListenerReconnects(t *testing.T) {
	dsn := testdb.DSN(t, "postgres")
	a, b := node(t, dsn), node(t, dsn)
	onB := b.Subscribe(live.Filter{Staff: true}, "")
	defer onB.Close()
	terminate(t, live.ListenerName(b))
	if c := next(t, onB); c.Kind != live.KindResync {
		t.Fatalf("after the cut node B got %+v, want a resync", c)
	}
	a.Publish(context.Background(), live.Change{Kind: live.KindTicket, TicketID: 7})
	if c := next(t, onB); c.Kind != live.KindTicket || c.TicketID != 7 {
		t.Fatalf("after reconnecting node B got %+v", c)
	}
}

// TestSenderReconnects: a change published just after the sending
// connection was cut still reaches the other node.
func TestSenderReconnects(t *testing.T) {
	dsn := testdb.DSN(t, "postgres")
	a, b := node(t, dsn), node(t, dsn)
	onB := b.Subscribe(live.Filter{Staff: true}, "")
	defer onB.Close()
	ctx := context.Background()
	a.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: 1}) // opens the sending connection
	next(t, onB)
	terminate(t, live.SenderName(a))
	a.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: 2})
	if c := next(t, onB); c.Kind != live.KindTicket || c.TicketID != 2 {
		t.Fatalf("node B got %+v", c)
	}
}

// TestPresenceAcrossNodes: an agent on one node sees who is on the ticket
// from another node, live, and sees them leave.
func TestPresenceAcrossNodes(t *testing.T) {
	dsn := testdb.DSN(t, "postgres")
	a, b := node(t, dsn), node(t, dsn)
	onB := b.Subscribe(live.FilterFor(boss), "")
	defer onB.Close()
	ctx := context.Background()
	if err := a.Present(ctx, 5, agent, live.Replying); err != nil {
		t.Fatal(err)
	}
	if c := next(t, onB); c.Kind != live.KindPresence || c.TicketID != 5 {
		t.Fatalf("node B got %+v", c)
	}
	vs, _ := b.Presence(5, boss)
	if len(vs) != 1 || vs[0].UserID != agent.ID || vs[0].Name != agent.Name || vs[0].State != live.Replying {
		t.Fatalf("node B sees %+v", vs)
	}
	if mine, _ := a.Presence(5, boss); len(mine) != 1 || !mine[0].Since.Equal(vs[0].Since) {
		t.Fatalf("node A sees %+v, node B %+v", mine, vs)
	}
	a.Leave(ctx, 5, agent)
	if c := next(t, onB); c.Kind != live.KindPresence {
		t.Fatalf("node B got %+v", c)
	}
	if vs, _ := b.Presence(5, boss); len(vs) != 0 {
		t.Fatalf("node B still sees %+v", vs)
	}
}

// BenchmarkAcrossNodes measures how long a change takes from Publish on
// one node to a subscriber on another (ns/op is that latency).
func BenchmarkAcrossNodes(bm *testing.B) {
	if os.Getenv(testdb.EnvPostgres) == "" {
		bm.Skip(testdb.EnvPostgres + " is not set")
	}
	dsn := testdb.DSN(bm, "postgres")
	a, b := node(bm, dsn), node(bm, dsn)
	onB := b.Subscribe(live.Filter{Staff: true}, "")
	defer onB.Close()
	ctx := context.Background()
	for i := 0; bm.Loop(); i++ {
		a.Publish(ctx, live.Change{Kind: live.KindTicket, TicketID: int64(i + 1)})
		if _, err := onB.Next(ctx); err != nil {
			bm.Fatal(err)
		}
	}
}
