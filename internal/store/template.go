package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// FindTemplateByID returns a template, or ENOTFOUND.
func (db *DB) FindTemplateByID(ctx context.Context, id int64) (*rapport.Template, error) {
	return findTemplate(ctx, db.rq, db.q, id)
}

// FindTemplates returns the shared templates and those of ownerID, by name.
func (db *DB) FindTemplates(ctx context.Context, ownerID int64) ([]*rapport.Template, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetTemplates, ownerID)
	if err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, fmt.Errorf("find templates: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	return out, nil
}

// LockTemplate reads a template and holds it until the transaction ends.
func (tx *Tx) LockTemplate(ctx context.Context, id int64) (*rapport.Template, error) {
	var got int64
	if err := tx.q.QueryRowContext(ctx, tx.db.q.LockTemplate, id).Scan(&got); err == sql.ErrNoRows {
		return nil, templateNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("lock template %d: %w", id, err)
	}
	return findTemplate(ctx, tx.q, tx.db.q, id)
}

// CreateTemplate stores t and sets its ID. A name already taken in the
// same scope (shared, or the owner's) is ECONFLICT.
func (tx *Tx) CreateTemplate(ctx context.Context, t *rapport.Template) error {
	id, err := tx.insert(ctx, tx.db.q.CreateTemplate, owner(t), t.Name, t.NameKey(), t.Subject, t.Body, t.CreatedAt.UTC(), t.UpdatedAt.UTC())
	if isConflict(err) {
		return nameTaken(t)
	} else if err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	t.ID = id
	return nil
}

// UpdateTemplate saves t's owner, name, subject, body and UpdatedAt.
func (tx *Tx) UpdateTemplate(ctx context.Context, t *rapport.Template) error {
	res, err := tx.q.ExecContext(ctx, tx.db.q.UpdateTemplate, owner(t), t.Name, t.NameKey(), t.Subject, t.Body, t.UpdatedAt.UTC(), t.ID)
	if isConflict(err) {
		return nameTaken(t)
	} else if err != nil {
		return fmt.Errorf("update template %d: %w", t.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return templateNotFound(t.ID)
	}
	return nil
}

// DeleteTemplate deletes a template; ENOTFOUND when there is none.
func (tx *Tx) DeleteTemplate(ctx context.Context, id int64) error {
	res, err := tx.q.ExecContext(ctx, tx.db.q.DeleteTemplate, id)
	if err != nil {
		return fmt.Errorf("delete template %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return templateNotFound(id)
	}
	return nil
}

func findTemplate(ctx context.Context, q queryer, qs *queries, id int64) (*rapport.Template, error) {
	t, err := scanTemplate(q.QueryRowContext(ctx, qs.GetTemplate, id))
	if err == sql.ErrNoRows {
		return nil, templateNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("find template %d: %w", id, err)
	}
	return t, nil
}

func scanTemplate(row interface{ Scan(...any) error }) (*rapport.Template, error) {
	var t rapport.Template
	var ownerID sql.NullInt64
	if err := row.Scan(&t.ID, &ownerID, &t.Name, &t.Subject, &t.Body, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, err
	}
	t.OwnerID = ownerID.Int64
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return &t, nil
}

// owner is t's owner_id: NULL for a shared template.
func owner(t *rapport.Template) sql.NullInt64 {
	return sql.NullInt64{Int64: t.OwnerID, Valid: !t.Shared()}
}

func templateNotFound(id int64) error {
	return rapport.Errorf(rapport.ENOTFOUND, "There is no template %d, or you do not have access to it.", id)
}

func nameTaken(t *rapport.Template) error {
	msg := "You already have a template with that name; please choose another."
	if t.Shared() {
		msg = "There is already a shared template with that name; please choose another."
	}
	return &rapport.Error{Code: rapport.ECONFLICT, Message: msg,
		Fields: []rapport.FieldError{{Field: "name", Message: fmt.Sprintf("“%s” is already taken.", t.Name)}}}
}
