// Package jobs runs Rapport's durable background work: mail to send,
// notices, mailbox polls and, later, follow-ups and SLA timers.
//
// A job is a row written by Tx.EnqueueJob in the same transaction as the
// change that causes it, so it exists exactly when the change committed.
// A Runner claims due jobs, runs the handler registered for their kind,
// and deletes them when the handler succeeds. A failed run is retried
// after an exponential backoff; after the kind's MaxAttempts the job is
// dead, listed for admins (GET /api/v1/jobs?state=dead, rapport jobs list)
// until one retries it. A claim is a lease: a node that dies mid-job
// leaves it to be claimed again once the lease lapses, so jobs survive
// restarts and crashes. Handlers therefore run at least once and must be
// idempotent (a mail records its Message-ID, see internal/notice).
//
// Any number of runners may share one database: on PostgreSQL claims skip
// rows another runner holds (FOR UPDATE SKIP LOCKED); on SQLite claims go
// through the store's single writer like every other write.
//
// Jobs of one group (Kind.EnqueueInGroup, such as a ticket's notices) run
// one after the other in the order they were queued.
//
// Declaring a kind and its handler:
//
//	var Poll = jobs.Kind[PollArgs]{Name: "imap-poll", MaxAttempts: 5}
//	jobs.Handle(runner, Poll, func(ctx context.Context, j *rapport.Job, a PollArgs) error { ... })
//
// and queueing one inside a write:
//
//	store.Update(ctx, func(tx rapport.Tx) error {
//		... // the change
//		_, err := Poll.Enqueue(ctx, tx, PollArgs{...}, time.Time{})
//		return err
//	})
//
// Periodic tasks run once per interval across every node sharing the
// database, whichever node gets there first:
//
//	runner.Every("imap-poll", time.Minute, func(ctx context.Context) error { ... })
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
)

// Defaults of a Runner's settings.
const (
	DefaultPoll    = time.Second
	DefaultTimeout = 2 * time.Minute
	DefaultWorkers = 4
)

// Kind names a kind of job whose payload is a T, encoded as JSON.
type Kind[T any] struct {
	Name string
	// MaxAttempts is how many runs a job gets before it is dead
	// (rapport.DefaultJobAttempts when zero).
	MaxAttempts int
}

// Enqueue stores a job of kind k with payload v in tx, due at at (now when
// zero). It commits or rolls back with tx, so call it inside the Update
// that makes the change the job belongs to. On SQLite that function may
// run twice; only the committed run's job is kept.
func (k Kind[T]) Enqueue(ctx context.Context, tx rapport.Tx, v T, at time.Time) (*rapport.Job, error) {
	return k.EnqueueInGroup(ctx, tx, "", v, at)
}

// EnqueueInGroup is Enqueue for a job that must wait for the earlier jobs
// of group (see rapport.Job.Group), such as "ticket:42".
func (k Kind[T]) EnqueueInGroup(ctx context.Context, tx rapport.Tx, group string, v T, at time.Time) (*rapport.Job, error) {
	p, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", k.Name, err)
	}
	j := &rapport.Job{Kind: k.Name, Group: group, Payload: p, MaxAttempts: k.MaxAttempts, RunAt: at}
	if err := tx.EnqueueJob(ctx, j); err != nil {
		return nil, err
	}
	return j, nil
}

// Handler runs one job. An error makes the job run again later (or dead
// after its last attempt); wrap it with Permanent when trying again
// cannot help.
type Handler func(ctx context.Context, j *rapport.Job) error

// Handle registers fn as the handler of kind k on r. Register every kind
// before Run. A payload that does not decode is a permanent failure.
func Handle[T any](r *Runner, k Kind[T], fn func(ctx context.Context, j *rapport.Job, v T) error) {
	r.Register(k.Name, func(ctx context.Context, j *rapport.Job) error {
		var v T
		if err := json.Unmarshal(j.Payload, &v); err != nil {
			return Permanent(fmt.Errorf("job %s %d: payload: %w", k.Name, j.ID, err))
		}
		return fn(ctx, j, v)
	})
}

