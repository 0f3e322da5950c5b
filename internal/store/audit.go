package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/rapportdesk/rapport"
)

// AddAudit stores e and sets its ID. It runs in the caller's write
// transaction, so on SQLite it shares the group commit of other writes.
func (tx *Tx) AddAudit(ctx context.Context, e *rapport.AuditEntry) error {
	id, err := tx.insert(ctx, tx.db.q.AddAudit, refID(e.Staff), refID(e.User), string(e.What), e.Ref, string(e.Route), e.At)
	if err != nil {
		return fmt.Errorf("add audit entry: %w", err)
	}
	e.ID = id
	return nil
}

// FindAudit returns a page of the audit log f selects, newest first, and
// the cursor of the next page ("" on the last).
func (db *DB) FindAudit(ctx context.Context, f rapport.AuditFilter) ([]*rapport.AuditEntry, string, error) {
	below := int64(math.MaxInt64)
	if f.After != "" {
		c, err := decodeCursor(f.After, "audit")
		if err != nil {
			return nil, "", err
		}
		below = c.ID
	}
	n := limit(f.Limit)
	var rows *sql.Rows
	var err error
	switch {
	case f.UserID != 0 && f.StaffID != 0:
		rows, err = db.rq.QueryContext(ctx, db.q.ListAuditByUserAndStaff, f.UserID, f.StaffID, below, n+1)
	case f.UserID != 0:
		rows, err = db.rq.QueryContext(ctx, db.q.ListAuditByUser, f.UserID, below, n+1)
	case f.StaffID != 0:
		rows, err = db.rq.QueryContext(ctx, db.q.ListAuditByStaff, f.StaffID, below, n+1)
	default:
		rows, err = db.rq.QueryContext(ctx, db.q.ListAudit, below, n+1)
	}
	if err != nil {
		return nil, "", fmt.Errorf("find audit entries: %w", err)
	}
	defer rows.Close()
	var out []*rapport.AuditEntry
	for rows.Next() {
		var e rapport.AuditEntry
		var staff, user nullRef
		var what, route string
		if err := rows.Scan(&e.ID, &staff.id, &staff.email, &staff.name, &user.id, &user.email, &user.name,
			&what, &e.Ref, &route, &e.At); err != nil {
			return nil, "", fmt.Errorf("find audit entries: %w", err)
		}
		e.Staff, e.User, e.What, e.Route, e.At = staff.ref(), user.ref(), rapport.AuditWhat(what), rapport.Route(route), e.At.UTC()
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find audit entries: %w", err)
	}
	var next string
	if len(out) > n {
		out = out[:n]
		next = cursor{Kind: "audit", ID: out[n-1].ID}.encode()
	}
	return out, next, nil
}
