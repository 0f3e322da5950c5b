package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// FindEvents returns a page of a ticket's timeline, oldest first, and the
// cursor of the next page. Internal events are left out unless
// f.IncludeInternal is set. Keyset on (ticket_id, id): O(page + log n).
func (db *DB) FindEvents(ctx context.Context, f rapport.EventFilter) ([]*rapport.Event, string, error) {
	var from int64
	if f.After != "" {
		c, err := decodeCursor(f.After, "events")
		if err != nil {
			return nil, "", err
		}
		from = c.ID
	}
	n := limit(f.Limit)
	rows, err := db.rq.QueryContext(ctx, db.q.GetEvents, f.TicketID, from, f.IncludeInternal, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Event
	for rows.Next() {
		var e rapport.Event
		var typ, data string
		var actor nullRef
		if err := rows.Scan(&e.ID, &e.TicketID, &typ, &actor.id, &actor.email, &actor.name,
			&e.Body, &e.Internal, &data, &e.CreatedAt); err != nil {
			return nil, "", fmt.Errorf("find events: %w", err)
		}
		e.Type, e.Actor, e.CreatedAt = rapport.EventType(typ), actor.ref(), e.CreatedAt.UTC()
		if data != "" && data != "{}" {
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				return nil, "", fmt.Errorf("event %d data: %w", e.ID, err)
			}
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find events: %w", err)
	}
	var next string
	if len(out) > n {
		out = out[:n]
		next = cursor{Kind: "events", ID: out[n-1].ID}.encode()
	}
	if err := db.withAttachments(ctx, f.TicketID, out, f.IncludeInternal); err != nil {
		return nil, "", err
	}
	return out, next, nil
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
