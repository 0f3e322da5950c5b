package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// FindUserByID returns the user with id, or ENOTFOUND.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*rapport.User, error) {
	u, err := scanUser(db.rq.QueryRowContext(ctx, db.q.GetUserByID, id))
	if err != nil {
		return nil, userError(err, "find user %d", id)
	}
	return u, nil
}

// FindUserByEmail returns the user with a normalized email, or ENOTFOUND.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*rapport.User, error) {
	return findUserByEmail(ctx, db.rq, db.q, email)
}

// FindUserByEmail is FindUserByEmail inside the transaction.
func (tx *Tx) FindUserByEmail(ctx context.Context, email string) (*rapport.User, error) {
	return findUserByEmail(ctx, tx.q, tx.db.q, email)
}

func findUserByEmail(ctx context.Context, q queryer, qs *queries, email string) (*rapport.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, qs.GetUserByEmail, email))
	if err != nil {
		return nil, userError(err, "find user %q", email)
	}
	return u, nil
}

// FindUserByTokenHash returns the enabled owner of an unrevoked token.
func (db *DB) FindUserByTokenHash(ctx context.Context, hash string) (*rapport.User, error) {
	u, err := scanUser(db.rq.QueryRowContext(ctx, db.q.GetUserByTokenHash, hash))
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "That token is not valid. It may have been revoked; please ask an administrator for a new one.")
	} else if err != nil {
		return nil, fmt.Errorf("find user by token: %w", err)
	}
	return u, nil
}

// CreateUser stores u and sets its ID. A taken email is ECONFLICT.
func (tx *Tx) CreateUser(ctx context.Context, u *rapport.User) error {
	id, err := tx.insert(ctx, tx.db.q.CreateUser, append([]any{u.Email, u.Name, string(u.Role), u.CreatedAt}, profileArgs(u)...)...)
	u.ID = id
	if isConflict(err) {
		return &rapport.Error{Code: rapport.ECONFLICT, Message: "Someone with that email address already has an account.",
			Fields: []rapport.FieldError{{Field: "email", Message: u.Email + " is already in use."}}}
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// UpdateUser saves u's name, role, disabled state and profile.
func (tx *Tx) UpdateUser(ctx context.Context, u *rapport.User) error {
	args := append([]any{u.Name, string(u.Role), u.DisabledAt}, profileArgs(u)...)
	res, err := tx.q.ExecContext(ctx, tx.db.q.UpdateUser, append(args, u.ID)...)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no user %d.", u.ID)
	}
	return nil
}

// CreateToken stores the hash of a new API token.
func (tx *Tx) CreateToken(ctx context.Context, t *rapport.Token) error {
	id, err := tx.insert(ctx, tx.db.q.CreateToken, t.UserID, t.Hash, t.Label, t.CreatedAt)
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	t.ID = id
	return nil
}

// RevokeTokens revokes every live token of a user and says how many.
func (tx *Tx) RevokeTokens(ctx context.Context, userID int64, at time.Time) (int, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.RevokeTokens, at, userID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

type scanner interface{ Scan(dest ...any) error }

func scanUser(s scanner) (*rapport.User, error) { return scanUserWith(s, nil) }

// profileArgs are u's profile columns in the order the queries name them,
// after disabled_at.
func profileArgs(u *rapport.User) []any {
	return []any{u.PreferredName, u.Pronunciation, u.Phone, string(u.PreferredChannel), u.TimeZone, u.Language, u.Notes}
}

func userError(err error, format string, args ...any) error {
	if err == sql.ErrNoRows {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no such user.")
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// limit bounds list sizes: 50 by default, 500 at most.
func limit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

// FindTokens returns the live tokens of a user, newest first. Hashes are
// not read: nothing outside authentication needs them.
func (db *DB) FindTokens(ctx context.Context, userID int64) ([]*rapport.Token, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetTokens, userID)
	if err != nil {
		return nil, fmt.Errorf("find tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*rapport.Token
	for rows.Next() {
		var t rapport.Token
		var revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Label, &t.CreatedAt, &revoked); err != nil {
			return nil, fmt.Errorf("find tokens of user %d: %w", userID, err)
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.RevokedAt = timePtr(revoked)
		out = append(out, &t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one live token of a user.
func (tx *Tx) RevokeToken(ctx context.Context, userID, tokenID int64, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, tx.db.q.RevokeToken, at, tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", tokenID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no live token %d on this account.", tokenID)
	}
	return nil
}

// LockUser reads a user and, on PostgreSQL, locks the row until the
// transaction ends (SQLite's writer already holds the whole database).
func (tx *Tx) LockUser(ctx context.Context, id int64) (*rapport.User, error) {
	u, err := scanUser(tx.q.QueryRowContext(ctx, tx.db.q.LockUser, id))
	if err != nil {
		return nil, userError(err, "lock user %d", id)
	}
	return u, nil
}

// LockAdmins returns the enabled administrators' ids, locking their rows.
func (tx *Tx) LockAdmins(ctx context.Context) ([]int64, error) {
	rows, err := tx.q.QueryContext(ctx, tx.db.q.LockAdmins)
	if err != nil {
		return nil, fmt.Errorf("lock admins: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("lock admins: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
