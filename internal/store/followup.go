package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// FindFollowUp returns the follow-up of ticket id, or ENOTFOUND when it has
// none. A unique index keeps it to one.
func (tx *Tx) FindFollowUp(ctx context.Context, id int64) (*rapport.Ticket, error) {
	var fid int64
	if err := tx.q.QueryRowContext(ctx, tx.db.q.GetFollowUp, id).Scan(&fid); err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "Ticket %d has no follow-up.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find follow-up of %d: %w", id, err)
	}
	return findTicket(ctx, tx.q, tx.db.q, fid)
}
