package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"sync"
)

// stmtCache prepares each statement once per pool and keeps it, so SQLite
// does not parse the same SQL on every call. database/sql re-prepares a
// statement on a new connection by itself.
type stmtCache struct {
	pool  *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}}
}

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	s := c.stmts[query]
	c.mu.RUnlock()
	if s != nil {
		return s, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s = c.stmts[query]; s != nil {
		return s, nil
	}
	s, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = s
	return s, nil
}

// prepareAll prepares every statement of qs up front, and the savepoint
// statements of group commit when batched is set.
func (c *stmtCache) prepareAll(ctx context.Context, qs *queries, batched bool) error {
	if batched {
		for _, q := range []string{"SAVEPOINT u", "RELEASE u"} {
			if _, err := c.get(ctx, q); err != nil {
				return fmt.Errorf("prepare %s: %w", q, err)
			}
		}
	}
	rv := reflect.ValueOf(qs).Elem()
	for i := 0; i < rv.NumField(); i++ {
		if _, err := c.get(ctx, rv.Field(i).String()); err != nil {
			return fmt.Errorf("prepare %s: %w", rv.Type().Field(i).Tag.Get("query"), err)
		}
	}
	return nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.stmts {
		s.Close()
	}
	c.stmts = nil
}

// poolQ runs statements on a pool through its cache.
type poolQ struct{ c *stmtCache }

func (q poolQ) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := q.c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (q poolQ) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := q.c.get(ctx, query)
	if err != nil {
		// A *sql.Row cannot be built with an error; running the statement
		// unprepared reports the same error through Scan.
		return q.c.pool.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (q poolQ) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := q.c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// txQ runs statements inside a transaction, reusing the write pool's
// prepared statements.
type txQ struct {
	tx *sql.Tx
	c  *stmtCache
	// u is set by group commit: statements run under the update's own
	// deadline, not the caller's cancellation, and only while it lasts.
	u *updateScope
}

// stmt never prepares on the pool: on SQLite the transaction holds the
// pool's only connection. Statements not prepared at open are prepared
// within the transaction instead.
func (q txQ) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	q.c.mu.RLock()
	s := q.c.stmts[query]
	q.c.mu.RUnlock()
	if s == nil {
		return q.tx.PrepareContext(ctx, query)
	}
	return q.tx.StmtContext(ctx, s), nil
}

// enter returns the context to run a statement under and the function to
// call once it has run.
func (q txQ) enter(ctx context.Context) (context.Context, func(), error) {
	if q.u == nil {
		return ctx, func() {}, nil
	}
	return q.u.enter()
}

func (q txQ) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, leave, err := q.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	s, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (q txQ) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx, leave, err := q.enter(ctx)
	if err != nil {
		// The update's context is done: the row reports it through Scan
		// without touching the connection.
		return q.tx.QueryRowContext(q.u.ctx, query, args...)
	}
	defer leave()
	s, err := q.stmt(ctx, query)
	if err != nil {
		return q.tx.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (q txQ) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, leave, err := q.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	s, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}
