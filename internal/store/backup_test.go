package store_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// dumpTables reads every row of every table of the SQLite file at path,
// as text, table by table in rowid order.
func dumpTables(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, tbl := range tables {
		rows, err := db.Query(fmt.Sprintf("SELECT * FROM %q", tbl))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[tbl] = append(out[tbl], fmt.Sprint(vals...))
		}
		rows.Close()
	}
	return out
}

// TestBackupRestores: the copy opens as a Rapport database and holds the
// same rows, table by table.
func TestBackupRestores(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
	var ids []int64
	for i := 0; i < 20; i++ {
		ids = append(ids, mustTicket(t, db, u, rapport.Impact{Outage: i%5 == 0}).ID)
	}
	to := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, to, false); err != nil {
		t.Fatal(err)
	}
	// Restore: the copy is a database store.Open accepts, with the same data.
	restored, err := store.Open(ctx, to)
	if err != nil {
		t.Fatalf("open the copy: %v", err)
	}
	for _, id := range ids {
		want, err := db.FindTicketByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := restored.FindTicketByID(ctx, id)
		if err != nil {
			t.Fatalf("ticket %d in the copy: %v", id, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("ticket %d differs in the copy (-want +got):\n%s", id, diff)
		}
	}
	restored.Close()
	want, got := dumpTables(t, dsn), dumpTables(t, to)
	if len(want["tickets"]) != 20 {
		t.Fatalf("original has %d tickets, want 20", len(want["tickets"]))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("copy differs (-original +copy):\n%s", diff)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(to), ".rapport-backup-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// TestBackupOnline copies while writers run: each write makes a user and
// its token in one transaction, so a consistent copy has a token for every
// user, and passes SQLite's integrity check.
func TestBackupOnline(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				u, _ := rapport.NewUser(fmt.Sprintf("w%d-%d@example.com", w, i), "Writer", rapport.RoleRequester, rapport.Now())
				db.Update(ctx, func(tx rapport.Tx) error {
					if err := tx.CreateUser(ctx, u); err != nil {
						return err
					}
					_, tok := rapport.NewToken(u.ID, "", rapport.Now())
					return tx.CreateToken(ctx, tok)
				})
			}
		}()
	}
	mustUser(t, db, "first@example.com", rapport.RoleRequester)
	to := filepath.Join(t.TempDir(), "online.db")
	err := db.Backup(ctx, to, false)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	c, err := sql.Open("sqlite", "file:"+to+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var check string
	var users, withoutToken int
	c.QueryRow("PRAGMA integrity_check").Scan(&check)
	c.QueryRow("SELECT COUNT(*) FROM users").Scan(&users)
	c.QueryRow("SELECT COUNT(*) FROM users u WHERE email LIKE 'w%' AND NOT EXISTS (SELECT 1 FROM tokens k WHERE k.user_id = u.id)").Scan(&withoutToken)
	if check != "ok" || users == 0 || withoutToken != 0 {
		t.Fatalf("integrity_check=%q users=%d users without their token=%d, want ok, >0, 0", check, users, withoutToken)
	}
}

func TestBackupRefuses(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	mustUser(t, db, "pat@example.com", rapport.RoleRequester)
	dir := t.TempDir()
	existing := filepath.Join(dir, "there.db")
	os.WriteFile(existing, []byte("keep me"), 0o600)
	if err := db.Backup(ctx, existing, false); rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(rapport.ErrorMessage(err)+fmt.Sprint(rapport.ErrorFields(err)), "--force") {
		t.Fatalf("Backup over an existing file: %v, want a refusal mentioning --force", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Fatalf("existing file changed to %q", b)
	}
	if err := db.Backup(ctx, existing, true); err != nil {
		t.Fatalf("Backup with overwrite: %v", err)
	}
	if got := dumpTables(t, existing)["users"]; len(got) != 1 {
		t.Fatalf("overwritten copy has %d users, want 1", len(got))
	}
	if err := db.Backup(ctx, filepath.Join(dir, "no", "such", "x.db"), false); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Fatalf("Backup into a missing folder: %v, want EINVALID", err)
	}
	for _, d := range testdb.Dialects() {
		if d != "postgres" {
			continue
		}
		pg := testdb.Open(t, d)
		if err := pg.Backup(ctx, filepath.Join(dir, "pg.db"), false); err == nil || !strings.Contains(rapport.ErrorMessage(err), "pg_dump") {
			t.Fatalf("Backup on PostgreSQL: %v, want it to point at pg_dump", err)
		}
	}
}
