package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// checkpointEvery is how often the background checkpointer runs on SQLite.
const checkpointEvery = 200 * time.Millisecond

// DefaultMaxWAL is the WAL size past which the SQLite writer pauses for a
// checkpoint that empties the WAL (see DB.MaxWAL).
const DefaultMaxWAL = 64 << 20

// walSizeLimit is SQLite's journal_size_limit: the size a WAL file is cut
// back to when SQLite restarts it from the beginning.
const walSizeLimit = 8 << 20

// On SQLite the writer commits into the WAL; copying the WAL back into the
// database file (a checkpoint, with an fsync) would otherwise happen inside
// a commit every 1000 pages and stall every update waiting behind it. So
// automatic checkpoints are off on the write connection and a connection of
// its own checkpoints in the background. A PASSIVE checkpoint never blocks
// the writer or readers.
//
// But PASSIVE alone does not bound the WAL. SQLite starts writing the WAL
// from its beginning again only when a new write transaction finds every
// frame copied back and no reader still using the WAL; under a writer that
// never pauses that never happens, and the file grows without end (358 MB
// beside a 6 MB database in 20 s). So when the WAL passes MaxWAL, the
// writer, between two batches, runs a TRUNCATE checkpoint: it copies the
// rest back, waits (a second at most) for the readers still on older
// snapshots, and empties the file. Readers are not blocked; writes wait for
// that one checkpoint, most of whose copying the passive ones have done.

func (db *DB) startCheckpointer(base string) error {
	// A TRUNCATE checkpoint waits for old readers through the busy handler:
	// a short wait, as the writes wait behind it.
	cp, err := sql.Open("sqlite", base+"&_pragma=busy_timeout(1000)")
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	cp.SetMaxOpenConns(1)
	db.cp = cp
	ctx, cancel := context.WithCancel(context.Background())
	db.stopCheckpointer = func() {
		cancel()
		<-db.checkpointerDone
		cp.Close()
	}
	db.checkpointerDone = make(chan struct{})
	go func() {
		defer close(db.checkpointerDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := cp.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil && ctx.Err() == nil {
					slog.Warn("sqlite checkpoint failed", "err", err)
				}
			}
		}
	}()
	return nil
}

// boundWAL runs on the writer goroutine between batches: it empties the
// WAL once it has grown past MaxWAL. If old readers keep the checkpoint
// from finishing, the next try waits until the WAL has grown by MaxWAL
// again, so a stuck reader cannot stall every batch.
func (db *DB) boundWAL() {
	limit := db.MaxWAL
	if limit <= 0 {
		limit = DefaultMaxWAL
	}
	if db.walNext == 0 {
		db.walNext = limit
	}
	fi, err := os.Stat(db.walPath)
	if err != nil || fi.Size() < db.walNext {
		return
	}
	var busy, frames, copied int64
	err = db.cp.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied)
	switch {
	case err != nil:
		slog.Warn("sqlite checkpoint failed", "err", err)
	case busy != 0:
		slog.Warn("sqlite checkpoint could not empty the WAL: readers held on", "wal_bytes", fi.Size())
	default:
		db.walNext = limit
		return
	}
	db.walNext = fi.Size() + limit
}
