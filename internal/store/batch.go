package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportdesk/rapport"
)

// maxBatch bounds how many updates share one SQLite commit.
const maxBatch = 128

// DefaultUpdateTimeout is how long one update may run on SQLite before it
// is abandoned so that the writer can go on (see DB.UpdateTimeout).
const DefaultUpdateTimeout = 10 * time.Second

// ErrClosed is what Update and Healthy return once Close has been called.
var ErrClosed = errors.New("the database is closed")

// SQLite allows one writer, and the cost of a write is mostly the commit:
// the WAL pages it writes and, with synchronous=FULL, one fsync. So on
// SQLite, Update hands its work to a single writer goroutine that runs
// every update waiting at that moment in one transaction (group commit).
// Each update runs inside its own SAVEPOINT, so it is still all-or-nothing
// on its own, and its caller hears of success only once the shared COMMIT
// is durable. When idle, a lone update commits at once: batching adds no
// waiting.
//
// SQLite rolls the whole transaction back, not just the statement, when a
// write statement is interrupted or meets a full disk or an I/O error.
// The savepoint is then gone, ROLLBACK TO fails, and any later SAVEPOINT
// would start a transaction of its own that RELEASE commits at once. So a
// savepoint that cannot be rolled back or released ends the batch: the
// transaction is rolled back, the update at fault gets its error, and the
// other updates of the batch run again in a fresh transaction.

// writer is the state of the SQLite group-commit writer and of the guards
// both dialects share; it is embedded in DB.
type writer struct {
	writes     chan writeReq // nil on PostgreSQL
	stop       chan struct{} // closed by Close: the writer takes no more
	writerDone chan struct{}
	closed     atomic.Bool
	// running counts update functions running right now, so Update looks
	// for a nested call only when one could be nested.
	running atomic.Int32

	// The SQLite background checkpointer (see checkpoint.go).
	cp               *sql.DB
	walPath          string
	walNext          int64 // WAL size that triggers the next TRUNCATE checkpoint
	stopCheckpointer func()
	checkpointerDone chan struct{}

	health health
}

type writeReq struct {
	ctx  context.Context
	fn   func(rapport.Tx) error
	done chan error
	// timeout, when set, replaces UpdateTimeout for this update alone.
	timeout time.Duration
}

// startWriter starts the writer goroutine; close(db.stop) stops it.
func (db *DB) startWriter() {
	db.writes = make(chan writeReq)
	db.stop = make(chan struct{})
	db.writerDone = make(chan struct{})
	go func() {
		defer close(db.writerDone)
		batch := make([]writeReq, 0, maxBatch)
		for {
			select {
			case req := <-db.writes:
				batch = append(batch[:0], req)
			case <-db.stop:
				return
			}
		drain:
			for len(batch) < maxBatch {
				select {
				case r := <-db.writes:
					batch = append(batch, r)
				default:
					break drain
				}
			}
			db.runBatch(batch)
			db.boundWAL()
		}
	}()
}

// updateBatched queues fn for the writer and waits for its outcome. Once
// the writer has taken a request it always answers it.
func (db *DB) updateBatched(ctx context.Context, fn func(rapport.Tx) error) error {
	return db.updateBatchedWithin(ctx, fn, 0)
}

