package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// Check-ins, satisfaction surveys and kudos (issue 9).

const checkinNotFound = "There is no check-in %d."

// CreateCheckin stores c and sets its ID.
func (tx *Tx) CreateCheckin(ctx context.Context, c *rapport.Checkin) error {
	id, err := tx.insert(ctx, tx.db.q.CreateCheckin, c.TicketID, c.AgentID, c.DueAt, c.SentAt, string(c.Answer), c.AnsweredAt, c.CancelledAt, c.CreatedAt)
	if err != nil {
		return fmt.Errorf("create check-in on ticket %d: %w", c.TicketID, err)
	}
	c.ID = id
	return nil
}

// CancelCheckins cancels the ticket's check-ins that were not sent yet.
func (tx *Tx) CancelCheckins(ctx context.Context, ticketID int64, at time.Time) (int, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.CancelCheckins, at, ticketID)
	if err != nil {
		return 0, fmt.Errorf("cancel check-ins of ticket %d: %w", ticketID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// LockDueCheckin locks the earliest due check-in that nobody else holds
// (PostgreSQL skips locked rows; SQLite has one writer at a time).
func (tx *Tx) LockDueCheckin(ctx context.Context, now time.Time) (*rapport.Checkin, error) {
	c, err := scanCheckin(tx.q.QueryRowContext(ctx, tx.db.q.LockDueCheckin, now))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "No check-in is due.")
	} else if err != nil {
		return nil, fmt.Errorf("due check-in: %w", err)
	}
	return c, nil
}

// LockCheckin reads a check-in and, on PostgreSQL, locks its row.
func (tx *Tx) LockCheckin(ctx context.Context, id int64) (*rapport.Checkin, error) {
	c, err := scanCheckin(tx.q.QueryRowContext(ctx, tx.db.q.LockCheckin, id))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, checkinNotFound, id)
	} else if err != nil {
		return nil, fmt.Errorf("lock check-in %d: %w", id, err)
	}
	return c, nil
}

// UpdateCheckin saves c's due date, sending, answer and cancellation.
func (tx *Tx) UpdateCheckin(ctx context.Context, c *rapport.Checkin) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.UpdateCheckin, c.DueAt, c.SentAt, string(c.Answer), c.AnsweredAt, c.CancelledAt, c.ID); err != nil {
		return fmt.Errorf("update check-in %d: %w", c.ID, err)
	}
	return nil
}

// FindCheckin returns one check-in.
func (db *DB) FindCheckin(ctx context.Context, id int64) (*rapport.Checkin, error) {
	c, err := scanCheckin(db.rq.QueryRowContext(ctx, db.q.GetCheckin, id))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, checkinNotFound, id)
	} else if err != nil {
		return nil, fmt.Errorf("find check-in %d: %w", id, err)
	}
	return c, nil
}

