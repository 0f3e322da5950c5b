package store_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestQueuePlans checks that the claim's pick and a page of the queue walk
// the queue index on SQLite, with no statistics and with those ANALYZE
// made on a 10k-ticket help desk: both once read tickets_status_id and
// sorted the whole queue (4 claims/s at 100k tickets).
func TestQueuePlans(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	stmts := store.QueueSQL(db)
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	check := func(stats string) {
		t.Helper()
		for name, q := range stmts {
			n := strings.Count(q, "?")
			args := []any{1, 0, 1, 25}[:n]
			rows, err := raw.Query("EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				if detail == "SCAN p" {
					break // the rest joins the page's rows to ticket_view
				}
				plan = append(plan, detail)
			}
			rows.Close()
			got := strings.Join(plan, "\n")
			if !strings.Contains(got, "tickets_queue") || strings.Contains(got, "TEMP B-TREE") || strings.Contains(got, "tickets_status_id") {
				t.Fatalf("%s, %s: plan\n%s\nwant a walk of tickets_queue with no sort", stats, name, got)
			}
		}
	}
	check("no statistics")
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
	check("statistics")
}
