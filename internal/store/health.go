package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rapportdesk/rapport"
)

// DefaultHealthMaxAge is how old the outcome of the last SQLite write may
// be before Healthy writes again to find out (see DB.HealthMaxAge).
const DefaultHealthMaxAge = 10 * time.Second

// health is the outcome of the SQLite writer's last commit.
type health struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// record notes the outcome of a commit: err is nil when the disk took it.
func (h *health) record(err error) {
	h.mu.Lock()
	h.at, h.err = time.Now(), err
	h.mu.Unlock()
}

func (h *health) last() (time.Time, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.at, h.err
}

// Healthy reports whether the database answers and, on SQLite, takes
// writes. A ping alone says nothing of a full or failing disk, so on
// SQLite it answers with the outcome of the writer's last commit when that
// is recent, and otherwise writes a few bytes through the writer (shared
// with any updates waiting) to find out. Asked often, it costs at most one
// tiny commit per HealthMaxAge. PostgreSQL reports its own disk errors on
// connection and commit, so there a ping suffices.
func (db *DB) Healthy(ctx context.Context) error {
	if db.closed.Load() {
		return ErrClosed
	}
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	if db.writes == nil {
		return nil
	}
	maxAge := db.HealthMaxAge
	if maxAge <= 0 {
		maxAge = DefaultHealthMaxAge
	}
	at, err := db.health.last()
	if time.Since(at) >= maxAge {
		if err = db.updateBatched(ctx, probeWrite); err == nil {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("the database refuses writes: %w", err)
	}
	return nil
}

// probeWrite rewrites the database header's user version (which Rapport
// does not otherwise use) with its own value: a real write of one page,
// which no schema or data sees.
func probeWrite(t rapport.Tx) error {
	tx := t.(*Tx)
	ctx := context.Background()
	var v int64
	if err := tx.q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	_, err := tx.q.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}

// isStorageError reports whether err says the disk or the file refused
// SQLite's work, rather than that the update itself was refused.
func isStorageError(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
		sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_NOLFS, sqlite3.SQLITE_PERM:
		return true
	}
	return false
}