// FindCheckins returns a ticket's check-ins, oldest first.
func (db *DB) FindCheckins(ctx context.Context, ticketID int64) ([]*rapport.Checkin, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetCheckins, ticketID)
	if err != nil {
		return nil, fmt.Errorf("find check-ins of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []*rapport.Checkin
	for rows.Next() {
		c, err := scanCheckin(rows)
		if err != nil {
			return nil, fmt.Errorf("find check-ins of ticket %d: %w", ticketID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanCheckin(sc scanner) (*rapport.Checkin, error) {
	var c rapport.Checkin
	var answer string
	var sent, answered, cancelled sql.NullTime
	var agent sql.NullInt64
	if err := sc.Scan(&c.ID, &c.TicketID, &agent, &c.DueAt, &sent, &answer, &answered, &cancelled, &c.CreatedAt); err != nil {
		return nil, err
	}
	c.DueAt, c.CreatedAt = c.DueAt.UTC(), c.CreatedAt.UTC()
	c.SentAt, c.AnsweredAt, c.CancelledAt = timePtr(sent), timePtr(answered), timePtr(cancelled)
	c.Answer = rapport.CheckinAnswer(answer)
	if agent.Valid {
		c.AgentID = &agent.Int64
	}
	return &c, nil
}

// CreateSurvey stores s and sets its ID.
func (tx *Tx) CreateSurvey(ctx context.Context, s *rapport.Survey) error {
	id, err := tx.insert(ctx, tx.db.q.CreateSurvey, s.TicketID, refID(s.Requester), refID(s.Agent), s.Score, s.Comment,
		s.CreatedAt, s.ExpiresAt, s.AnsweredAt)
	if err != nil {
		return fmt.Errorf("create survey on ticket %d: %w", s.TicketID, err)
	}
	s.ID = id
	return nil
}

// LockSurvey reads a survey and, on PostgreSQL, locks its row.
func (tx *Tx) LockSurvey(ctx context.Context, id int64) (*rapport.Survey, error) {
	s, err := scanSurvey(tx.q.QueryRowContext(ctx, tx.db.q.LockSurvey, id))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no survey %d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("lock survey %d: %w", id, err)
	}
	return s, nil
}

// AnswerSurvey saves s's score, comment and answer time.
func (tx *Tx) AnswerSurvey(ctx context.Context, s *rapport.Survey) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.AnswerSurvey, s.Score, s.Comment, s.AnsweredAt, s.ID); err != nil {
		return fmt.Errorf("answer survey %d: %w", s.ID, err)
	}
	return nil
}

// FindSurvey returns one survey.
func (db *DB) FindSurvey(ctx context.Context, id int64) (*rapport.Survey, error) {
	s, err := scanSurvey(db.rq.QueryRowContext(ctx, db.q.GetSurvey, id))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no survey %d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find survey %d: %w", id, err)
	}
	return s, nil
}

// FindSurveys returns a ticket's surveys, oldest first.
func (db *DB) FindSurveys(ctx context.Context, ticketID int64) ([]*rapport.Survey, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetSurveys, ticketID)
	if err != nil {
		return nil, fmt.Errorf("find surveys of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []*rapport.Survey
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, fmt.Errorf("find surveys of ticket %d: %w", ticketID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func scanSurvey(sc scanner) (*rapport.Survey, error) {
	var s rapport.Survey
	var requester, agent nullRef
	var score sql.NullInt64
	var answered sql.NullTime
	err := sc.Scan(&s.ID, &s.TicketID, &requester.id, &requester.email, &requester.name, &agent.id, &agent.email, &agent.name,
		&score, &s.Comment, &s.CreatedAt, &s.ExpiresAt, &answered)
	if err != nil {
		return nil, err
	}
	s.Requester, s.Agent = requester.ref(), agent.ref()
	if score.Valid {
		n := int(score.Int64)
		s.Score = &n
	}
	s.CreatedAt, s.ExpiresAt, s.AnsweredAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC(), timePtr(answered)
	return &s, nil
}

// CreateKudos stores k and sets its ID.
func (tx *Tx) CreateKudos(ctx context.Context, k *rapport.Kudos) error {
	id, err := tx.insert(ctx, tx.db.q.CreateKudos, refID(k.From), refID(k.To), k.TicketID, k.Message, k.CreatedAt)
	if err != nil {
		return fmt.Errorf("create kudos: %w", err)
	}
	k.ID = id
	return nil
}

// FindKudos returns up to limit kudos to user to, newest first.
func (db *DB) FindKudos(ctx context.Context, to int64, n int) ([]*rapport.Kudos, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetKudos, to, limit(n))
	if err != nil {
		return nil, fmt.Errorf("find kudos to %d: %w", to, err)
	}
	defer rows.Close()
	var out []*rapport.Kudos
	for rows.Next() {
		var k rapport.Kudos
		var from, toRef nullRef
		var ticket sql.NullInt64
		if err := rows.Scan(&k.ID, &from.id, &from.email, &from.name, &toRef.id, &toRef.email, &toRef.name,
			&ticket, &k.Message, &k.CreatedAt); err != nil {
			return nil, fmt.Errorf("find kudos to %d: %w", to, err)
		}
		k.From, k.To, k.CreatedAt = from.ref(), toRef.ref(), k.CreatedAt.UTC()
		if ticket.Valid {
			k.TicketID = &ticket.Int64
		}
		out = append(out, &k)
	}
	return out, rows.Err()
}
