package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// AddAttachment records a file on its event, inside the event's
// transaction: if that rolls back, so does the row.
func (tx *Tx) AddAttachment(ctx context.Context, a *rapport.Attachment) error {
	id, err := tx.insert(ctx, tx.db.q.CreateAttachment,
		a.TicketID, a.EventID, a.Name, a.Type, a.Size, a.SHA256, a.CreatedAt)
	if err != nil {
		return fmt.Errorf("add attachment: %w", err)
	}
	a.ID = id
	return nil
}

// FindAttachment returns attachment id with its event's Internal flag.
func (db *DB) FindAttachment(ctx context.Context, id int64) (*rapport.Attachment, error) {
	a, err := scanAttachment(db.rq.QueryRowContext(ctx, db.q.GetAttachment, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no attachment %d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find attachment %d: %w", id, err)
	}
	return a, nil
}

// withAttachments fills in the files of a page of one ticket's events (in
// id order) with one range read, leaving out internal events' files unless
// internal is set (FindEvents has already left out those events).
func (db *DB) withAttachments(ctx context.Context, ticketID int64, events []*rapport.Event, internal bool) error {
	if len(events) == 0 {
		return nil
	}
	rows, err := db.rq.QueryContext(ctx, db.q.GetEventAttachments, ticketID, events[0].ID, events[len(events)-1].ID, internal)
	if err != nil {
		return fmt.Errorf("find attachments: %w", err)
	}
	defer rows.Close()
	byID := make(map[int64]*rapport.Event, len(events))
	for _, e := range events {
		byID[e.ID] = e
	}
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return fmt.Errorf("find attachments: %w", err)
		}
		if e := byID[a.EventID]; e != nil {
			e.Attachments = append(e.Attachments, a)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find attachments: %w", err)
	}
	return nil
}

func scanAttachment(r interface{ Scan(...any) error }) (*rapport.Attachment, error) {
	var a rapport.Attachment
	if err := r.Scan(&a.ID, &a.TicketID, &a.EventID, &a.Name, &a.Type, &a.Size, &a.SHA256, &a.Internal, &a.CreatedAt); err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return &a, nil
}
