package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// FindEvent returns one timeline event, without its files.
func (tx *Tx) FindEvent(ctx context.Context, id int64) (*rapport.Event, error) {
	var e rapport.Event
	var typ, data string
	var actor nullRef
	err := tx.q.QueryRowContext(ctx, tx.db.q.GetEvent, id).Scan(&e.ID, &e.TicketID, &typ, &actor.id, &actor.email, &actor.name,
		&e.Body, &e.Internal, &data, &e.CreatedAt)
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no event %d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find event %d: %w", id, err)
	}
	e.Type, e.Actor, e.CreatedAt = rapport.EventType(typ), actor.ref(), e.CreatedAt.UTC()
	if data != "" && data != "{}" {
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("event %d data: %w", e.ID, err)
		}
	}
	return &e, nil
}

// CreateStrike stores s and sets its ID. A second strike on one message
// is ECONFLICT (the unique index on event_id).
func (tx *Tx) CreateStrike(ctx context.Context, s *rapport.Strike) error {
	id, err := tx.insert(ctx, tx.db.q.CreateStrike, s.TicketID, s.EventID, refID(s.Requester), s.Step, s.Note, refID(s.By), s.CreatedAt)
	if isConflict(err) {
		return rapport.Errorf(rapport.ECONFLICT, "That message already has a strike.")
	} else if err != nil {
		return fmt.Errorf("create strike: %w", err)
	}
	s.ID = id
	return nil
}

// WithdrawStrike saves s's withdrawal.
func (tx *Tx) WithdrawStrike(ctx context.Context, s *rapport.Strike) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.WithdrawStrike, s.WithdrawnAt, refID(s.WithdrawnBy), s.WithdrawReason, s.ID); err != nil {
		return fmt.Errorf("withdraw strike %d: %w", s.ID, err)
	}
	return nil
}

// FindStrikeByEvent returns the strike on a message, or ENOTFOUND.
func (tx *Tx) FindStrikeByEvent(ctx context.Context, eventID int64) (*rapport.Strike, error) {
	s, err := scanStrike(tx.q.QueryRowContext(ctx, tx.db.q.GetStrikeByEvent, eventID))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "Message %d has no strike.", eventID)
	} else if err != nil {
		return nil, fmt.Errorf("find strike on event %d: %w", eventID, err)
	}
	return s, nil
}

// LockStrike reads a strike and, on PostgreSQL, locks its row.
func (tx *Tx) LockStrike(ctx context.Context, id int64) (*rapport.Strike, error) {
	s, err := scanStrike(tx.q.QueryRowContext(ctx, tx.db.q.LockStrike, id))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no strike %d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("lock strike %d: %w", id, err)
	}
	return s, nil
}

// FindStrikes returns the strikes of a ticket or of a requester, oldest
// first.
func (db *DB) FindStrikes(ctx context.Context, f rapport.StrikeFilter) ([]*rapport.Strike, error) {
	query, arg := db.q.GetTicketStrikes, f.TicketID
	if f.TicketID == 0 {
		query, arg = db.q.GetRequesterStrikes, f.RequesterID
	}
	rows, err := db.rq.QueryContext(ctx, query, arg, limit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("find strikes: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Strike
	for rows.Next() {
		s, err := scanStrike(rows)
		if err != nil {
			return nil, fmt.Errorf("find strikes: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func scanStrike(sc scanner) (*rapport.Strike, error) {
	var s rapport.Strike
	var requester, by, withdrawnBy nullRef
	var withdrawn sql.NullTime
	err := sc.Scan(&s.ID, &s.TicketID, &s.EventID, &requester.id, &requester.email, &requester.name, &s.Step, &s.Note,
		&by.id, &by.email, &by.name, &s.CreatedAt, &withdrawn, &withdrawnBy.id, &withdrawnBy.email, &withdrawnBy.name,
		&s.WithdrawReason, &s.TicketSubject, &s.Message)
	if err != nil {
		return nil, err
	}
	s.Requester, s.By, s.WithdrawnBy = requester.ref(), by.ref(), withdrawnBy.ref()
	s.CreatedAt, s.WithdrawnAt = s.CreatedAt.UTC(), timePtr(withdrawn)
	return &s, nil
}

// FindStrikeTexts returns what the strikes send, by step.
func (db *DB) FindStrikeTexts(ctx context.Context) ([]*rapport.StrikeText, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetStrikeTexts)
	if err != nil {
		return nil, fmt.Errorf("find strike texts: %w", err)
	}
	defer rows.Close()
	var out []*rapport.StrikeText
	for rows.Next() {
		t, err := scanStrikeText(rows)
		if err != nil {
			return nil, fmt.Errorf("find strike texts: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindStrikeText returns what strike step sends, or ENOTFOUND.
func (tx *Tx) FindStrikeText(ctx context.Context, step int) (*rapport.StrikeText, error) {
	t, err := scanStrikeText(tx.q.QueryRowContext(ctx, tx.db.q.GetStrikeText, step))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no strike %d.", step)
	} else if err != nil {
		return nil, fmt.Errorf("find strike text %d: %w", step, err)
	}
	return t, nil
}

// SaveStrikeText replaces what strike t.Step sends.
func (tx *Tx) SaveStrikeText(ctx context.Context, t *rapport.StrikeText) error {
	res, err := tx.q.ExecContext(ctx, tx.db.q.SaveStrikeText, t.Body, t.UpdatedAt, refID(t.UpdatedBy), t.Step)
	if err != nil {
		return fmt.Errorf("save strike text %d: %w", t.Step, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no strike %d.", t.Step)
	}
	return nil
}

func scanStrikeText(sc scanner) (*rapport.StrikeText, error) {
	var t rapport.StrikeText
	var by nullRef
	if err := sc.Scan(&t.Step, &t.Body, &t.UpdatedAt, &by.id, &by.email, &by.name); err != nil {
		return nil, err
	}
	t.UpdatedAt, t.UpdatedBy = t.UpdatedAt.UTC(), by.ref()
	return &t, nil
}
