// Package store keeps Rapport's data in SQLite (the default, zero set-up) or
// PostgreSQL, behind one implementation of rapport.Store. The statements are
// shared; the few that differ live in queries/postgres.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rapportdesk/rapport"
)

//go:embed migrations
var migrationFS embed.FS

// DefaultPath is where the SQLite database lives when nothing else is said.
const DefaultPath = "data/rapport.db"

var _ rapport.Store = (*DB)(nil)

type dialect struct {
	name   string // "sqlite" or "postgres"; also the migrations folder
	goose  goose.Dialect
	rebind func(string) string
	// counterShards splits each queue_blocks counter into this many rows
	// (by id) so that concurrent creates rarely wait on one row. SQLite
	// writes one at a time, so one row is enough there.
	counterShards int64
}

var (
	dialectSQLite   = dialect{name: "sqlite", goose: goose.DialectSQLite3, rebind: dropReturningID, counterShards: 1}
	dialectPostgres = dialect{name: "postgres", goose: goose.DialectPostgres, rebind: rebindDollar, counterShards: 16}
)

// DB is a Rapport database. SQLite has one writer at a time, so DB keeps a
// single-connection pool for writes and a wider one for reads; PostgreSQL
// uses one pool for both.
type DB struct {
	read, write *sql.DB
	dialect     dialect
	q           *queries

	// rq runs reads through prepared statements; wstmts holds the write
	// pool's prepared statements for transactions.
	rq     poolQ
	wstmts *stmtCache

	// The SQLite group-commit writer and checkpointer, and the guards of
	// Update on both databases (batch.go, checkpoint.go, health.go).
	writer

	// UpdateTimeout bounds one update on SQLite (DefaultUpdateTimeout when
	// zero); MaxWAL bounds the SQLite WAL file (DefaultMaxWAL when zero);
	// HealthMaxAge is how old the last write may be before Healthy writes
	// to check (DefaultHealthMaxAge when zero). Set them before use.
	UpdateTimeout time.Duration
	MaxWAL        int64
	HealthMaxAge  time.Duration

	// OnBatch, when set before the first Update, hears how many updates
	// shared each SQLite commit (for metrics). Unused on PostgreSQL.
	OnBatch func(n int)

	// words caches PostgreSQL's statistics of the search words (perf,
	// search.go).
	words wordStats
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqlitePath is the file a SQLite dsn names: a path, or a file: URI
// whose query holds settings.
func sqlitePath(dsn string) string {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// DataFolder is where the site keeps its files beside the database: the
// folder of a SQLite file, or data with PostgreSQL.
func DataFolder(dsn string) string {
	if IsPostgres(dsn) {
		return "data"
	}
	return filepath.Dir(sqlitePath(dsn))
}

// Open connects to the database named by dsn (a SQLite path, or a
// postgres:// URL) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.wstmts.prepareAll(ctx, db.q, db.writes != nil); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func open(dsn string) (*DB, error) {
	if dsn == "" {
		dsn = DefaultPath
	}
	db := &DB{dialect: dialectSQLite}
	if IsPostgres(dsn) {
		db.dialect = dialectPostgres
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		// Every statement here reads a page's worth of rows; parallel
		// workers take longer to start than they save, and a search whose
		// matches PostgreSQL guessed at thousands waited 150-200 ms for
		// them at 1M tickets. A DSN that sets it keeps its own value.
		if _, ok := cfg.RuntimeParams["max_parallel_workers_per_gather"]; !ok {
			cfg.RuntimeParams["max_parallel_workers_per_gather"] = "0"
		}
		// perf: nor is JIT compiling worth it for such statements: it took
		// 50-200 ms on searches the planner costed high, longer than the
		// statement, and a statement timeout cannot cut it short.
		if _, ok := cfg.RuntimeParams["jit"]; !ok {
			cfg.RuntimeParams["jit"] = "off"
		}
		pool := stdlib.OpenDB(*cfg)
		pool.SetMaxOpenConns(32)
		pool.SetMaxIdleConns(32)
		db.read, db.write = pool, pool
	} else {
		path := sqlitePath(dsn)
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
		}
		// WAL lets readers run beside the writer. synchronous=FULL syncs
		// the WAL at every commit, so a committed write survives a power
		// cut (NORMAL only survives a crash of the process); group commit
		// shares that fsync. journal_size_limit cuts the WAL file back
		// when it restarts (see checkpoint.go).
		base := "file:" + (&url.URL{Path: path}).EscapedPath() +
			"?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)" +
			"&_pragma=journal_size_limit(" + strconv.Itoa(walSizeLimit) + ")&_time_format=sqlite"
		var err error
		if db.write, err = sql.Open("sqlite", base+"&_pragma=busy_timeout(10000)&_txlock=immediate&_pragma=wal_autocheckpoint(0)"); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.write.SetMaxOpenConns(1)
		db.walPath = path + "-wal"
		if err := db.startCheckpointer(base); err != nil {
			db.write.Close()
			return nil, err
		}
		if db.read, err = sql.Open("sqlite", base+"&_pragma=busy_timeout(10000)&_pragma=query_only(1)"); err != nil {
			db.stopCheckpointer()
			db.write.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		n := max(4, runtime.NumCPU()*2)
		db.read.SetMaxOpenConns(n)
		db.read.SetMaxIdleConns(n)
	}
	q, err := loadQueries(db.dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	db.q = q
	db.rq, db.wstmts = poolQ{newStmtCache(db.read)}, newStmtCache(db.write)
	if db.read == db.write {
		db.rq.c = db.wstmts
	}
	if db.dialect.name == "sqlite" {
		db.startWriter()
	}
	return db, nil
}

var returningID = regexp.MustCompile(`\s+RETURNING id$`)

// dropReturningID removes a final RETURNING id: SQLite inserts report the
// id through LastInsertId more cheaply (see Tx.insert).
func dropReturningID(sql string) string { return returningID.ReplaceAllString(sql, "") }

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Close releases the database. Updates already taken by the SQLite writer
// finish first; later ones return ErrClosed.
func (db *DB) Close() error {
	if !db.closed.CompareAndSwap(false, true) {
		return nil
	}
	if db.writes != nil {
		close(db.stop)
		<-db.writerDone
	}
	if db.wstmts != nil {
		db.wstmts.close()
		if db.rq.c != db.wstmts { // PostgreSQL shares one pool and cache
			db.rq.c.close()
		}
	}
	if db.stopCheckpointer != nil {
		db.stopCheckpointer()
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Migrate applies the migrations not yet applied. On PostgreSQL a session
// lock makes nodes starting together take turns.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// MigrationStatus describes each known migration and whether it is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]string, error) {
	p, err := db.migrator()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]string, len(st))
	for i, s := range st {
		out[i] = fmt.Sprintf("%05d %-8s %s", s.Source.Version, s.State, filepath.Base(s.Source.Path))
	}
	return out, nil
}

// Migrations returns the migration files of a dialect ("sqlite" or
// "postgres"), for tests that build a migrated database once and copy it.
func Migrations(dialect string) (fs.FS, error) {
	return fs.Sub(migrationFS, "migrations/"+dialect)
}

func (db *DB) migrator() (*goose.Provider, error) {
	fsys, err := Migrations(db.dialect.name)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.dialect.name == "postgres" {
		l, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(l))
	}
	return goose.NewProvider(db.dialect.goose, db.write, fsys, opts...)
}

