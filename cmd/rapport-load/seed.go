package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
)

// seedChunk is how many tickets go in one transaction.
const seedChunk = 20000

var (
	userCols   = []string{"id", "email", "name", "role", "created_at"}
	ticketCols = []string{"id", "subject", "body", "status", "priority", "priority_rank",
		"impact_outage", "impact_costs_money", "impact_blocks_work", "channel",
		"requester_id", "assignee_id", "logged_by_id", "follow_up_of", "resolution", "reopen_count",
		"created_at", "updated_at", "claimed_at", "first_response_at", "resolved_at", "closed_at",
		"hold_reason", "hold_until", "mood"}
	eventCols = []string{"id", "ticket_id", "type", "actor_id", "body", "internal", "data", "created_at"}
)

// runSeed fills an empty database with a realistic help desk: about 20
// requesters per agent, 5 events per ticket, 30% of tickets queued, 5%
// critical, a spread of statuses over the past year, and what the reports
// read (seed_reports.go). Rows go in with big bulk transactions (COPY on
// PostgreSQL) of the same columns the store writes; the queue counters,
// search index and report counts are then rebuilt from them.
func runSeed(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	dsn := fs.String("db", "", "database to fill: a SQLite path or a postgres:// URL (required; it must hold no tickets)")
	n := fs.Int("tickets", 10000, "how many tickets")
	seed := fs.Uint64("seed", 1, "random seed (the same seed makes the same data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" || *n < 1 {
		return fmt.Errorf("seed needs -db and -tickets of at least 1")
	}
	db, err := store.Open(ctx, *dsn) // brings the schema up to date
	if err != nil {
		return err
	}
	db.Close()
	b, err := openBulk(ctx, *dsn)
	if err != nil {
		return err
	}
	defer b.close()
	var have int
	if err := b.queryRow(ctx, "SELECT (SELECT COUNT(*) FROM tickets) + (SELECT COUNT(*) FROM users)", &have); err != nil {
		return err
	}
	if have > 0 {
		return fmt.Errorf("%s already holds users or tickets: seed fills an empty database", *dsn)
	}
	start := time.Now()
	restore, err := b.searchTriggersOff(ctx)
	if err != nil {
		return err
	}
	g := newGen(*n, *seed)
	if err := b.chunk(ctx, func(w writer) error { return w(ctx, "users", userCols, g.users()) }); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	for from := 1; from <= *n; from += seedChunk {
		to := min(from+seedChunk-1, *n)
		ts, evs := g.tickets(from, to)
		ft := g.followThrough(from, ts, evs) // seed_reports.go
		err := b.chunk(ctx, func(w writer) error {
			if err := w(ctx, "tickets", seedTicketCols(), ts); err != nil {
				return err
			}
			if err := w(ctx, "events", eventCols, evs); err != nil {
				return err
			}
			return ft.write(ctx, w)
		})
		if err != nil {
			return fmt.Errorf("tickets %d-%d: %w", from, to, err)
		}
		fmt.Fprintf(out, "\r%d tickets, %d events (%.0f tickets/min)", to, g.events, float64(to)/time.Since(start).Minutes())
	}
	fmt.Fprintln(out)
	if err := restore(); err != nil {
		return err
	}
	if db, err = store.Open(ctx, *dsn); err != nil {
		return err
	}
	defer db.Close()
	db.UpdateTimeout = time.Hour // the rebuilds are one big write each
	if err := db.RebuildQueueBlocks(ctx); err != nil {
		return err
	}
	if err := db.RebuildSearch(ctx); err != nil {
		return err
	}
	if err := db.RebuildReports(ctx); err != nil {
		return err
	}
	if err := b.finish(ctx); err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(out, "seeded %d users, %d tickets (%d queued), %d events in %s: %.0f tickets/min\n",
		len(g.userRows), *n, g.queued, g.events, el.Round(time.Second), float64(*n)/el.Minutes())
	return nil
}

// gen makes the rows, deterministically from the seed.
type gen struct {
	n                  int
	seed               uint64
	requesters, agents int
	userRows           [][]any
	start, now         time.Time
	nextEvent          int64
	events, queued     int
}

func newGen(n int, seed uint64) *gen {
	g := &gen{n: n, seed: seed, requesters: max(20, n/20), nextEvent: 1}
	g.agents = max(1, g.requesters/20)
	g.now = rapport.Now()
	g.start = g.now.Add(-365 * 24 * time.Hour)
	return g
}

// users: the agents get ids 1..agents, the requesters follow.
func (g *gen) users() [][]any {
	r := rand.New(rand.NewPCG(g.seed, 0))
	for i := 1; i <= g.agents+g.requesters; i++ {
		role, kind := rapport.RoleAgent, "agent"
		if i > g.agents {
			role, kind = rapport.RoleRequester, "person"
		}
		name := pick(r, firstNames) + " " + pick(r, lastNames)
		g.userRows = append(g.userRows, []any{int64(i), fmt.Sprintf("%s%d@example.com", kind, i), name, string(role), g.start})
	}
	return g.userRows
}

func (g *gen) tickets(from, to int) (ts, evs [][]any) {
	r := rand.New(rand.NewPCG(g.seed, uint64(from)))
	span := g.now.Sub(g.start)
	for i := from; i <= to; i++ {
		id := int64(i)
		created := g.start.Add(time.Duration(float64(span) * float64(i-1) / float64(g.n)))
		step := min(time.Hour, g.now.Sub(created)/10) // later events stay in the past
		at := func(k int) time.Time { return created.Add(time.Duration(k) * step) }
		requester := int64(g.agents + 1 + r.IntN(g.requesters))
		agent := int64(1 + r.IntN(g.agents))
		impact := rapport.Impact{}
		if r.IntN(20) == 0 {
			impact = [3]rapport.Impact{{Outage: true}, {CostsMoney: true}, {BlocksWork: true}}[r.IntN(3)]
		}
		prio := impact.Priority()
		ch, mood := seedChannel(i), seedMood(i)
		subj, text := subject(r), body(r)
		ev := func(k int, typ rapport.EventType, actor any, body string, internal bool, data map[string]string) {
			d := "{}"
			if data != nil {
				b, _ := json.Marshal(data)
				d = string(b)
			}
			evs = append(evs, []any{g.nextEvent, id, string(typ), actor, body, internal, d, at(k)})
			g.nextEvent++
			g.events++
		}
		ev(0, rapport.EventCreated, requester, text, false, map[string]string{"priority": string(prio), "channel": string(ch)})
		ev(1, rapport.EventMessage, requester, pick(r, feelings), false, nil)
		status := rapport.StatusNew
		var assignee, claimed, firstResp, resolved, closed, holdUntil any
		resolution, holdReason := "", ""
		switch x := r.IntN(100); {
		case x < 30:
			g.queued++
			ev(2, rapport.EventNote, agent, pick(r, notes), true, nil)
		case x < 37:
			status = rapport.StatusOpen
		case x < 40:
			status = rapport.StatusWaiting
		case x < 55:
			status = rapport.StatusResolved
		default:
			status = rapport.StatusClosed
		}
		if status != rapport.StatusNew {
			assignee, claimed, firstResp = agent, at(2), at(3)
			ev(2, rapport.EventClaimed, agent, "", false, nil)
			ev(3, rapport.EventMessage, agent, pick(r, replies), false, nil)
		}
		switch status {
		case rapport.StatusOpen:
			ev(4, rapport.EventNote, agent, pick(r, notes), true, nil)
		case rapport.StatusWaiting:
			holdReason = pick(r, holdReasons)
			var data map[string]string
			if r.IntN(3) > 0 {
				u := g.now.Add(time.Duration(1+r.IntN(30)) * 24 * time.Hour).Truncate(time.Second)
				holdUntil, data = u, map[string]string{"until": u.Format(time.RFC3339)}
			}
			ev(4, rapport.EventWaiting, agent, holdReason, false, data)
		case rapport.StatusResolved, rapport.StatusClosed:
			resolution, resolved = pick(r, resolutions), at(5)
			ev(5, rapport.EventResolved, agent, resolution, false, nil)
			if status == rapport.StatusClosed {
				closed = at(6)
				ev(6, rapport.EventClosed, agent, "", false, nil)
			}
		}
		ts = append(ts, []any{id, subj, text, string(status), string(prio), int64(prio.Rank()),
			impact.Outage, impact.CostsMoney, impact.BlocksWork, string(ch),
			requester, assignee, nil, nil, resolution, int64(0),
			created, at(6), claimed, firstResp, resolved, closed, holdReason, holdUntil, string(mood)})
	}
	return ts, evs
}

// seedChannel spreads tickets over the channels by id: 60% portal, 25%
// email, 5% each phone, chat and walk-up (so a channel filter can be
// sparse).
func seedChannel(i int) rapport.Channel {
	switch k := i % 20; {
	case k < 12:
		return rapport.ChannelPortal
	case k < 17:
		return rapport.ChannelEmail
	case k == 17:
		return rapport.ChannelPhone
	case k == 18:
		return rapport.ChannelChat
	}
	return rapport.ChannelWalkUp
}

// seedMood gives 4% of requesters an angry latest message and 12% a
// frustrated one.
func seedMood(i int) rapport.Mood {
	switch k := i % 25; {
	case k == 0:
		return rapport.MoodAngry
	case k <= 3:
		return rapport.MoodFrustrated
	}
	return rapport.MoodCalm
}

// writer adds rows to a table within the current transaction.
type writer func(ctx context.Context, table string, cols []string, rows [][]any) error

// bulk loads rows in big transactions: COPY on PostgreSQL, multi-row
// INSERTs on SQLite.
type bulk struct {
	pg *pgx.Conn
	sq *sql.DB
}

func openBulk(ctx context.Context, dsn string) (*bulk, error) {
	if store.IsPostgres(dsn) {
		c, err := pgx.Connect(ctx, dsn)
		return &bulk{pg: c}, err
	}
	// The same time format as the store, so times read back the same.
	db, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &bulk{sq: db}, nil
}

func (b *bulk) close() {
	if b.pg != nil {
		b.pg.Close(context.Background())
	} else {
		b.sq.Close()
	}
}

func (b *bulk) queryRow(ctx context.Context, q string, dest ...any) error {
	if b.pg != nil {
		return b.pg.QueryRow(ctx, q).Scan(dest...)
	}
	return b.sq.QueryRowContext(ctx, q).Scan(dest...)
}

// chunk runs fn in one transaction.
func (b *bulk) chunk(ctx context.Context, fn func(w writer) error) error {
	if b.pg != nil {
		tx, err := b.pg.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		err = fn(func(ctx context.Context, table string, cols []string, rows [][]any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	tx, err := b.sq.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = fn(func(ctx context.Context, table string, cols []string, rows [][]any) error {
		per := 30000 / len(cols) // well under SQLite's 32,766 parameters
		var stmt *sql.Stmt
		for len(rows) > 0 {
			k := min(per, len(rows))
			if stmt == nil || k < per {
				row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
				q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
				if stmt, err = tx.PrepareContext(ctx, q); err != nil {
					return err
				}
				defer stmt.Close()
			}
			args := make([]any, 0, k*len(cols))
			for _, r := range rows[:k] {
				args = append(args, r...)
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			rows = rows[k:]
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}

// searchTriggersOff stops the triggers that keep the full-text index while
// the rows go in (rebuilding a ticket's document on each of its events made
// seeding 5x slower); the index is rebuilt in one pass afterwards. So are
// the report counts (report_tickets triggers, store.RebuildReports). On
// PostgreSQL triggers are off for this session only; on SQLite the
// ticket_search triggers are dropped and restore puts them back as they
// were. A seed that fails part way leaves a database to delete anyway.
func (b *bulk) searchTriggersOff(ctx context.Context) (restore func() error, err error) {
	if b.pg != nil {
		if _, err := b.pg.Exec(ctx, "SET session_replication_role = replica"); err != nil {
			return nil, fmt.Errorf("turning triggers off for the load (this needs a superuser): %w", err)
		}
		return func() error {
			_, err := b.pg.Exec(ctx, "RESET session_replication_role")
			return err
		}, nil
	}
	rows, err := b.sq.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'ticket_search%' OR name LIKE 'report_tickets%')")
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := b.sq.ExecContext(ctx, "DROP TRIGGER "+name); err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, def := range defs {
			if _, err := b.sq.ExecContext(ctx, def); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// finish moves the id sequences past the loaded rows and, on PostgreSQL,
// vacuums: a database in use for a year has had autovacuum set its
// visibility map, so lists read their covering indexes alone (a fresh
// bulk load made them visit the table: a week's list by last change read
// 900 pages, 80 ms cold), and the planner gets its statistics.
func (b *bulk) finish(ctx context.Context) error {
	if b.pg != nil {
		for _, t := range []string{"users", "tickets", "events"} {
			q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)
			if _, err := b.pg.Exec(ctx, q); err != nil {
				return err
			}
		}
		_, err := b.pg.Exec(ctx, "VACUUM (ANALYZE)")
		return err
	}
	// No ANALYZE on SQLite: the store plans without statistics (see
	// store.TestListPlans), and a seeded database should plan as one the
	// store filled itself.
	return nil
}
