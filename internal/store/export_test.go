package store

import (
	"context"
	"fmt"
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
