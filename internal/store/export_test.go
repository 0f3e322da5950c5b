package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
)

// JumpTicketIDs makes the next ticket id at least to+1 by storing a closed
// ticket with id to, so tests can spread tickets over many counter blocks.
func JumpTicketIDs(ctx context.Context, db *DB, to, requesterID int64) error {
	ins := `INSERT INTO tickets (id, subject, body, status, priority, priority_rank,
		impact_outage, impact_costs_money, impact_blocks_work, channel, requester_id, created_at, updated_at)
		%s VALUES (?, 'gap', 'gap', 'closed', 'normal', 1, FALSE, FALSE, FALSE, 'api', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`
	over := ""
	if db.dialect.name == "postgres" {
		over = "OVERRIDING SYSTEM VALUE"
	}
	if _, err := db.write.ExecContext(ctx, db.dialect.rebind(fmt.Sprintf(ins, over)), to, requesterID); err != nil {
		return err
	}
	if db.dialect.name == "postgres" {
		_, err := db.write.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('tickets', 'id'), $1)", to)
		return err
	}
	return nil
}

// QueueByRecount returns the queued tickets' ids in serving order, counted
// from the tickets table alone, as the brute-force reference.
func QueueByRecount(ctx context.Context, db *DB) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM tickets
		WHERE assignee_id IS NULL AND status NOT IN ('waiting', 'resolved', 'closed')
		ORDER BY priority_rank, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ExplainTickets returns the database's plan for the first page of f (of
// relevance tier 0 when searching): EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
// PostgreSQL, one line per step.
func ExplainTickets(ctx context.Context, db *DB, f rapport.TicketFilter) (string, error) {
	l, err := db.newTicketList(f)
	if err != nil {
		return "", err
	}
	q, args := db.ticketPageSQL(l, l.limit+1)
	if l.terms != nil {
		tier, plan := -1, planAny
		if l.sort == rapport.SortRelevance {
			tier = 0
		}
		if db.dialect.name == "postgres" {
			plan = planWalk
		}
		q, args = db.roundSQL(l, 0, searchBlock, nil, tier, l.limit+1, plan)
	}
	prefix, col := "EXPLAIN QUERY PLAN ", 3
	if db.dialect.name == "postgres" {
		prefix, col = "EXPLAIN ", 0
	}
	rows, err := db.read.QueryContext(ctx, prefix+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			return "", err
		}
		s, _ := (*vals[col].(*any)).(string)
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// FoldsAccents reports whether search ignores accents on db: always on
// SQLite, on PostgreSQL when the unaccent extension could be installed.
func FoldsAccents(ctx context.Context, db *DB) bool {
	if db.dialect.name == "sqlite" {
		return true
	}
	var ok bool
	err := db.read.QueryRowContext(ctx, "SELECT to_tsvector('rapport_search', 'café') @@ to_tsquery('rapport_search', 'cafe')").Scan(&ok)
	return err == nil && ok
}

// FindTicketsNoPositions is FindTickets without queue positions, to measure
// the list on its own (positions are fillPositions' cost, see position.go).
func FindTicketsNoPositions(ctx context.Context, db *DB, f rapport.TicketFilter) ([]*rapport.Ticket, string, error) {
	return db.findTickets(ctx, f)
}

// PositionsBothWays returns the queue positions of ts found by the batched
// statement (one for all) and by the single-ticket one (one each), keyed
// by ticket id; tickets without a position are absent.
func PositionsBothWays(ctx context.Context, db *DB, ts []*rapport.Ticket) (batched, single map[int64]int, err error) {
	if batched, err = db.positionsOf(ctx, db.rq, ts); err != nil {
		return nil, nil, err
	}
	single = map[int64]int{}
	for _, t := range ts {
		p, err := db.positionOf(ctx, db.rq, t.ID, t.Priority.Rank())
		if err != nil {
			return nil, nil, err
		}
		if p != nil {
			single[t.ID] = *p
		}
	}
	return batched, single, nil
}

// SetSearchWalk sets the search walk's block size and time budget (see
// search.go), and returns a func that puts them back.
func SetSearchWalk(block int64, budget time.Duration) func() {
	oldBlock, oldBudget := searchBlock, searchBudget
	searchBlock, searchBudget = block, budget
	return func() { searchBlock, searchBudget = oldBlock, oldBudget }
}

// QueueSQL returns the statements that read the queue in serving order:
// the ticket a claim takes and a page of GET /queue.
func QueueSQL(db *DB) map[string]string {
	return map[string]string{"next-queued-ticket": db.q.NextQueuedTicket, "get-queue": db.q.GetQueue}
}

// PostgresSetting returns a run-time setting as a store connection sees it.
func PostgresSetting(ctx context.Context, db *DB, name string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, "SELECT current_setting($1)", name).Scan(&v)
	return v, err
}

// ExecSQL runs a statement on db (for tests that load rows in bulk).
func ExecSQL(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.dialect.rebind(q), args...)
	return err
}

// MigrateTo moves db's schema to version, down or up, so tests can check
// what a migration does to data written under the one before.
func MigrateTo(ctx context.Context, db *DB, version int64) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if version < cur {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	return err
}

// ExecForTest runs one statement on db's writer, with ? placeholders.
func ExecForTest(ctx context.Context, db *DB, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.dialect.rebind(query), args...)
	return err
}

// ExplainDueSLA returns SQLite's plan of the periodic check's search for
// clocks due at now.
func ExplainDueSLA(ctx context.Context, db *DB, now time.Time) (string, error) {
	rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+db.q.LockDueSLATicket, now)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n"), rows.Err()
}
