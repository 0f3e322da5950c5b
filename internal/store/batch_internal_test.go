package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

// TestLostTransactionFailsOnlyItsUpdate: when an update loses the shared
// SQLite transaction (SQLite rolls all of it back on an interrupted write,
// a full disk or an I/O error, and ROLLBACK TO then fails), that update
// fails, nothing of it is kept, and the rest of the batch runs again in a
// new transaction. Before, the updates after it ran outside any
// transaction: RELEASE committed them on their own while the final COMMIT
// failed and their callers were told nothing was saved.
func TestLostTransactionFailsOnlyItsUpdate(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		culprit func(tx *Tx) error
	}{
		{"rolled back, then fails", func(tx *Tx) error {
			if _, err := tx.q.ExecContext(ctx, "ROLLBACK"); err != nil {
				return err
			}
			return fmt.Errorf("disk full")
		}},
		{"rolled back, error swallowed", func(tx *Tx) error {
			_, err := tx.q.ExecContext(ctx, "ROLLBACK")
			return err
		}},
		{"write interrupted at its deadline", func(tx *Tx) error {
			_, err := tx.q.ExecContext(ctx, `UPDATE users SET name = name WHERE id IN (
				WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c)`)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.UpdateTimeout = 500 * time.Millisecond
			u, _ := rapport.NewUser("pat@example.com", "Pat", rapport.RoleRequester, rapport.Now())
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
				t.Fatal(err)
			}
			create := func(subject string) func(rapport.Tx) error {
				return func(tx rapport.Tx) error {
					tk, ev, err := rapport.NewTicket(rapport.TicketInput{Subject: subject, Body: "b", Channel: rapport.ChannelAPI}, u, nil, rapport.Now())
					if err != nil {
						return err
					}
					if err := tx.CreateTicket(ctx, tk); err != nil {
						return err
					}
					ev.TicketID = tk.ID
					return tx.AddEvent(ctx, ev)
				}
			}
			fns := []func(rapport.Tx) error{
				create("before"),
				func(t rapport.Tx) error {
					if err := create("culprit")(t); err != nil {
						return err
					}
					return tc.culprit(t.(*Tx))
				},
				create("after"),
			}
			batch := make([]writeReq, len(fns))
			for i, fn := range fns {
				batch[i] = writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
			}
			db.runBatch(batch) // as the writer goroutine would
			for i, want := range []bool{true, false, true} {
				if err := <-batch[i].done; (err == nil) != want {
					t.Fatalf("update %d = %v, want success %v", i, err, want)
				}
			}
			got, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			subjects := map[string]int{}
			for _, tk := range got {
				subjects[tk.Subject]++
			}
			if want := map[string]int{"before": 1, "after": 1}; fmt.Sprint(subjects) != fmt.Sprint(want) {
				t.Fatalf("tickets stored %v, want %v", subjects, want)
			}
		})
	}
}
