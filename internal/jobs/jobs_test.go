package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/jobs"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

type note struct{ N int }

var noteKind = jobs.Kind[note]{Name: "test-note", MaxAttempts: 3}

// start runs r until the test ends.
func start(t *testing.T, r *jobs.Runner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func newRunner(db rapport.Store) *jobs.Runner {
	r := jobs.New(db)
	r.Poll = 5 * time.Millisecond
	r.Backoff = func(int) time.Duration { return time.Millisecond }
	return r
}

// waitFor polls cond until it holds or 20 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func enqueue(t *testing.T, db rapport.Store, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx rapport.Tx) error {
		_, err := noteKind.Enqueue(ctx, tx, note{n}, time.Time{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestJobOnlyWithItsCommit: a job queued in a write that rolls back never
// runs; one in a write that commits runs once and is then gone.
func TestJobOnlyWithItsCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.Update(ctx, func(tx rapport.Tx) error {
			if _, err := noteKind.Enqueue(ctx, tx, note{1}, time.Time{}); err != nil {
				return err
			}
			return errors.New("the change failed")
		})
		if err == nil {
			t.Fatal("update should have failed")
		}
		enqueue(t, db, 2)
		var mu sync.Mutex
		var got []int
		r := newRunner(db)
		jobs.Handle(r, noteKind, func(_ context.Context, _ *rapport.Job, v note) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, v.N)
			return nil
		})
		done := make(chan struct{}, 10)
		r.OnDone = func(*rapport.Job, error) { done <- struct{}{} }
		start(t, r)
		<-done
		waitFor(t, "the finished job to be deleted", func() bool {
			js, err := db.FindJobs(ctx, rapport.JobFilter{})
			return err == nil && len(js) == 0
		})
		mu.Lock()
		defer mu.Unlock()
		if fmt.Sprint(got) != "[2]" {
			t.Fatalf("handled %v, want [2]", got)
		}
	})
}

// TestRetryThenDeadThenRevived: a failing job is tried MaxAttempts times,
// then listed as dead with its last error; an admin's retry runs it again.
func TestRetryThenDeadThenRevived(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var calls atomic.Int32
		var healed atomic.Bool
		r := newRunner(db)
		jobs.Handle(r, noteKind, func(context.Context, *rapport.Job, note) error {
			calls.Add(1)
			if healed.Load() {
				return nil
			}
			return errors.New("mail server said no")
		})
		start(t, r)
		enqueue(t, db, 1)
		var dead []*rapport.Job
		waitFor(t, "the job to die", func() bool {
			dead, _ = db.FindJobs(ctx, rapport.JobFilter{State: rapport.JobDead})
			return len(dead) == 1
		})
		if n := calls.Load(); n != 3 {
			t.Fatalf("ran %d times before dying, want 3 (MaxAttempts)", n)
		}
		if dead[0].Attempts != 3 || dead[0].LastError != "mail server said no" {
			t.Fatalf("dead job = %+v", dead[0])
		}
		healed.Store(true)
		err := db.Update(ctx, func(tx rapport.Tx) error {
			_, err := tx.ReviveJob(ctx, dead[0].ID, rapport.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the revived job to finish", func() bool {
			_, err := db.FindJob(ctx, dead[0].ID)
			return rapport.ErrorCode(err) == rapport.ENOTFOUND
		})
		if n := calls.Load(); n != 4 {
			t.Fatalf("ran %d times in all, want 4", n)
		}
		// Retrying a job that is not dead is a plain not-found.
		err = db.Update(ctx, func(tx rapport.Tx) error {
			_, err := tx.ReviveJob(ctx, dead[0].ID, rapport.Now())
			return err
		})
		if rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("retrying a finished job: %v, want ENOTFOUND", err)
		}
	})
}

