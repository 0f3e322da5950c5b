package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// FindIdempotencyKey returns the record of the user's request with key made
// at or after since, or ENOTFOUND.
func (db *DB) FindIdempotencyKey(ctx context.Context, userID int64, key string, since time.Time) (*rapport.IdempotencyKey, error) {
	k := &rapport.IdempotencyKey{UserID: userID, Key: key}
	err := db.rq.QueryRowContext(ctx, db.q.GetIdempotencyKey, userID, key, since.UTC()).Scan(&k.RequestHash, &k.CreatedAt, &k.Response)
	if err == sql.ErrNoRows {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "No request with that Idempotency-Key.")
	} else if err != nil {
		return nil, fmt.Errorf("find idempotency key: %w", err)
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return k, nil
}

// CreateIdempotencyKey records k, replacing a record of the same key that
// is older than rapport.IdempotencyKeyTTL. A live record of the same key,
// even one a concurrent transaction has not yet committed, makes it fail
// with ECONFLICT; the caller's whole transaction must then roll back.
func (tx *Tx) CreateIdempotencyKey(ctx context.Context, k *rapport.IdempotencyKey) error {
	stale := k.CreatedAt.Add(-rapport.IdempotencyKeyTTL).UTC()
	if _, err := tx.q.ExecContext(ctx, tx.db.q.DeleteStaleIdempotencyKey, k.UserID, k.Key, stale); err != nil {
		return fmt.Errorf("delete stale idempotency key: %w", err)
	}
	_, err := tx.q.ExecContext(ctx, tx.db.q.CreateIdempotencyKey, k.UserID, k.Key, k.RequestHash, k.CreatedAt.UTC())
	if isConflict(err) {
		return rapport.Errorf(rapport.ECONFLICT, "A request with this Idempotency-Key has already been carried out.")
	} else if err != nil {
		return fmt.Errorf("create idempotency key: %w", err)
	}
	return nil
}

// SaveIdempotentResponse stores the answer to the user's request with key.
func (tx *Tx) SaveIdempotentResponse(ctx context.Context, userID int64, key string, response []byte) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.SaveIdempotentResponse, response, userID, key); err != nil {
		return fmt.Errorf("save idempotent response: %w", err)
	}
	return nil
}

// DeleteIdempotencyKeys deletes the records made before before and says how
// many there were.
func (tx *Tx) DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	res, err := tx.q.ExecContext(ctx, tx.db.q.DeleteIdempotencyKeys, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("delete idempotency keys: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
