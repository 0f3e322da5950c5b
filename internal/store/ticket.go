package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// FindTicketByID returns the ticket with id and its place in the queue.
func (db *DB) FindTicketByID(ctx context.Context, id int64) (*rapport.Ticket, error) {
	t, err := findTicket(ctx, db.rq, db.q, id)
	if err != nil {
		return nil, err
	}
	return t, db.fillPositions(ctx, db.rq, t)
}

// FindQueue returns unclaimed active tickets in serving order: critical
// first, then strictly by arrival.
func (db *DB) FindQueue(ctx context.Context, lim, offset int) ([]*rapport.Ticket, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetQueue, limit(lim), offset)
	if err != nil {
		return nil, fmt.Errorf("find queue: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("find queue: %w", err)
		}
		pos := offset + len(out) + 1
		t.QueuePosition = &pos
		out = append(out, t)
	}
	return out, rows.Err()
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

// CreateTicket stores t and sets its ID and, when queued, its position.
func (tx *Tx) CreateTicket(ctx context.Context, t *rapport.Ticket) error {
	id, err := tx.insert(ctx, tx.db.q.CreateTicket,
		t.Subject, t.Body, string(t.Status), string(t.Priority), t.Priority.Rank(),
		t.Impact.Outage, t.Impact.CostsMoney, t.Impact.BlocksWork, string(t.Channel),
		refID(t.Requester), refID(t.Assignee), refID(t.LoggedBy), t.FollowUpOf, t.Resolution, t.ReopenCount,
		t.CreatedAt, t.UpdatedAt, t.ClaimedAt, t.FirstResponseAt, t.ResolvedAt, t.ClosedAt)
	if err != nil {
		return fmt.Errorf("create ticket: %w", err)
	}
	t.ID = id
	if !t.Queued() {
		return nil
	}
	pos, err := tx.placeOfNew(ctx, t)
	if err != nil {
		return fmt.Errorf("queue position: %w", err)
	}
	t.QueuePosition = &pos
	return nil
}

// placeOfNew counts a just-created ticket into the queue and returns its
// place: from the counters where kept, else by counting (see dialect).
func (tx *Tx) placeOfNew(ctx context.Context, t *rapport.Ticket) (int, error) {
	rank := t.Priority.Rank()
	var pos int
	if tx.db.dialect.queueCounters {
		return pos, tx.q.QueryRowContext(ctx, tx.db.q.JoinQueue, rank, rank).Scan(&pos)
	}
	return pos, tx.q.QueryRowContext(ctx, tx.db.q.GetQueuePosition, rank, rank, t.ID).Scan(&pos)
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
	_, err := tx.q.ExecContext(ctx, tx.db.q.UpdateTicket,
		t.Subject, string(t.Status), string(t.Priority), t.Priority.Rank(),
		refID(t.Assignee), t.Resolution, t.ReopenCount, t.UpdatedAt,
		t.ClaimedAt, t.FirstResponseAt, t.ResolvedAt, t.ClosedAt, t.ID)
	if err != nil {
		return fmt.Errorf("update ticket %d: %w", t.ID, err)
	}
	t.QueuePosition = nil
	return tx.syncQueue(ctx, oldRank, wasQueued, t.Priority.Rank(), t.Queued())
}

// syncQueue keeps queue_counts in step when a ticket enters, leaves or
// changes rank in the queue (SQLite only; see dialect.queueCounters).
func (tx *Tx) syncQueue(ctx context.Context, oldRank int, was bool, newRank int, is bool) error {
	if !tx.db.dialect.queueCounters || was == is && (!was || oldRank == newRank) {
		return nil
	}
	if was {
		if _, err := tx.q.ExecContext(ctx, tx.db.q.AdjustQueueCount, -1, oldRank); err != nil {
			return fmt.Errorf("adjust queue count: %w", err)
		}
	}
	if is {
		if _, err := tx.q.ExecContext(ctx, tx.db.q.AdjustQueueCount, +1, newRank); err != nil {
			return fmt.Errorf("adjust queue count: %w", err)
		}
	}
	return nil
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
func scanTicket(s scanner, extra ...any) (*rapport.Ticket, error) {
	var t rapport.Ticket
	var status, priority, channel string
	var rank int
	var requester, assignee, loggedBy nullRef
	var followUp sql.NullInt64
	var claimed, firstResp, resolved, closed sql.NullTime
	dest := []any{
		&t.ID, &t.Subject, &t.Body, &status, &priority,
		&t.Impact.Outage, &t.Impact.CostsMoney, &t.Impact.BlocksWork, &channel,
		&requester.id, &requester.email, &requester.name,
		&assignee.id, &assignee.email, &assignee.name,
		&loggedBy.id, &loggedBy.email, &loggedBy.name,
		&followUp, &t.Resolution, &t.ReopenCount,
		&t.CreatedAt, &t.UpdatedAt, &claimed, &firstResp, &resolved, &closed,
		&rank,
	}
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	t.Status, t.Priority, t.Channel = rapport.Status(status), rapport.Priority(priority), rapport.Channel(channel)
	t.Requester, t.Assignee, t.LoggedBy = requester.ref(), assignee.ref(), loggedBy.ref()
	if followUp.Valid {
		t.FollowUpOf = &followUp.Int64
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	t.ClaimedAt, t.FirstResponseAt, t.ResolvedAt, t.ClosedAt = timePtr(claimed), timePtr(firstResp), timePtr(resolved), timePtr(closed)
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
