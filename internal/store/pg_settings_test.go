package store_test

import (
	"slices"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestPostgresNoParallelWorkers checks that the store's connections plan
// without parallel workers: starting them cost searches 150-200 ms.
func TestPostgresNoParallelWorkers(t *testing.T) {
	if !slices.Contains(testdb.Dialects(), "postgres") {
		t.Skip(testdb.EnvPostgres + " is not set")
	}
	db := testdb.Open(t, "postgres")
	got, err := store.PostgresSetting(ctx, db, "max_parallel_workers_per_gather")
	if err != nil || got != "0" {
		t.Fatalf("max_parallel_workers_per_gather=%q, %v; want 0", got, err)
	}
	// Nor JIT: compiling took longer than the searches it was for.
	if got, err := store.PostgresSetting(ctx, db, "jit"); err != nil || got != "off" {
		t.Fatalf("jit=%q, %v; want off", got, err)
	}
}
