package store

import (
	"context"
	"fmt"

	"github.com/rapportdesk/rapport"
)

// maxBatch bounds how many updates share one SQLite commit.
const maxBatch = 128

// SQLite allows one writer, and the cost of a write is mostly the commit:
// the WAL pages it writes. So on SQLite, Update hands its work to a single
// writer goroutine that runs every update waiting at that moment in one
// transaction (group commit). Each update runs inside its own SAVEPOINT, so
// it is still all-or-nothing on its own, and its caller hears of success
// only once the shared COMMIT is durable. When idle, a lone update commits
// at once: batching adds no waiting.

type writeReq struct {
	ctx  context.Context
	fn   func(rapport.Tx) error
	done chan error
}

// startWriter starts the writer goroutine; close(db.writes) stops it.
func (db *DB) startWriter() {
	db.writes = make(chan writeReq)
	db.writerDone = make(chan struct{})
	go func() {
		defer close(db.writerDone)
		batch := make([]writeReq, 0, maxBatch)
		for req := range db.writes {
			batch = append(batch[:0], req)
		drain:
			for len(batch) < maxBatch {
				select {
				case r, ok := <-db.writes:
					if !ok {
						break drain
					}
					batch = append(batch, r)
				default:
					break drain
				}
			}
			db.runBatch(batch)
		}
	}()
}

// updateBatched queues fn for the writer and waits for its outcome.
func (db *DB) updateBatched(ctx context.Context, fn func(rapport.Tx) error) error {
	req := writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-req.done
}

func (db *DB) runBatch(batch []writeReq) {
	sqlTx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range batch {
			r.done <- formatError(err)
		}
		return
	}
	tx := newTx(db, sqlTx)
	tx.q.detach = true
	results := make([]error, len(batch))
	for i, r := range batch {
		results[i] = runOne(tx, r)
	}
	if err := sqlTx.Commit(); err != nil {
		for _, r := range batch {
			r.done <- formatError(err)
		}
		return
	}
	if db.OnBatch != nil {
		db.OnBatch(len(batch))
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}

// runOne runs one update inside a savepoint of the shared transaction.
// Once started it runs to its end: tx runs statements without cancellation.
func runOne(tx *Tx, r writeReq) (err error) {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if _, err := tx.q.ExecContext(r.ctx, "SAVEPOINT u"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	defer func() {
		if err != nil {
			if _, rbErr := tx.tx.Exec("ROLLBACK TO u; RELEASE u"); rbErr != nil { // rare: not prepared
				err = fmt.Errorf("%w (and rollback to savepoint failed: %v)", err, rbErr)
			}
			return
		}
		if _, relErr := tx.q.ExecContext(r.ctx, "RELEASE u"); relErr != nil {
			err = fmt.Errorf("release savepoint: %w", relErr)
		}
	}()
	return runGuarded(r.fn, tx)
}
