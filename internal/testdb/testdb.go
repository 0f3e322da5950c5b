// Package testdb opens fresh Rapport databases for tests: always SQLite, and
// PostgreSQL when RAPPORT_TEST_POSTGRES holds a postgres:// URL (make test
// sets it whenever a server answers on 127.0.0.1:5432; CI requires it).
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
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

// DSN returns the address of a new, empty database of the dialect. For
// PostgreSQL that is a schema of its own, dropped when the test ends.
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == "sqlite" {
		return filepath.Join(tb.TempDir(), "rapport.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		tb.Skip(EnvPostgres + " is not set")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