// TestPermanentFailureDiesAtOnce: a handler that says retrying cannot help
// sends the job to the dead list on its first attempt.
func TestPermanentFailureDiesAtOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newRunner(db)
		jobs.Handle(r, noteKind, func(context.Context, *rapport.Job, note) error {
			return jobs.Permanent(errors.New("no such ticket"))
		})
		start(t, r)
		enqueue(t, db, 1)
		waitFor(t, "the job to die", func() bool {
			dead, _ := db.FindJobs(ctx, rapport.JobFilter{State: rapport.JobDead})
			return len(dead) == 1 && dead[0].Attempts == 1
		})
	})
}

// TestLapsedLeaseIsTakenOver: a runner that claimed a job and died (its
// process gone, the job never finished) does not lose it: once the lease
// lapses another runner runs it.
func TestLapsedLeaseIsTakenOver(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		enqueue(t, db, 7)
		var claimed []*rapport.Job
		err := db.Update(ctx, func(tx rapport.Tx) error {
			var err error
			claimed, err = tx.ClaimJobs(ctx, rapport.JobClaim{Kinds: []string{noteKind.Name}, Now: rapport.Now(),
				Lease: "dead-node", LeaseUntil: rapport.Now().Add(300 * time.Millisecond), Limit: 10})
			return err
		})
		if err != nil || len(claimed) != 1 || claimed[0].State != rapport.JobRunning {
			t.Fatalf("claim = %v, %v", claimed, err)
		}
		got := make(chan int, 2)
		r := newRunner(db)
		jobs.Handle(r, noteKind, func(_ context.Context, _ *rapport.Job, v note) error { got <- v.N; return nil })
		start(t, r)
		if n := <-got; n != 7 {
			t.Fatalf("handled %d, want 7", n)
		}
		// The dead node's late report finds its lease gone.
		err = db.Update(ctx, func(tx rapport.Tx) error { return tx.FinishJob(ctx, claimed[0].ID, "dead-node") })
		if rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("finish under a lost lease: %v, want ENOTFOUND", err)
		}
	})
}

// TestTwoNodesRunEachJobOnce: two runners, each with its own connection
// pool as two rapport serve nodes would have, on one database: every job
// is handled exactly once.
func TestTwoNodesRunEachJobOnce(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, dialect)
			nodes := make([]*store.DB, 2)
			for i := range nodes {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				nodes[i] = db
			}
			const n = 200
			var mu sync.Mutex
			seen := map[int]int{}
			byNode := [2]int{}
			var total atomic.Int32
			for i, db := range nodes {
				r := newRunner(db)
				jobs.Handle(r, noteKind, func(_ context.Context, _ *rapport.Job, v note) error {
					mu.Lock()
					seen[v.N]++
					byNode[i]++
					mu.Unlock()
					total.Add(1)
					return nil
				})
				start(t, r)
			}
			for i := range n {
				enqueue(t, nodes[i%2], i)
			}
			waitFor(t, "every job to run", func() bool { return total.Load() >= n })
			waitFor(t, "the jobs table to empty", func() bool {
				js, err := nodes[0].FindJobs(ctx, rapport.JobFilter{})
				return err == nil && len(js) == 0
			})
			mu.Lock()
			defer mu.Unlock()
			for i := range n {
				if seen[i] != 1 {
					t.Errorf("job %d handled %d times", i, seen[i])
				}
			}
			if len(seen) != n {
				t.Errorf("%d distinct jobs handled, want %d", len(seen), n)
			}
			t.Logf("node 0 ran %d, node 1 ran %d", byNode[0], byNode[1])
		})
	}
}