type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as one that retrying cannot cure: the job goes
// straight to the dead list, where an admin can still retry it.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// Backoff is the default wait before a job's next attempt: 10 s doubled
// per attempt already made, at most an hour, with ±20 % jitter so that
// jobs failing together do not retry together. The ten default attempts
// span about an hour and a half.
func Backoff(attempts int) time.Duration {
	d := 10 * time.Second << min(max(attempts-1, 0), 20)
	d = min(d, time.Hour)
	return d + time.Duration((mrand.Float64()*0.4-0.2)*float64(d))
}

// Runner claims and runs jobs and periodic tasks. Set its fields and
// register handlers (Handle, Register) and tasks (Every) before Run: they
// are not safe to add while it runs.
type Runner struct {
	store rapport.Store

	// Now returns the current time (rapport.Now when nil).
	Now func() time.Time
	// Poll is how often the runner looks for due jobs and periodic tasks
	// (DefaultPoll when zero).
	Poll time.Duration
	// Timeout bounds one handler run (DefaultTimeout when zero). A claim
	// is held for twice as long: past that, another runner may take it.
	Timeout time.Duration
	// Workers is how many handlers run at once (DefaultWorkers when zero).
	Workers int
	// Backoff says how long to wait after a failed attempt (attempts made
	// so far); the package's Backoff when nil.
	Backoff func(attempts int) time.Duration
	Log     *slog.Logger

	handlers map[string]Handler
	periods  []*period
	wake     chan struct{}
	// OnDone, when set, hears every job outcome (for metrics and tests).
	OnDone func(j *rapport.Job, err error)
}

type period struct {
	name     string
	interval time.Duration
	fn       func(ctx context.Context) error
	running  sync.Mutex // a slow run is not overlapped on this node
}

// New returns a Runner on s with default settings.
func New(s rapport.Store) *Runner {
	return &Runner{store: s, handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}
}

// Register makes h the handler of jobs of kind. Handle is the typed way.
func (r *Runner) Register(kind string, h Handler) {
	if _, dup := r.handlers[kind]; dup {
		panic("jobs: kind " + kind + " registered twice")
	}
	r.handlers[kind] = h
}

// Every runs fn once per interval across all runners sharing the database:
// the intervals are aligned on the clock (every minute on the minute), and
// of the runners looking at the same moment exactly one takes each. A
// missed interval (every node down) is not made up for; a failure is
// logged and the task runs again at the next interval. Names must be
// unique and stable: they are the task's row in the database.
func (r *Runner) Every(name string, interval time.Duration, fn func(ctx context.Context) error) {
	if interval <= 0 {
		panic("jobs: interval of " + name + " must be positive")
	}
	for _, p := range r.periods {
		if p.name == name {
			panic("jobs: periodic task " + name + " registered twice")
		}
	}
	r.periods = append(r.periods, &period{name: name, interval: interval, fn: fn})
}

// Wake makes a running Run look for due jobs now rather than at its next
// poll; call it after committing a job that should start promptly.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return rapport.Now()
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

func (r *Runner) timeout() time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultTimeout
}

// Run claims and runs jobs and periodic tasks until ctx ends, then waits
// for the handlers and tasks already running (each bounded by Timeout).
// Their outcome is still recorded; a job cut short is claimed again once
// its lease lapses.
func (r *Runner) Run(ctx context.Context) error {
	poll := r.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	workers := r.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	var lease [12]byte
	rand.Read(lease[:])
	token := hex.EncodeToString(lease[:])

	var wg sync.WaitGroup
	defer wg.Wait()
	free := make(chan struct{}, workers)
	for range workers {
		free <- struct{}{}
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		r.runPeriods(ctx, &wg)
		for len(kinds) > 0 && ctx.Err() == nil {
			n := len(free)
			if n == 0 {
				break
			}
			claimed, err := r.claim(ctx, kinds, token, n)
			if err != nil {
				if ctx.Err() == nil {
					r.log().Error("claiming jobs", "err", err)
				}
				break
			}
			for _, j := range claimed {
				<-free
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() { free <- struct{}{} }()
					r.runJob(ctx, j)
				}()
			}
			if len(claimed) < n {
				break // nothing more due now
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-r.wake:
		}
	}
}

