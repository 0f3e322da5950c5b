package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// Jobs are rows of the jobs table (migration 00012). On SQLite every claim
// and outcome goes through the group-commit writer like any other update;
// on PostgreSQL claims skip the rows another runner holds (FOR UPDATE SKIP
// LOCKED), so several nodes share the work and never take one job twice.

func scanJob(s interface{ Scan(...any) error }) (*rapport.Job, error) {
	j := &rapport.Job{}
	var state string
	var until sql.NullTime
	if err := s.Scan(&j.ID, &j.Kind, &j.Group, &j.Payload, &state, &j.Attempts, &j.MaxAttempts, &j.RunAt,
		&j.Lease, &until, &j.LastError, &j.CreatedAt, &j.UpdatedAt); err != nil {
		return nil, err
	}
	j.State = rapport.JobState(state)
	j.RunAt, j.CreatedAt, j.UpdatedAt = j.RunAt.UTC(), j.CreatedAt.UTC(), j.UpdatedAt.UTC()
	if until.Valid {
		u := until.Time.UTC()
		j.LeaseUntil = &u
	}
	return j, nil
}

// EnqueueJob stores j as a ready job.
func (tx *Tx) EnqueueJob(ctx context.Context, j *rapport.Job) error {
	if j.Kind == "" {
		return rapport.Errorf(rapport.EINVALID, "A job needs a kind.")
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = rapport.DefaultJobAttempts
	}
	if j.Payload == nil {
		j.Payload = []byte("{}")
	}
	now := j.CreatedAt
	if now.IsZero() {
		now = rapport.Now()
	}
	if j.RunAt.IsZero() {
		j.RunAt = now
	}
	j.State, j.CreatedAt, j.UpdatedAt = rapport.JobReady, now.UTC(), now.UTC()
	id, err := tx.insert(ctx, tx.db.q.CreateJob, j.Kind, j.Group, j.Payload, j.MaxAttempts, j.RunAt.UTC(), j.CreatedAt, j.UpdatedAt)
	if err != nil {
		return fmt.Errorf("enqueue job: %w", err)
	}
	j.ID = id
	return nil
}

// ClaimJobs holds up to c.Limit due jobs of c.Kinds for c.Lease.
func (tx *Tx) ClaimJobs(ctx context.Context, c rapport.JobClaim) ([]*rapport.Job, error) {
	if len(c.Kinds) == 0 || c.Limit <= 0 {
		return nil, nil
	}
	kinds, err := json.Marshal(c.Kinds)
	if err != nil {
		return nil, err
	}
	now := c.Now.UTC()
	rows, err := tx.q.QueryContext(ctx, tx.db.q.ClaimJobs, c.Lease, c.LeaseUntil.UTC(), now, now, now, string(kinds), now, c.Limit)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("claim jobs: %w", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	return out, nil
}

// errLeaseLost says a runner no longer holds the job it reports on.
func errLeaseLost(id int64) error {
	return rapport.Errorf(rapport.ENOTFOUND, "Job %d is no longer held by this runner.", id)
}

func (tx *Tx) execOne(ctx context.Context, id int64, what, query string, args ...any) error {
	res, err := tx.q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if n == 0 {
		return errLeaseLost(id)
	}
	return nil
}

// FinishJob deletes a job done under lease.
func (tx *Tx) FinishJob(ctx context.Context, id int64, lease string) error {
	return tx.execOne(ctx, id, "finish job", tx.db.q.FinishJob, id, lease)
}

// FailJob records a failed run: ready again at retryAt, or dead.
func (tx *Tx) FailJob(ctx context.Context, id int64, lease, why string, retryAt *time.Time, now time.Time) error {
	if retryAt == nil {
		return tx.execOne(ctx, id, "fail job", tx.db.q.KillJob, why, now.UTC(), id, lease)
	}
	return tx.execOne(ctx, id, "fail job", tx.db.q.RetryJobLater, retryAt.UTC(), why, now.UTC(), id, lease)
}

// ReviveJob makes a dead job ready now with fresh attempts.
func (tx *Tx) ReviveJob(ctx context.Context, id int64, now time.Time) (*rapport.Job, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.ReviveJob, now.UTC(), now.UTC(), id)
	if err != nil {
		return nil, fmt.Errorf("retry job: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("retry job: %w", err)
	} else if n == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no dead job %d to retry.", id)
	}
	j, err := scanJob(tx.q.QueryRowContext(ctx, tx.db.q.GetJob, id))
	if err != nil {
		return nil, fmt.Errorf("retry job: %w", err)
	}
	return j, nil
}