// clock is a time both nodes of a test share and the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestPeriodicOncePerIntervalAcrossNodes: two nodes both polling often run
// a periodic task once per interval between them, never twice.
func TestPeriodicOncePerIntervalAcrossNodes(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, dialect)
			c := &clock{now: time.Date(2026, 3, 2, 9, 0, 30, 0, time.UTC)}
			var runs atomic.Int32
			var mu sync.Mutex
			at := map[time.Time]int{}
			for range 2 {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				r := newRunner(db)
				r.Now = c.Now
				r.Every("poll-mailbox", time.Minute, func(context.Context) error {
					mu.Lock()
					at[c.Now().Truncate(time.Minute)]++
					mu.Unlock()
					runs.Add(1)
					return nil
				})
				start(t, r)
			}
			const steps = 5
			for i := 1; i <= steps; i++ {
				waitFor(t, "the task to run", func() bool { return runs.Load() >= int32(i) })
				time.Sleep(30 * time.Millisecond) // both nodes poll a few more times
				c.Add(20 * time.Second)           // still inside the same minute? then no run
				time.Sleep(30 * time.Millisecond)
				c.Add(40 * time.Second)
			}
			waitFor(t, "the last run", func() bool { return runs.Load() >= steps+1 })
			time.Sleep(50 * time.Millisecond)
			if n := runs.Load(); n != steps+1 {
				t.Fatalf("ran %d times over %d intervals", n, steps+1)
			}
			mu.Lock()
			defer mu.Unlock()
			for m, n := range at {
				if n != 1 {
					t.Errorf("interval %s ran %d times", m.Format("15:04"), n)
				}
			}
		})
	}
}

// TestGroupRunsInOrder: jobs of one group run one at a time in the order
// queued, even with many workers; other jobs run beside them; a job of
// the group waiting to retry does not hold the rest back.
func TestGroupRunsInOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		var order []int
		var running, overlap atomic.Int32
		failedOnce := false
		r := newRunner(db)
		r.Workers = 8
		r.Backoff = func(int) time.Duration { return time.Hour } // a failed job waits
		jobs.Handle(r, noteKind, func(_ context.Context, _ *rapport.Job, v note) error {
			if v.N < 100 {
				if running.Add(1) > 1 {
					overlap.Add(1)
				}
				defer running.Add(-1)
			}
			time.Sleep(2 * time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			if v.N == 3 && !failedOnce {
				failedOnce = true
				return errors.New("try later")
			}
			order = append(order, v.N)
			return nil
		})
		err := db.Update(ctx, func(tx rapport.Tx) error {
			for i := range 20 {
				if _, err := noteKind.EnqueueInGroup(ctx, tx, "ticket:1", note{i}, time.Time{}); err != nil {
					return err
				}
				if _, err := noteKind.Enqueue(ctx, tx, note{100 + i}, time.Time{}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start(t, r)
		waitFor(t, "every job but the failed one", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(order) == 39
		})
		mu.Lock()
		defer mu.Unlock()
		var group []int
		for _, n := range order {
			if n < 100 {
				group = append(group, n)
			}
		}
		want := []int{0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}
		if fmt.Sprint(group) != fmt.Sprint(want) {
			t.Fatalf("group ran in order %v, want %v", group, want)
		}
		if overlap.Load() != 0 {
			t.Fatalf("jobs of one group overlapped %d times", overlap.Load())
		}
	})
}

// countingStore counts write transactions.
type countingStore struct {
	*store.DB
	updates atomic.Int64
}

func (s *countingStore) Update(ctx context.Context, fn func(rapport.Tx) error) error {
	s.updates.Add(1)
	return s.DB.Update(ctx, fn)
}

// TestIdleRunnerDoesNotWrite: a runner with nothing due only reads; each
// node polling every second must not cost a write (an fsync on SQLite).
func TestIdleRunnerDoesNotWrite(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		s := &countingStore{DB: db}
		r := newRunner(s)
		var ran atomic.Int64
		jobs.Handle(r, noteKind, func(context.Context, *rapport.Job, note) error { ran.Add(1); return nil })
		start(t, r)
		time.Sleep(100 * time.Millisecond) // about 20 polls
		if n := s.updates.Load(); n != 0 {
			t.Fatalf("an idle runner wrote %d times", n)
		}
		enqueue(t, s.DB, 1)
		waitFor(t, "the job to run", func() bool { return ran.Load() == 1 })
		if s.updates.Load() == 0 {
			t.Fatal("running a job must claim and finish it in writes")
		}
	})
}
