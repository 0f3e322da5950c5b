package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// QueueLengths counts the tickets waiting in the serving queue for each
// priority; every priority is present, with 0 when none waits. It is meant
// for metrics at scrape time and reads the top level of the queue counts.
func (db *DB) QueueLengths(ctx context.Context) (map[rapport.Priority]int, error) {
	byRank := map[int]rapport.Priority{}
	out := map[rapport.Priority]int{}
	for _, p := range []rapport.Priority{rapport.PriorityCritical, rapport.PriorityNormal} {
		byRank[p.Rank()] = p
		out[p] = 0
	}
	rows, err := db.rq.QueryContext(ctx, db.q.QueueLengths)
	if err != nil {
		return nil, fmt.Errorf("queue lengths: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rank, n int
		if err := rows.Scan(&rank, &n); err != nil {
			return nil, fmt.Errorf("queue lengths: %w", err)
		}
		p, ok := byRank[rank]
		if !ok {
			return nil, fmt.Errorf("queue lengths: unknown priority rank %d", rank)
		}
		out[p] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue lengths: %w", err)
	}
	return out, nil
}

// Pools returns the connection pools by name, for their statistics:
// "read" and "write" on SQLite, "main" on PostgreSQL (one pool serves both).
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"main": db.write}
	}
	return map[string]*sql.DB{"read": db.read, "write": db.write}
}
