package store_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func createIn(tx rapport.Tx, u *rapport.User, subject string) error {
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

func countTickets(t *testing.T, db *store.DB) int {
	t.Helper()
	got, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(got)
}

// TestUpdateAfterClose: Update on a closed database returns ErrClosed
// (it used to panic sending on a closed channel), and Close may be called
// twice.
func TestUpdateAfterClose(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		err := db.Update(ctx, func(rapport.Tx) error { return nil })
		if !errors.Is(err, store.ErrClosed) {
			t.Fatalf("Update after Close = %v, want %v", err, store.ErrClosed)
		}
		if err := db.Healthy(ctx); !errors.Is(err, store.ErrClosed) {
			t.Fatalf("Healthy after Close = %v, want %v", err, store.ErrClosed)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("second Close = %v, want nil", err)
		}
	})
}

// TestNestedUpdateRefused: Update called from inside an update function
// is refused (on SQLite it used to wait for itself, stopping every write),
// the outer update fails as a whole, and writing goes on.
func TestNestedUpdateRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
		var inner error
		err := db.Update(ctx, func(tx rapport.Tx) error {
			if err := createIn(tx, u, "outer"); err != nil {
				return err
			}
			inner = db.Update(ctx, func(tx rapport.Tx) error { return createIn(tx, u, "inner") })
			return inner
		})
		if !errors.Is(inner, store.ErrNestedUpdate) || !errors.Is(err, store.ErrNestedUpdate) {
			t.Fatalf("nested Update = %v, outer = %v, want %v", inner, err, store.ErrNestedUpdate)
		}
		if n := countTickets(t, db); n != 0 {
			t.Fatalf("%d tickets stored, want 0", n)
		}
		// Concurrent updates are not nested ones.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Update(ctx, func(tx rapport.Tx) error { return createIn(tx, u, fmt.Sprint("t", i)) })
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("update %d = %v, want nil", i, err)
			}
		}
		if n := countTickets(t, db); n != len(errs) {
			t.Fatalf("%d tickets stored, want %d", n, len(errs))
		}
	})
}

// TestStuckUpdateIsAbandoned: on SQLite an update that does not finish
// within UpdateTimeout is failed and rolled back, the updates queued
// behind it go through, and the stuck function can no longer write.
func TestStuckUpdateIsAbandoned(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	db.UpdateTimeout = time.Second
	u := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
	release := make(chan struct{})
	lateWrite := make(chan error, 1)
	stuck := make(chan error, 1)
	entered := make(chan struct{})
	go func() {
		stuck <- db.Update(ctx, func(tx rapport.Tx) error {
			if err := createIn(tx, u, "stuck"); err != nil {
				return err
			}
			close(entered)
			<-release // blocks outside SQL, past its deadline
			lateWrite <- createIn(tx, u, "late")
			return nil
		})
	}()
	<-entered
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Update(ctx, func(tx rapport.Tx) error { return createIn(tx, u, fmt.Sprint("t", i)) })
		}()
	}
	if err := <-stuck; err == nil {
		t.Fatalf("stuck update = nil, want an error")
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("update %d = %v, want nil", i, err)
		}
	}
	close(release)
	if err := <-lateWrite; err == nil {
		t.Fatalf("write of an abandoned update = nil, want an error")
	}
	if got := countTickets(t, db); got != n {
		t.Fatalf("%d tickets stored, want %d", got, n)
	}
}

// TestWALStaysBounded: under saturating writes with readers beside them
// the SQLite WAL stays near MaxWAL (passive checkpoints alone let it grow
// without end), and is emptied once the writes stop.
func TestWALStaysBounded(t *testing.T) {
	const limit = 1 << 20
	dsn := testdb.DSN(t, "sqlite")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.MaxWAL = limit
	u := mustUser(t, db, "pat@example.com", rapport.RoleRequester)
	walSize := func() int64 {
		fi, err := os.Stat(dsn + "-wal")
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	const writers, each = 8, 100
	var maxWAL atomic.Int64
	var readersDone sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		readersDone.Add(1)
		go func() {
			defer readersDone.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 50}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := db.Update(ctx, func(tx rapport.Tx) error {
					// A long body makes each ticket fill pages of its own.
					tk, ev, err := rapport.NewTicket(rapport.TicketInput{Subject: fmt.Sprint("t", w, i), Body: strings.Repeat("paper jam ", 300), Channel: rapport.ChannelAPI}, u, nil, rapport.Now())
					if err != nil {
						return err
					}
					if err := tx.CreateTicket(ctx, tk); err != nil {
						return err
					}
					ev.TicketID = tk.ID
					return tx.AddEvent(ctx, ev)
				})
				if err != nil {
					t.Error(err)
					return
				}
				for s := walSize(); ; {
					if m := maxWAL.Load(); s <= m || maxWAL.CompareAndSwap(m, s) {
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readersDone.Wait()
	// A batch may land past the limit before the writer checkpoints, and a
	// checkpoint that readers hold off is tried again a MaxWAL later.
	if got, bound := maxWAL.Load(), int64(4*limit); got > bound {
		t.Fatalf("WAL reached %d bytes, want at most %d (MaxWAL %d)", got, bound, limit)
	}
	if err := db.Update(ctx, func(tx rapport.Tx) error { return createIn(tx, u, "last") }); err != nil {
		t.Fatal(err)
	}
	// With the readers gone the WAL is bounded by the design: a checkpoint
	// that readers held off is retried once the WAL grows by another MaxWAL,
	// so what is left is under two MaxWALs, never the unbounded growth of old.
	if got := walSize(); got > 2*limit {
		t.Fatalf("WAL is %d bytes after the writes, want at most %d", got, 2*limit)
	}
}