// Update runs fn in a write transaction, committing only if fn succeeds.
// On SQLite it may share the commit with other updates (see batch.go), and
// fn may then run a second time if another update lost the shared
// transaction: fn must keep its effects to tx and to its own results.
// Calling Update from inside fn, or after Close, returns an error.
func (db *DB) Update(ctx context.Context, fn func(rapport.Tx) error) (err error) {
	if err := db.refuseUpdate(); err != nil {
		return err
	}
	if db.writes != nil {
		return db.updateBatched(ctx, fn)
	}
	// PostgreSQL may pick a transaction to break a deadlock (two batches
	// adding to the same report counters in another order, say); it asks
	// for the transaction to be run again, which every fn allows, as the
	// SQLite writer already re-runs them.
	for attempt := 1; ; attempt++ {
		err = db.updateOnce(ctx, fn)
		if attempt == 3 || !mustRetry(err) || ctx.Err() != nil {
			return err
		}
	}
}

func (db *DB) updateOnce(ctx context.Context, fn func(rapport.Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return formatError(err)
	}
	if err := db.runGuarded(fn, newTx(db, sqlTx)); err != nil {
		sqlTx.Rollback()
		return err
	}
	return formatError(sqlTx.Commit())
}

// mustRetry reports whether PostgreSQL gave up the transaction to a
// deadlock or a serialization failure, which it says to run again.
func mustRetry(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// Tx is a write transaction; see rapport.Tx.
type Tx struct {
	tx *sql.Tx
	db *DB
	q  txQ
}

// insert runs an INSERT … RETURNING id and returns the new id. SQLite
// reports it more cheaply as the last insert rowid, so there the RETURNING
// clause is dropped (see loadQueries).
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	if tx.db.dialect.name != "sqlite" {
		var id int64
		err := tx.q.QueryRowContext(ctx, query, args...).Scan(&id)
		return id, err
	}
	res, err := tx.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func newTx(db *DB, tx *sql.Tx) *Tx { return &Tx{tx: tx, db: db, q: txQ{tx: tx, c: db.wstmts}} }

var _ rapport.Tx = (*Tx)(nil)

// queryer is what both *sql.DB and *sql.Tx offer; helpers take it so that
// the same read code runs inside and outside a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// formatError turns driver errors into rapport errors where they mean
// something to a person; the rest stay internal.
func formatError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return rapport.Errorf(rapport.ENOTFOUND, "Not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return &rapport.Error{Code: rapport.ECONFLICT, Message: "That already exists."}
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && (sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return &rapport.Error{Code: rapport.ECONFLICT, Message: "That already exists."}
	}
	return err
}

// isConflict reports whether err is a unique-constraint violation.
func isConflict(err error) bool { return rapport.ErrorCode(formatError(err)) == rapport.ECONFLICT }
