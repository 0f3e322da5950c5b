package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// Secret returns the site's secret named name, 32 random bytes made at its
// first use and the same on every node from then on.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := db.rq.QueryRowContext(ctx, db.q.GetSecret, name).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get secret %s: %w", name, err)
	}
	fresh := make([]byte, 32)
	rand.Read(fresh)
	err = db.Update(ctx, func(t rapport.Tx) error {
		_, err := t.(*Tx).q.ExecContext(ctx, db.q.CreateSecret, name, fresh, time.Now().UTC())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create secret %s: %w", name, err)
	}
	if err := db.rq.QueryRowContext(ctx, db.q.GetSecret, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("get secret %s: %w", name, err)
	}
	return v, nil
}
