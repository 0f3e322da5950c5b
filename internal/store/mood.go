package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// FindContactHistory tells how the requester has been in touch lately,
// around ticket ticketID (0 for a ticket not yet stored).
func (tx *Tx) FindContactHistory(ctx context.Context, requesterID, ticketID int64, messagesSince, ticketsSince time.Time) (*rapport.ContactHistory, error) {
	var h rapport.ContactHistory
	since := messagesSince.UTC()
	if err := tx.q.QueryRowContext(ctx, tx.db.q.CountRequesterMessages, requesterID, since, requesterID).Scan(&h.Messages); err != nil {
		return nil, fmt.Errorf("count requester messages: %w", err)
	}
	if err := tx.q.QueryRowContext(ctx, tx.db.q.CountRequesterTickets, requesterID, ticketID, ticketsSince.UTC()).Scan(&h.Tickets); err != nil {
		return nil, fmt.Errorf("count requester tickets: %w", err)
	}
	if ticketID == 0 {
		return &h, nil
	}
	var last sql.NullTime
	err := tx.q.QueryRowContext(ctx, tx.db.q.LastStaffReply, ticketID).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("last staff reply: %w", err)
	}
	if last.Valid {
		t := last.Time.UTC()
		h.LastStaffReply = &t
	}
	return &h, nil
}
