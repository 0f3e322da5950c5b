package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// FindEvents returns a ticket's timeline, oldest first. Internal events are
// left out unless includeInternal is set.
func (db *DB) FindEvents(ctx context.Context, ticketID int64, includeInternal bool) ([]*rapport.Event, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetEvents, ticketID, includeInternal)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Event
	for rows.Next() {
		var e rapport.Event
		var typ, data string
		var actor nullRef
		if err := rows.Scan(&e.ID, &e.TicketID, &typ, &actor.id, &actor.email, &actor.name,
			&e.Body, &e.Internal, &data, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("find events: %w", err)
		}
		e.Type, e.Actor, e.CreatedAt = rapport.EventType(typ), actor.ref(), e.CreatedAt.UTC()
		if data != "" && data != "{}" {
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				return nil, fmt.Errorf("event %d data: %w", e.ID, err)
			}
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// AddEvent appends e to its ticket's timeline and sets its ID.
func (tx *Tx) AddEvent(ctx context.Context, e *rapport.Event) error {
	data := "{}"
	if len(e.Data) > 0 {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return fmt.Errorf("event data: %w", err)
		}
		data = string(b)
	}
	id, err := tx.insert(ctx, tx.db.q.CreateEvent,
		e.TicketID, string(e.Type), refID(e.Actor), e.Body, e.Internal, data, e.CreatedAt)
	if err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	e.ID = id
	return nil
}
