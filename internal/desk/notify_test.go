package desk_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

type notice struct {
	ID    int64
	Queue bool
}

// notices records what the desk announces, and checks each announcement
// against the database read outside the write: it must already be there.
type notices struct {
	t   *testing.T
	db  *store.DB
	mu  sync.Mutex
	got []notice
}

func (n *notices) TicketChanged(ctx context.Context, t *rapport.Ticket, queue bool) {
	if ctx.Err() != nil {
		n.t.Errorf("ticket %d announced with a cancelled context", t.ID)
	}
	if t.Status != "" { // a follow-up's old ticket is named by id only
		stored, err := n.db.FindTicketByID(ctx, t.ID)
		if err != nil || stored.Status != t.Status || !stored.UpdatedAt.Equal(t.UpdatedAt) {
			n.t.Errorf("ticket %d announced as %s at %v before commit: stored %+v, %v", t.ID, t.Status, t.UpdatedAt, stored, err)
		}
	}
	n.mu.Lock()
	n.got = append(n.got, notice{t.ID, queue})
	n.mu.Unlock()
}

func (n *notices) take() []notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := n.got
	n.got = nil
	return out
}

// TestNotifyAfterCommit: every ticket change use case announces the
// ticket once it committed, saying whether the queue moved; a refused
// change announces nothing.
func TestNotifyAfterCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		n := &notices{t: t, db: db}
		d.Notifier = n
		now := rapport.Now()
		d.Now = func() time.Time { return now }
		pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		ann := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
		n.take()
		var id, followUp int64
		soon := now.Add(time.Hour)
		for _, tc := range []struct {
			name string
			do   func() error
			want func() []notice
		}{
			{"create", func() error { id = ask(t, d, pat, rapport.Impact{}).ID; return nil }, func() []notice { return []notice{{id, true}} }},
			{"claim", func() error { _, err := d.ClaimNext(as(ann)); return err }, func() []notice { return []notice{{id, true}} }},
			{"reply", func() error { _, err := d.AddMessage(as(ann), id, "On it", false); return err }, func() []notice { return []notice{{id, false}} }},
			{"triage", func() error { _, err := d.Triage(as(ann), id, rapport.PriorityCritical, "Payroll"); return err }, func() []notice { return []notice{{id, false}} }},
			{"release", func() error { _, err := d.Assign(as(ann), id, ""); return err }, func() []notice { return []notice{{id, true}} }},
			{"assign", func() error { _, err := d.Assign(as(ann), id, "ann@example.com"); return err }, func() []notice { return []notice{{id, true}} }},
			{"wait", func() error { _, err := d.Wait(as(ann), id, "Supplier", &soon); return err }, func() []notice { return []notice{{id, false}} }},
			{"refused", func() error {
				if _, err := d.Close(as(ann), id); rapport.ErrorCode(err) != rapport.ECONFLICT {
					t.Fatalf("Close of a held ticket: %v", err)
				}
				return nil
			}, func() []notice { return nil }},
			{"hold return", func() error {
				now = now.Add(2 * time.Hour)
				_, err := d.ReturnDueHolds(context.Background())
				return err
			}, func() []notice { return []notice{{id, true}} }},
			{"resolve", func() error { _, err := d.Resolve(as(ann), id, "Fixed"); return err }, func() []notice { return []notice{{id, false}} }},
			{"reopen", func() error { _, _, err := d.Reopen(as(pat), id, "Broken again"); return err }, func() []notice { return []notice{{id, true}} }},
			{"follow-up", func() error {
				if _, err := d.Resolve(as(ann), id, "Fixed again"); err != nil {
					return err
				}
				n.take()
				now = now.Add(d.ReopenWindow + time.Hour)
				tk, _, err := d.Reopen(as(pat), id, "Still broken")
				if err == nil {
					followUp = tk.ID
				}
				return err
			}, func() []notice { return []notice{{followUp, true}, {id, false}} }},
		} {
			if err := tc.do(); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			got, want := n.take(), tc.want()
			if len(got) != len(want) {
				t.Fatalf("%s announced %v, want %v", tc.name, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s announced %v, want %v", tc.name, got, want)
				}
			}
		}
	})
}
