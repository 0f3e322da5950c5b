package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// FindDraft returns a user's draft of form, sent or not; ENOTFOUND when
// there is none.
func (db *DB) FindDraft(ctx context.Context, userID int64, form string) (*rapport.Draft, error) {
	var d rapport.Draft
	err := db.rq.QueryRowContext(ctx, db.q.GetDraft, userID, form).Scan(&d.UserID, &d.Form, &d.Token, &d.Subject, &d.Description,
		&d.Impact.Outage, &d.Impact.CostsMoney, &d.Impact.BlocksWork, &d.Sent, &d.UpdatedAt)
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no draft of that form.")
	} else if err != nil {
		return nil, fmt.Errorf("find draft: %w", err)
	}
	d.UpdatedAt = d.UpdatedAt.UTC()
	return &d, nil
}

// SaveDraft stores d in place of its user's draft of d.Form, unless that
// draft was sent with d.Token; it reports whether d was stored.
func (tx *Tx) SaveDraft(ctx context.Context, d *rapport.Draft) (bool, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.SaveDraft, d.UserID, d.Form, d.Token, d.Subject, d.Description,
		d.Impact.Outage, d.Impact.CostsMoney, d.Impact.BlocksWork, d.UpdatedAt.UTC())
	if err != nil {
		return false, fmt.Errorf("save draft: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("save draft: %w", err)
	}
	return n > 0, nil
}

// SendDraft clears a user's draft of form and remembers token as sent.
func (tx *Tx) SendDraft(ctx context.Context, userID int64, form, token string, at time.Time) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.SendDraft, userID, form, token, at.UTC()); err != nil {
		return fmt.Errorf("clear draft: %w", err)
	}
	return nil
}