// TakePeriod moves the periodic task's next run from a due time to next.
func (tx *Tx) TakePeriod(ctx context.Context, name string, now, next time.Time) (bool, error) {
	// A task seen for the first time is due at once.
	if _, err := tx.q.ExecContext(ctx, tx.db.q.CreateJobPeriod, name, now.UTC()); err != nil {
		return false, fmt.Errorf("take period %s: %w", name, err)
	}
	res, err := tx.q.ExecContext(ctx, tx.db.q.TakeJobPeriod, next.UTC(), name, now.UTC())
	if err != nil {
		return false, fmt.Errorf("take period %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecordSentMail stores m unless its Message-ID is already recorded.
func (tx *Tx) RecordSentMail(ctx context.Context, m *rapport.SentMail) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.CreateSentMail, m.MessageID, m.TicketID, m.To, m.Automatic, m.SentAt.UTC()); err != nil {
		return fmt.Errorf("record sent mail: %w", err)
	}
	return nil
}

// FindJob returns a job by id.
func (db *DB) FindJob(ctx context.Context, id int64) (*rapport.Job, error) {
	j, err := scanJob(db.rq.QueryRowContext(ctx, db.q.GetJob, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no job %d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find job: %w", err)
	}
	return j, nil
}

// FindJobs returns a page of jobs, newest first.
func (db *DB) FindJobs(ctx context.Context, f rapport.JobFilter) ([]*rapport.Job, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := db.rq.QueryContext(ctx, db.q.GetJobs, string(f.State), string(f.State), f.BeforeID, f.BeforeID, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("find jobs: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("find jobs: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// FindSentMail returns the record of a mail sent with messageID.
func (db *DB) FindSentMail(ctx context.Context, messageID string) (*rapport.SentMail, error) {
	m := &rapport.SentMail{}
	err := db.rq.QueryRowContext(ctx, db.q.GetSentMail, messageID).Scan(&m.MessageID, &m.TicketID, &m.To, &m.Automatic, &m.SentAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "No mail was sent with that Message-ID.")
	} else if err != nil {
		return nil, fmt.Errorf("find sent mail: %w", err)
	}
	m.SentAt = m.SentAt.UTC()
	return m, nil
}

// CountAutomaticMail counts automatic mails to addr since since.
func (db *DB) CountAutomaticMail(ctx context.Context, addr string, since time.Time) (int, error) {
	var n int
	if err := db.rq.QueryRowContext(ctx, db.q.CountAutomaticMail, addr, since.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count automatic mail: %w", err)
	}
	return n, nil
}

// FindTicketMessageIDs returns the first limit Message-IDs sent to addr
// about a ticket.
func (db *DB) FindTicketMessageIDs(ctx context.Context, ticketID int64, addr string, limit int) ([]string, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetTicketMessageIDs, ticketID, addr, ticketID, addr, limit)
	if err != nil {
		return nil, fmt.Errorf("find ticket message ids: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// JobsDue reports whether any job is due at now; see rapport.Store.
func (db *DB) JobsDue(ctx context.Context, now time.Time) (bool, error) {
	var due bool
	if err := db.rq.QueryRowContext(ctx, db.q.JobsDue, now.UTC(), now.UTC()).Scan(&due); err != nil {
		return false, fmt.Errorf("jobs due: %w", err)
	}
	return due, nil
}