// updateBatchedWithin is updateBatched with a deadline of its own (zero:
// UpdateTimeout).
func (db *DB) updateBatchedWithin(ctx context.Context, fn func(rapport.Tx) error, timeout time.Duration) error {
	req := writeReq{ctx: ctx, fn: fn, done: make(chan error, 1), timeout: timeout}
	select {
	case db.writes <- req:
	case <-db.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-req.done
}

// runBatch runs batch in as few transactions as it takes: one, unless an
// update loses the transaction (see above).
func (db *DB) runBatch(batch []writeReq) {
	for len(batch) > 0 {
		batch = db.tryBatch(batch)
	}
}

// tryBatch runs batch in one transaction and answers its callers, except
// those it returns, which must run again in a new transaction.
func (db *DB) tryBatch(batch []writeReq) (again []writeReq) {
	sqlTx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		db.health.record(err)
		for _, r := range batch {
			r.done <- formatError(err)
		}
		return nil
	}
	results := make([]error, len(batch))
	var storageErr error
	for i, r := range batch {
		var lost bool
		results[i], lost = db.runOne(sqlTx, r)
		if storageErr == nil && isStorageError(results[i]) {
			storageErr = results[i]
		}
		if lost {
			sqlTx.Rollback() // already rolled back by SQLite, most likely
			db.health.record(storageErr)
			r.done <- results[i]
			again = make([]writeReq, 0, len(batch)-1)
			return append(append(again, batch[:i]...), batch[i+1:]...)
		}
	}
	if err := sqlTx.Commit(); err != nil {
		db.health.record(err)
		for _, r := range batch {
			r.done <- formatError(err)
		}
		return nil
	}
	db.health.record(storageErr)
	if db.OnBatch != nil {
		db.OnBatch(len(batch))
	}
	for i, r := range batch {
		r.done <- results[i]
	}
	return nil
}

// runOne runs one update inside a savepoint of the shared transaction. Its
// statements run under a deadline of their own, not under the caller's
// cancellation: interrupting a write statement would roll back the whole
// batch. lost reports that the transaction did not survive.
func (db *DB) runOne(sqlTx *sql.Tx, r writeReq) (err error, lost bool) {
	if err := r.ctx.Err(); err != nil {
		return err, false
	}
	sp := txQ{tx: sqlTx, c: db.wstmts}
	bg := context.Background()
	if _, err := sp.ExecContext(bg, "SAVEPOINT u"); err != nil {
		return fmt.Errorf("savepoint: %w", err), true
	}
	timeout := r.timeout
	if timeout <= 0 {
		timeout = db.UpdateTimeout
	}
	if timeout <= 0 {
		timeout = DefaultUpdateTimeout
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), timeout)
	u := &updateScope{ctx: ctx}
	tx := &Tx{tx: sqlTx, db: db, q: txQ{tx: sqlTx, c: db.wstmts, u: u}}
	// fn runs on a goroutine of its own so that the writer can leave it
	// behind if it blocks outside SQL too; u then refuses its statements.
	fnDone := make(chan error, 1)
	go func() { fnDone <- db.runGuarded(r.fn, tx) }()
	select {
	case err = <-fnDone:
	case <-ctx.Done():
		err = fmt.Errorf("the update took longer than %v and was abandoned", timeout)
		slog.Error("sqlite update abandoned after its deadline", "timeout", timeout)
	}
	cancel()
	u.end()
	if err != nil {
		if _, rbErr := sqlTx.ExecContext(bg, "ROLLBACK TO u; RELEASE u"); rbErr != nil {
			return fmt.Errorf("%w (and the batch it shared was lost: %v)", err, rbErr), true
		}
		return err, false
	}
	if _, relErr := sp.ExecContext(bg, "RELEASE u"); relErr != nil {
		return fmt.Errorf("release savepoint: %w", relErr), true
	}
	return nil, false
}

// updateScope is one update's share of a batch: its deadline, and a gate
// that refuses its statements once the writer has moved on without it.
type updateScope struct {
	ctx  context.Context
	mu   sync.RWMutex
	over bool
}

// enter admits a statement of the update and returns the context to run it
// under and the function to call when it has run.
func (u *updateScope) enter() (context.Context, func(), error) {
	u.mu.RLock()
	if u.over {
		u.mu.RUnlock()
		return nil, nil, errors.New("the update is over: its deadline passed")
	}
	return u.ctx, u.mu.RUnlock, nil
}

// end waits for the statement running, if any (cancelled already), and
// admits no more.
func (u *updateScope) end() {
	u.mu.Lock()
	u.over = true
	u.mu.Unlock()
}
