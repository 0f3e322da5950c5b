package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// Service levels (rapport.SLAStore, rapport.SLATx): calendars, policies and
// the clocks of tickets.

var (
	_ rapport.SLAStore = (*DB)(nil)
	_ rapport.SLATx    = (*Tx)(nil)
)

// rowQuerier reads one row: the prepared pool or a transaction.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanCalendar scans a calendar row.
func scanCalendar(sc scanner) (*rapport.Calendar, error) {
	var c rapport.Calendar
	var config string
	if err := sc.Scan(&c.ID, &c.Name, &c.Default, &config, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(config), &c.Config); err != nil {
		return nil, fmt.Errorf("calendar %d config: %w", c.ID, err)
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func calendarNotFound(id int64) error {
	return rapport.Errorf(rapport.ENOTFOUND, "There is no calendar %d.", id)
}

func findCalendars(ctx context.Context, q querier, query string) ([]*rapport.Calendar, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("find calendars: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Calendar
	for rows.Next() {
		c, err := scanCalendar(rows)
		if err != nil {
			return nil, fmt.Errorf("find calendars: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func findCalendar(ctx context.Context, q rowQuerier, query string, id int64) (*rapport.Calendar, error) {
	c, err := scanCalendar(q.QueryRowContext(ctx, query, id))
	if err == sql.ErrNoRows {
		return nil, calendarNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("find calendar %d: %w", id, err)
	}
	return c, nil
}

// FindCalendars returns every calendar, the default first, then by name.
func (db *DB) FindCalendars(ctx context.Context) ([]*rapport.Calendar, error) {
	return findCalendars(ctx, db.rq, db.q.GetCalendars)
}

// FindCalendar returns one calendar, or ENOTFOUND.
func (db *DB) FindCalendar(ctx context.Context, id int64) (*rapport.Calendar, error) {
	return findCalendar(ctx, db.rq, db.q.GetCalendar, id)
}

// FindCalendars returns every calendar, the default first.
func (tx *Tx) FindCalendars(ctx context.Context) ([]*rapport.Calendar, error) {
	return findCalendars(ctx, tx.q, tx.db.q.GetCalendars)
}

// FindCalendar returns one calendar, or ENOTFOUND.
func (tx *Tx) FindCalendar(ctx context.Context, id int64) (*rapport.Calendar, error) {
	return findCalendar(ctx, tx.q, tx.db.q.GetCalendar, id)
}

// FindDefaultCalendar returns the default calendar, or ENOTFOUND.
func (tx *Tx) FindDefaultCalendar(ctx context.Context) (*rapport.Calendar, error) {
	c, err := scanCalendar(tx.q.QueryRowContext(ctx, tx.db.q.GetDefaultCalendar))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no default calendar yet.")
	} else if err != nil {
		return nil, fmt.Errorf("find default calendar: %w", err)
	}
	return c, nil
}

func calendarConflict() error {
	return rapport.Invalid("name", "Another calendar already has that name.")
}

// CreateCalendar stores c and sets its ID; as the default, it takes over.
func (tx *Tx) CreateCalendar(ctx context.Context, c *rapport.Calendar) error {
	config, err := json.Marshal(c.Config)
	if err != nil {
		return fmt.Errorf("create calendar: %w", err)
	}
	if c.Default {
		if _, err := tx.q.ExecContext(ctx, tx.db.q.ClearDefaultCalendar, 0); err != nil {
			return fmt.Errorf("create calendar: %w", err)
		}
	}
	id, err := tx.insert(ctx, tx.db.q.CreateCalendar, c.Name, c.Default, string(config), c.CreatedAt, c.UpdatedAt)
	if isConflict(err) {
		return calendarConflict()
	} else if err != nil {
		return fmt.Errorf("create calendar: %w", err)
	}
	c.ID = id
	return nil
}

// UpdateCalendar saves c; as the default, it takes over.
func (tx *Tx) UpdateCalendar(ctx context.Context, c *rapport.Calendar) error {
	config, err := json.Marshal(c.Config)
	if err != nil {
		return fmt.Errorf("update calendar %d: %w", c.ID, err)
	}
	if c.Default {
		if _, err := tx.q.ExecContext(ctx, tx.db.q.ClearDefaultCalendar, c.ID); err != nil {
			return fmt.Errorf("update calendar %d: %w", c.ID, err)
		}
	}
	res, err := tx.q.ExecContext(ctx, tx.db.q.UpdateCalendar, c.Name, c.Default, string(config), c.UpdatedAt, c.ID)
	if isConflict(err) {
		return calendarConflict()
	} else if err != nil {
		return fmt.Errorf("update calendar %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return calendarNotFound(c.ID)
	}
	return nil
}

// DeleteCalendar deletes a calendar; clocks on it fall back to the
// default (calendar_id becomes NULL).
func (tx *Tx) DeleteCalendar(ctx context.Context, id int64) error {
	res, err := tx.q.ExecContext(ctx, tx.db.q.DeleteCalendar, id)
	if err != nil {
		return fmt.Errorf("delete calendar %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return calendarNotFound(id)
	}
	return nil
}

func findSLAPolicies(ctx context.Context, q querier, query string) ([]*rapport.SLAPolicy, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("find SLA policies: %w", err)
	}
	defer rows.Close()
	var out []*rapport.SLAPolicy
	for rows.Next() {
		var p rapport.SLAPolicy
		var prio string
		var first, resolve int64
		if err := rows.Scan(&prio, &p.CalendarID, &first, &resolve, &p.WarnPercent, &p.UpdatedAt); err != nil {
			return nil, fmt.Errorf("find SLA policies: %w", err)
		}
		p.Priority, p.UpdatedAt = rapport.Priority(prio), p.UpdatedAt.UTC()
		p.FirstResponse, p.Resolution = time.Duration(first)*time.Second, time.Duration(resolve)*time.Second
		out = append(out, &p)
	}
	return out, rows.Err()
}

// FindSLAPolicies returns the policies, critical first.
func (db *DB) FindSLAPolicies(ctx context.Context) ([]*rapport.SLAPolicy, error) {
	return findSLAPolicies(ctx, db.rq, db.q.GetSLAPolicies)
}

// FindSLAPolicies returns the policies, critical first.
func (tx *Tx) FindSLAPolicies(ctx context.Context) ([]*rapport.SLAPolicy, error) {
	return findSLAPolicies(ctx, tx.q, tx.db.q.GetSLAPolicies)
}

// SaveSLAPolicy creates or replaces the policy of p.Priority. Targets are
// kept in whole seconds.
func (tx *Tx) SaveSLAPolicy(ctx context.Context, p *rapport.SLAPolicy) error {
	_, err := tx.q.ExecContext(ctx, tx.db.q.SaveSLAPolicy, string(p.Priority), p.CalendarID,
		int64(p.FirstResponse/time.Second), int64(p.Resolution/time.Second), p.WarnPercent, p.UpdatedAt)
	if err != nil {
		return fmt.Errorf("save SLA policy %s: %w", p.Priority, err)
	}
	return nil
}

func scanSLAClock(sc scanner) (*rapport.SLAClock, error) {
	var c rapport.SLAClock
	var prio, runs string
	var cal sql.NullInt64
	var first, resolve int64
	var fDue, fWarn, fBreach, rDue, rWarn, rBreach, next sql.NullTime
	var fMet, rMet sql.NullBool
	err := sc.Scan(&c.TicketID, &prio, &cal, &c.WarnPercent, &runs,
		&first, &fDue, &fMet, &fWarn, &fBreach,
		&resolve, &rDue, &rMet, &rWarn, &rBreach, &next)
	if err != nil {
		return nil, err
	}
	c.Priority, c.CalendarID = rapport.Priority(prio), cal.Int64
	if err := json.Unmarshal([]byte(runs), &c.Runs); err != nil {
		return nil, fmt.Errorf("SLA clock of ticket %d: %w", c.TicketID, err)
	}
	c.FirstResponse = rapport.SLAGoal{Target: time.Duration(first) * time.Second, Due: timePtr(fDue), Met: boolPtr(fMet),
		WarnedAt: timePtr(fWarn), BreachedAt: timePtr(fBreach)}
	c.Resolution = rapport.SLAGoal{Target: time.Duration(resolve) * time.Second, Due: timePtr(rDue), Met: boolPtr(rMet),
		WarnedAt: timePtr(rWarn), BreachedAt: timePtr(rBreach)}
	c.NextCheck = timePtr(next)
	return &c, nil
}

func boolPtr(b sql.NullBool) *bool {
	if !b.Valid {
		return nil
	}
	return &b.Bool
}

// FindSLAClocks returns the clocks of the tickets that have one.
func (db *DB) FindSLAClocks(ctx context.Context, ticketIDs []int64) (map[int64]*rapport.SLAClock, error) {
	out := make(map[int64]*rapport.SLAClock, len(ticketIDs))
	if len(ticketIDs) == 0 {
		return out, nil
	}
	ids, err := json.Marshal(ticketIDs)
	if err != nil {
		return nil, err
	}
	rows, err := db.rq.QueryContext(ctx, db.q.GetSLAClocks, string(ids))
	if err != nil {
		return nil, fmt.Errorf("find SLA clocks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanSLAClock(rows)
		if err != nil {
			return nil, fmt.Errorf("find SLA clocks: %w", err)
		}
		out[c.TicketID] = c
	}
	return out, rows.Err()
}

// FindSLAClock returns a ticket's clock, or ENOTFOUND.
func (tx *Tx) FindSLAClock(ctx context.Context, ticketID int64) (*rapport.SLAClock, error) {
	c, err := scanSLAClock(tx.q.QueryRowContext(ctx, tx.db.q.GetSLAClock, ticketID))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "Ticket %d has no SLA clock.", ticketID)
	} else if err != nil {
		return nil, fmt.Errorf("find SLA clock of ticket %d: %w", ticketID, err)
	}
	return c, nil
}

// SaveSLAClock creates or replaces a ticket's clock, and writes each
// target's due time and outcome to the ticket for the reports.
func (tx *Tx) SaveSLAClock(ctx context.Context, c *rapport.SLAClock) error {
	runs, err := json.Marshal(c.Runs)
	if err != nil {
		return fmt.Errorf("save SLA clock of ticket %d: %w", c.TicketID, err)
	}
	var cal any
	if c.CalendarID != 0 {
		cal = c.CalendarID
	}
	f, r := &c.FirstResponse, &c.Resolution
	if _, err := tx.q.ExecContext(ctx, tx.db.q.SaveSLAClock, c.TicketID, string(c.Priority), cal, c.WarnPercent, string(runs),
		int64(f.Target/time.Second), f.WarnedAt, f.BreachedAt,
		int64(r.Target/time.Second), r.WarnedAt, r.BreachedAt, c.NextCheck); err != nil {
		return fmt.Errorf("save SLA clock of ticket %d: %w", c.TicketID, err)
	}
	if _, err := tx.q.ExecContext(ctx, tx.db.q.SaveTicketSLA, f.Due, f.Met, r.Due, r.Met, c.TicketID); err != nil {
		return fmt.Errorf("save SLA outcome of ticket %d: %w", c.TicketID, err)
	}
	return nil
}

// LockDueSLATicket locks the ticket of a clock due for a check at now, or
// answers ENOTFOUND. On SQLite the single writer is the lock.
func (tx *Tx) LockDueSLATicket(ctx context.Context, now time.Time) (int64, error) {
	var id int64
	if err := tx.q.QueryRowContext(ctx, tx.db.q.LockDueSLATicket, now).Scan(&id); err == sql.ErrNoRows {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "No SLA check is due.")
	} else if err != nil {
		return 0, fmt.Errorf("due SLA check: %w", err)
	}
	return id, nil
}

// LockStaleSLATickets locks up to limit active tickets with an id in
// (after, upTo] whose clock is missing or disagrees with their policy,
// in id order. On SQLite the single writer is the lock.
func (tx *Tx) LockStaleSLATickets(ctx context.Context, after, upTo int64, limit int) ([]int64, error) {
	rows, err := tx.q.QueryContext(ctx, tx.db.q.LockStaleSLATickets, after, upTo, limit)
	if err != nil {
		return nil, fmt.Errorf("stale SLA clocks: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("stale SLA clocks: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// LastTicketID returns the highest ticket id, 0 when there is none.
func (tx *Tx) LastTicketID(ctx context.Context) (int64, error) {
	var id int64
	if err := tx.q.QueryRowContext(ctx, tx.db.q.LastTicketID).Scan(&id); err != nil {
		return 0, fmt.Errorf("last ticket id: %w", err)
	}
	return id, nil
}

// FindStaffIDs returns the enabled users of the roles, by id.
func (tx *Tx) FindStaffIDs(ctx context.Context, roles ...rapport.Role) ([]int64, error) {
	names, err := json.Marshal(roles)
	if err != nil {
		return nil, err
	}
	rows, err := tx.q.QueryContext(ctx, tx.db.q.GetStaffIDs, string(names))
	if err != nil {
		return nil, fmt.Errorf("find staff: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("find staff: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RecheckSLAClocks makes the running clocks on a calendar due for a check.
func (tx *Tx) RecheckSLAClocks(ctx context.Context, id int64, orDefault bool, now time.Time) (int, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.RecheckSLAClocks, now, id, orDefault)
	if err != nil {
		return 0, fmt.Errorf("recheck SLA clocks on calendar %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
