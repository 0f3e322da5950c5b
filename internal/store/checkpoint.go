package store

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// checkpointEvery is how often the background checkpointer runs on SQLite.
const checkpointEvery = 200 * time.Millisecond

// On SQLite the writer commits into the WAL; copying the WAL back into the
// database file (a checkpoint, with an fsync) would otherwise happen inside
// a commit every 1000 pages and stall every update waiting behind it. So
// automatic checkpoints are off on the write connection and a connection of
// its own checkpoints in the background. A PASSIVE checkpoint never blocks
// the writer or readers.
func (db *DB) startCheckpointer(cp *sql.DB) {
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
}
