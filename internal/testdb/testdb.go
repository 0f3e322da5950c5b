// Package testdb opens fresh Rapport databases for tests: always SQLite, and
// PostgreSQL when RAPPORT_TEST_POSTGRES holds a postgres:// URL (make test
// sets it whenever a server answers on 127.0.0.1:5432; CI requires it).
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/rapportdesk/rapport/internal/store"
)

// EnvPostgres names the variable holding the PostgreSQL URL for tests.
const EnvPostgres = "RAPPORT_TEST_POSTGRES"

// Dialects returns the dialects to test on: "sqlite", and "postgres" when
// configured.
func Dialects() []string {
	if os.Getenv(EnvPostgres) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn once per dialect, each time on a new, empty database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a new, migrated, empty database of the dialect, removed when
// the test ends.
func Open(tb testing.TB, dialect string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), DSN(tb, dialect))
	if err != nil {
		tb.Fatalf("open %s: %v", dialect, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the address of a new database of the dialect, migrated and
// empty, removed when the test ends. Migrating takes 0.1-0.3 s on SQLite
// and 0.6-0.9 s on PostgreSQL, for each of several hundred tests, so the
// migrations run once and each test gets a copy: of the SQLite file, or of
// a PostgreSQL template database (CREATE DATABASE ... TEMPLATE).
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == "sqlite" {
		return sqliteCopy(tb)
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		tb.Skip(EnvPostgres + " is not set")
	}
	return postgresCopy(tb, base)
}

var sqliteTemplate struct {
	once  sync.Once
	files map[string][]byte // rapport.db and, if it is left, its WAL
	err   error
}

func sqliteCopy(tb testing.TB) string {
	t := &sqliteTemplate
	t.once.Do(func() { t.files, t.err = migrateSQLite() })
	if t.err != nil {
		tb.Fatalf("migrate a SQLite template: %v", t.err)
	}
	dir := tb.TempDir()
	for name, b := range t.files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return filepath.Join(dir, "rapport.db")
}

func migrateSQLite() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "rapport-testdb-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "rapport.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, name := range []string{"rapport.db", "rapport.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) && name != "rapport.db" {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}

var pgTemplate struct {
	once  sync.Once
	admin *sql.DB // the database named by RAPPORT_TEST_POSTGRES
	name  string
	err   error
}

func postgresCopy(tb testing.TB, base string) string {
	t := &pgTemplate
	t.once.Do(func() { t.admin, t.name, t.err = migratePostgres(base) })
	if t.err != nil {
		tb.Fatalf("migrate a PostgreSQL template: %v", t.err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "rapport_t_" + hex.EncodeToString(b[:])
	if _, err := t.admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + t.name); err != nil {
		tb.Fatalf("create database (the user of %s needs CREATEDB): %v", EnvPostgres, err)
	}
	tb.Cleanup(func() {
		if _, err := t.admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			tb.Logf("drop database %s: %v", name, err)
		}
	})
	dsn, err := withDatabase(base, name)
	if err != nil {
		tb.Fatal(err)
	}
	return dsn
}

// migratePostgres makes the template database for the current migrations,
// named by their digest so that test processes and runs share it. An
// advisory lock makes processes starting together take turns; a template
// is marked IS_TEMPLATE only once migrated, so one left half-made by a
// killed run is made again.
func migratePostgres(base string) (*sql.DB, string, error) {
	ctx := context.Background()
	digest, err := migrationsDigest()
	if err != nil {
		return nil, "", err
	}
	name := "rapport_tmpl_" + digest
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, "", err
	}
	fail := func(err error) (*sql.DB, string, error) {
		admin.Close()
		return nil, "", err
	}
	conn, err := admin.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	const lockKey = 0x7361726170706f72 // any key; the same in every test process
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return fail(err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockKey)
	var ready bool
	err = conn.QueryRowContext(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&ready)
	switch {
	case err == nil && ready:
		return admin, name, nil
	case err == nil:
		_, err = conn.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
	case errors.Is(err, sql.ErrNoRows):
		err = nil
	}
	if err != nil {
		return fail(err)
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return fail(err)
	}
	dsn, err := withDatabase(base, name)
	if err != nil {
		return fail(err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return fail(err)
	}
	if err := db.Close(); err != nil {
		return fail(err)
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+name+" IS_TEMPLATE true"); err != nil {
		return fail(err)
	}
	// Templates of earlier migrations are of no further use.
	rows, err := conn.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'rapport\\_tmpl\\_%' AND datname <> $1", name)
	if err != nil {
		return fail(err)
	}
	var old []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			old = append(old, n)
		}
	}
	rows.Close()
	for _, n := range old {
		conn.ExecContext(ctx, "ALTER DATABASE "+n+" IS_TEMPLATE false")
		conn.ExecContext(ctx, "DROP DATABASE "+n+" WITH (FORCE)")
	}
	return admin, name, nil
}

// migrationsDigest names the PostgreSQL migrations' content in 12 hex
// digits.
func migrationsDigest() (string, error) {
	fsys, err := store.Migrations("postgres")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	err = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// withDatabase returns base naming the database instead.
func withDatabase(base, database string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("%s: %w", EnvPostgres, err)
	}
	u.Path = "/" + database
	return u.String(), nil
}

// EnvBench names the variable holding a seeded database for benchmarks (a
// SQLite path or postgres:// URL; see cmd/rapport-load seed).
const EnvBench = "RAPPORT_BENCH_DB"

// Seeded opens the seeded database named by RAPPORT_BENCH_DB, closed when
// the benchmark ends, and skips when it is unset: no seed, no figure.
func Seeded(tb testing.TB) *store.DB {
	tb.Helper()
	dsn := os.Getenv(EnvBench)
	if dsn == "" {
		tb.Skip(EnvBench + " is not set: seed a database with cmd/rapport-load seed and name it there")
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
