package store

import (
	"context"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// fillPositions sets QueuePosition on every queued ticket of ts (and clears
// it on the others). It is the one place that knows how a place in the
// queue is found, so every read reports it by the same rule.
func (db *DB) fillPositions(ctx context.Context, q queryer, ts ...*rapport.Ticket) error {
	for _, t := range ts {
		t.QueuePosition = nil
		if !t.Queued() {
			continue
		}
		var pos int
		rank := t.Priority.Rank()
		if err := q.QueryRowContext(ctx, db.q.GetQueuePosition, rank, rank, t.ID).Scan(&pos); err != nil {
			return fmt.Errorf("queue position of ticket %d: %w", t.ID, err)
		}
		t.QueuePosition = &pos
	}
	return nil
}
