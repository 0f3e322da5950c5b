package store_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestClaimPlanWithStatistics checks that a claim finds the next ticket
// from the queue index even when SQLite has statistics (those ANALYZE made
// on a 10k-ticket help desk): it once chose tickets_status_id and sorted
// the whole queue on every claim.
func TestClaimPlanWithStatistics(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := store.NextQueuedSQL(db)
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	for _, s := range []string{
		"ANALYZE",
		"DELETE FROM sqlite_stat1",
		`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
			('tickets', 'tickets_status_id', '10000 2000 1'), ('tickets', 'tickets_queue', '2964 1482 1'),
			('tickets', 'tickets_assignee_id', '7036 282 1'), ('tickets', 'tickets_priority_id', '10000 5000 1')`,
		"ANALYZE sqlite_schema",
	} {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	rows, err := raw.Query("EXPLAIN QUERY PLAN " + q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	got := strings.Join(plan, "\n")
	if !strings.Contains(got, "tickets_queue") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("next queued ticket plan:\n%s\nwant a walk of tickets_queue with no sort", got)
	}
}
