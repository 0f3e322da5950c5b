package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// FindTicketByID returns the ticket with id and its place in the queue.
func (db *DB) FindTicketByID(ctx context.Context, id int64) (*rapport.Ticket, error) {
	for try := 0; ; try++ {
		t, err := findTicket(ctx, db.rq, db.q, id)
		if err != nil {
			return nil, err
		}
		if err := db.fillPositions(ctx, db.rq, t); err != nil {
			return nil, err
		}
		// It left the queue between the two reads: read it again, or
		// after a few tries (a very busy ticket) in one snapshot.
		if !t.Queued() || t.QueuePosition != nil {
			return t, nil
		}
		if try == 2 {
			err := db.snapshot(ctx, func(q queryer) error {
				if t, err = findTicket(ctx, q, db.q, id); err != nil {
					return err
				}
				return db.fillPositions(ctx, q, t)
			})
			return t, err
		}
	}
}

// FindQueue returns up to lim queued tickets in serving order after the
// cursor: critical first, then strictly by arrival. The page and its
// positions come from one snapshot.
func (db *DB) FindQueue(ctx context.Context, after rapport.QueueCursor, lim int) ([]*rapport.Ticket, error) {
	var out []*rapport.Ticket
	read := func(q queryer) error {
		rows, err := q.QueryContext(ctx, db.q.GetQueue, after.Rank, after.ID, after.Rank, limit(lim))
		if err != nil {
			return fmt.Errorf("find queue: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTicket(rows)
			if err != nil {
				return fmt.Errorf("find queue: %w", err)
			}
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find queue: %w", err)
		}
		return db.fillPagePositions(ctx, q, after, out)
	}
	if after == (rapport.QueueCursor{}) {
		// One statement is one snapshot, and the first page starts at 1.
		return out, read(db.rq)
	}
	return out, db.snapshot(ctx, read)
}

// LockTicket reads the ticket with id and holds it until the end of tx.
func (tx *Tx) LockTicket(ctx context.Context, id int64) (*rapport.Ticket, error) {
	var got int64
	if err := tx.q.QueryRowContext(ctx, tx.db.q.LockTicket, id).Scan(&got); err == sql.ErrNoRows {
		return nil, ticketNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("lock ticket %d: %w", id, err)
	}
	return findTicket(ctx, tx.q, tx.db.q, id)
}

// LockNextQueued locks the first ticket in serving order that nobody else
// holds, or returns ENOTFOUND.
func (tx *Tx) LockNextQueued(ctx context.Context) (*rapport.Ticket, error) {
	var id int64
	if err := tx.q.QueryRowContext(ctx, tx.db.q.NextQueuedTicket).Scan(&id); err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "The queue is empty.")
	} else if err != nil {
		return nil, fmt.Errorf("next queued ticket: %w", err)
	}
	return findTicket(ctx, tx.q, tx.db.q, id)
}

// LockDueHold locks the held ticket whose expected date passed first
// (at or before now) that nobody else holds, or returns ENOTFOUND.
func (tx *Tx) LockDueHold(ctx context.Context, now time.Time) (*rapport.Ticket, error) {
	var id int64
	if err := tx.q.QueryRowContext(ctx, tx.db.q.LockDueHold, now).Scan(&id); err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "No hold is due.")
	} else if err != nil {
		return nil, fmt.Errorf("due hold: %w", err)
	}
	return findTicket(ctx, tx.q, tx.db.q, id)
}

// CreateTicket stores t and sets its ID. Its queue position is read after
// commit (see position.go): it is not known inside the transaction.
func (tx *Tx) CreateTicket(ctx context.Context, t *rapport.Ticket) error {
	reason, until := holdColumns(t)
	id, err := tx.insert(ctx, tx.db.q.CreateTicket,
		t.Subject, t.Body, string(t.Status), string(t.Priority), t.Priority.Rank(),
		t.Impact.Outage, t.Impact.CostsMoney, t.Impact.BlocksWork, string(t.Channel),
		refID(t.Requester), refID(t.Assignee), refID(t.LoggedBy), t.FollowUpOf, t.Resolution, t.ReopenCount,
		t.CreatedAt, changedAt(t), t.ClaimedAt, t.FirstResponseAt, t.ResolvedAt, t.ClosedAt, reason, until,
		string(moodOf(t)), t.MoodReason, t.Strikes)
	if err != nil {
		return fmt.Errorf("create ticket: %w", err)
	}
	t.ID, t.QueuePosition = id, nil
	return tx.syncQueue(ctx, id, 0, false, t.Priority.Rank(), t.Queued())
}

// changedAt is the updated_at stored for t: never before its creation,
// even when the clock stepped back, so a list of tickets created since a
// time and sorted by last change can stop at that time (ticket_list.go).
func changedAt(t *rapport.Ticket) time.Time {
	if t.UpdatedAt.Before(t.CreatedAt) {
		return t.CreatedAt
	}
	return t.UpdatedAt
}