func (r *Runner) claim(ctx context.Context, kinds []string, token string, n int) ([]*rapport.Job, error) {
	var claimed []*rapport.Job
	now := r.now()
	if due, err := r.store.JobsDue(ctx, now); err != nil || !due {
		return nil, err
	}
	err := r.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		claimed, err = tx.ClaimJobs(ctx, rapport.JobClaim{Kinds: kinds, Now: now, Lease: token,
			LeaseUntil: now.Add(2 * r.timeout()), Limit: n})
		return err
	})
	return claimed, err
}

// runJob runs j's handler and records the outcome. A shutdown does not cut
// the handler short: it has its Timeout to finish.
func (r *Runner) runJob(ctx context.Context, j *rapport.Job) {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout())
	defer cancel()
	err := r.call(hctx, j)
	rctx := context.WithoutCancel(ctx)
	now := r.now()
	var rec error
	if err == nil {
		rec = r.store.Update(rctx, func(tx rapport.Tx) error { return tx.FinishJob(rctx, j.ID, j.Lease) })
	} else {
		var retryAt *time.Time
		if !IsPermanent(err) && j.Attempts < j.MaxAttempts {
			backoff := Backoff
			if r.Backoff != nil {
				backoff = r.Backoff
			}
			at := now.Add(backoff(j.Attempts))
			retryAt = &at
		}
		why := err.Error()
		if len(why) > 2000 {
			why = why[:2000]
		}
		rec = r.store.Update(rctx, func(tx rapport.Tx) error { return tx.FailJob(rctx, j.ID, j.Lease, why, retryAt, now) })
		if retryAt == nil {
			r.log().Error("job dead: an admin can retry it", "job", j.ID, "kind", j.Kind, "attempts", j.Attempts, "err", err)
		} else {
			r.log().Warn("job failed, will retry", "job", j.ID, "kind", j.Kind, "attempts", j.Attempts, "retry_at", retryAt, "err", err)
		}
	}
	if rec != nil {
		// The lease lapsed (another runner has the job) or the database
		// failed: the job runs again once claimable, and handlers are
		// idempotent.
		r.log().Error("recording job outcome", "job", j.ID, "kind", j.Kind, "err", rec)
	}
	if r.OnDone != nil {
		r.OnDone(j, err)
	}
}

// call runs the handler, turning a panic into an error.
func (r *Runner) call(ctx context.Context, j *rapport.Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v\n%s", j.Kind, p, debug.Stack())
		}
	}()
	h := r.handlers[j.Kind]
	if h == nil { // claimed kinds are registered; kept for safety
		return Permanent(fmt.Errorf("no handler for job kind %q", j.Kind))
	}
	return h(ctx, j)
}

// runPeriods starts each periodic task this runner takes for the current
// interval.
func (r *Runner) runPeriods(ctx context.Context, wg *sync.WaitGroup) {
	for _, p := range r.periods {
		if ctx.Err() != nil {
			return
		}
		took, err := r.takePeriod(ctx, p)
		if err != nil {
			if ctx.Err() == nil {
				r.log().Error("periodic task", "task", p.name, "err", err)
			}
			continue
		}
		if !took {
			continue
		}
		if !p.running.TryLock() {
			r.log().Warn("periodic task still running from the last interval; skipped", "task", p.name)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer p.running.Unlock()
			tctx, cancel := context.WithTimeout(ctx, max(p.interval, r.timeout()))
			defer cancel()
			if err := r.callPeriod(tctx, p); err != nil && ctx.Err() == nil {
				r.log().Error("periodic task failed", "task", p.name, "err", err)
			}
		}()
	}
}

// takePeriod reports whether this runner takes p's current interval.
func (r *Runner) takePeriod(ctx context.Context, p *period) (bool, error) {
	now := r.now()
	next := now.Truncate(p.interval).Add(p.interval)
	var took bool
	err := r.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		took, err = tx.TakePeriod(ctx, p.name, now, next)
		return err
	})
	return took, err
}

func (r *Runner) callPeriod(ctx context.Context, p *period) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("periodic task %s panicked: %v\n%s", p.name, x, debug.Stack())
		}
	}()
	return p.fn(ctx)
}
