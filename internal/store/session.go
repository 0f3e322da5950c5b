package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// FindCredentials returns the user with a normalized email and the hash of
// their password, "" when they have none; ENOTFOUND when there is no user.
func (db *DB) FindCredentials(ctx context.Context, email string) (*rapport.User, string, error) {
	var hash sql.NullString
	u, err := scanUserWith(db.rq.QueryRowContext(ctx, db.q.GetUserCredentials, email), &hash)
	if err != nil {
		return nil, "", userError(err, "find credentials of %q", email)
	}
	return u, hash.String, nil
}

// SetPasswordHash stores the hash of a user's new password.
func (tx *Tx) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	res, err := tx.q.ExecContext(ctx, tx.db.q.SetPasswordHash, hash, userID)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no user %d.", userID)
	}
	return nil
}

// FindSession returns the session with id and its user, live or not;
// ENOTFOUND when there is none.
func (db *DB) FindSession(ctx context.Context, id string) (*rapport.Session, *rapport.User, error) {
	var s rapport.Session
	var revoked sql.NullTime
	u, err := scanUserWith(db.rq.QueryRowContext(ctx, db.q.GetSession, id), nil,
		&s.ID, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &revoked)
	if err == sql.ErrNoRows {
		return nil, nil, rapport.Errorf(rapport.ENOTFOUND, "There is no such session.")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	s.RevokedAt = timePtr(revoked)
	return &s, u, nil
}

// CreateSession stores a new session.
func (tx *Tx) CreateSession(ctx context.Context, s *rapport.Session) error {
	_, err := tx.q.ExecContext(ctx, tx.db.q.CreateSession, s.ID, s.UserID, s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// TouchSession saves a live session's last use and expiry.
func (tx *Tx) TouchSession(ctx context.Context, s *rapport.Session) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.TouchSession, s.LastSeenAt.UTC(), s.ExpiresAt.UTC(), s.ID); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// RevokeSession ends one session; ending one already ended is no error.
func (tx *Tx) RevokeSession(ctx context.Context, id string, at time.Time) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.RevokeSession, at.UTC(), id); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// RevokeSessions ends every live session of a user and says how many.
func (tx *Tx) RevokeSessions(ctx context.Context, userID int64, at time.Time) (int, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.RevokeSessions, at.UTC(), userID)
	if err != nil {
		return 0, fmt.Errorf("revoke sessions of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteSessions deletes the sessions that expired before before.
func (tx *Tx) DeleteSessions(ctx context.Context, before time.Time) (int, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.DeleteSessions, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("delete sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// scanUserWith scans the user columns (the account, then the profile),
// preceded by before and followed by after (when not nil).
func scanUserWith(s scanner, after any, before ...any) (*rapport.User, error) {
	var u rapport.User
	var role, channel string
	var disabled sql.NullTime
	dest := append(before, &u.ID, &u.Email, &u.Name, &role, &u.CreatedAt, &disabled,
		&u.PreferredName, &u.Pronunciation, &u.Phone, &channel, &u.TimeZone, &u.Language, &u.Notes)
	if after != nil {
		dest = append(dest, after)
	}
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	u.Role = rapport.Role(role)
	u.PreferredChannel = rapport.Channel(channel)
	u.CreatedAt = u.CreatedAt.UTC()
	u.DisabledAt = timePtr(disabled)
	return &u, nil
}