// UpdateTicket saves the mutable fields of t.
func (tx *Tx) UpdateTicket(ctx context.Context, t *rapport.Ticket) error {
	var oldRank int
	var wasQueued bool
	if err := tx.q.QueryRowContext(ctx, tx.db.q.GetQueueMembership, t.ID).Scan(&oldRank, &wasQueued); err == sql.ErrNoRows {
		return ticketNotFound(t.ID)
	} else if err != nil {
		return fmt.Errorf("update ticket %d: %w", t.ID, err)
	}
	reason, until := holdColumns(t)
	_, err := tx.q.ExecContext(ctx, tx.db.q.UpdateTicket,
		t.Subject, string(t.Status), string(t.Priority), t.Priority.Rank(),
		refID(t.Assignee), t.Resolution, t.ReopenCount, changedAt(t),
		t.ClaimedAt, t.FirstResponseAt, t.ResolvedAt, t.ClosedAt, reason, until,
		string(moodOf(t)), t.MoodReason, t.Strikes, t.ID)
	if err != nil {
		return fmt.Errorf("update ticket %d: %w", t.ID, err)
	}
	t.QueuePosition = nil
	return tx.syncQueue(ctx, t.ID, oldRank, wasQueued, t.Priority.Rank(), t.Queued())
}

// moodOf is t's mood, calm when none was read yet.
func moodOf(t *rapport.Ticket) rapport.Mood {
	if t.Mood == "" {
		return rapport.MoodCalm
	}
	return t.Mood
}

// holdColumns returns what hold_reason and hold_until store for t.
func holdColumns(t *rapport.Ticket) (string, *time.Time) {
	if t.Status != rapport.StatusWaiting || t.Hold == nil {
		return "", nil
	}
	return t.Hold.Reason, t.Hold.Until
}

func findTicket(ctx context.Context, q queryer, qs *queries, id int64) (*rapport.Ticket, error) {
	t, err := scanTicket(q.QueryRowContext(ctx, qs.GetTicket, id))
	if err == sql.ErrNoRows {
		return nil, ticketNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("find ticket %d: %w", id, err)
	}
	return t, nil
}

func ticketNotFound(id int64) error {
	return rapport.Errorf(rapport.ENOTFOUND, "There is no ticket %d, or you do not have access to it.", id)
}

// scanTicket reads the columns of ticket_view, then any extra destinations.
// The hold columns come last, after priority_rank.
func scanTicket(s scanner, extra ...any) (*rapport.Ticket, error) {
	var t rapport.Ticket
	var status, priority, channel string
	var rank int
	var requester, assignee, loggedBy nullRef
	var followUp sql.NullInt64
	var claimed, firstResp, resolved, closed, holdUntil sql.NullTime
	var holdReason, mood string
	dest := []any{
		&t.ID, &t.Subject, &t.Body, &status, &priority,
		&t.Impact.Outage, &t.Impact.CostsMoney, &t.Impact.BlocksWork, &channel,
		&requester.id, &requester.email, &requester.name,
		&assignee.id, &assignee.email, &assignee.name,
		&loggedBy.id, &loggedBy.email, &loggedBy.name,
		&followUp, &t.Resolution, &t.ReopenCount,
		&t.CreatedAt, &t.UpdatedAt, &claimed, &firstResp, &resolved, &closed,
		&rank, &holdReason, &holdUntil,
		&mood, &t.MoodReason, &t.Strikes,
	}
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	t.Status, t.Priority, t.Channel = rapport.Status(status), rapport.Priority(priority), rapport.Channel(channel)
	t.Mood = rapport.Mood(mood)
	t.Requester, t.Assignee, t.LoggedBy = requester.ref(), assignee.ref(), loggedBy.ref()
	if followUp.Valid {
		t.FollowUpOf = &followUp.Int64
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	t.ClaimedAt, t.FirstResponseAt, t.ResolvedAt, t.ClosedAt = timePtr(claimed), timePtr(firstResp), timePtr(resolved), timePtr(closed)
	if t.Status == rapport.StatusWaiting {
		t.Hold = &rapport.Hold{Reason: holdReason, Until: timePtr(holdUntil)}
	}
	return &t, nil
}

// nullRef scans a LEFT JOINed user.
type nullRef struct {
	id          sql.NullInt64
	email, name sql.NullString
}

func (n nullRef) ref() *rapport.UserRef {
	if !n.id.Valid {
		return nil
	}
	return &rapport.UserRef{ID: n.id.Int64, Email: n.email.String, Name: n.name.String}
}

func refID(r *rapport.UserRef) any {
	if r == nil {
		return nil
	}
	return r.ID
}
