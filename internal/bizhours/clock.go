package bizhours

import (
	"slices"
	"time"

	"github.com/rapportdesk/rapport"
)

// An SLA clock runs while a ticket waits on the desk and pauses while it
// waits on the requester or a third party. Its history is the list of spans
// in which it ran; the last may still be running, written with a zero End.

// ErrBadRun is returned for a run that has no start or ends before it starts.
var ErrBadRun error = &rapport.Error{Code: rapport.EINVALID, Message: "A clock run must have a start and cannot end before it starts."}

// normalize sorts runs, closes a running one at until (when until is not
// zero) and joins overlapping runs, so no time counts twice.
func normalize(runs []Span, until time.Time) ([]Span, error) {
	out := make([]Span, 0, len(runs))
	for _, r := range runs {
		if r.Start.IsZero() || (!r.End.IsZero() && r.End.Before(r.Start)) {
			return nil, ErrBadRun
		}
		if !until.IsZero() {
			if r.End.IsZero() || r.End.After(until) {
				r.End = until
			}
			if !r.End.After(r.Start) {
				continue
			}
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Span) int { return a.Start.Compare(b.Start) })
	merged := out[:0]
	for _, r := range out {
		if n := len(merged); n > 0 {
			last := &merged[n-1]
			if last.End.IsZero() {
				continue // an open run already covers everything after it
			}
			if !r.Start.After(last.End) {
				if r.End.IsZero() || r.End.After(last.End) {
					last.End = r.End
				}
				continue
			}
		}
		merged = append(merged, r)
	}
	return merged, nil
}

// Elapsed returns the business time the clock has run by now: the open time
// within the runs, counting a running run (zero End) up to now and nothing
// after now. Overlapping runs count once.
func (c *Calendar) Elapsed(runs []Span, now time.Time) (time.Duration, error) {
	runs, err := normalize(runs, now)
	if err != nil {
		return 0, err
	}
	var total time.Duration
	for _, r := range runs {
		total += c.Between(r.Start, r.End)
	}
	return total, nil
}

// Due returns the instant at which the clock reaches target business time,
// and true; or false when it does not get there within the runs (the clock
// is paused short of the target, so there is no due time until it runs
// again). A running run (zero End) runs on for ever.
func (c *Calendar) Due(runs []Span, target time.Duration) (time.Time, bool, error) {
	if target < 0 {
		return time.Time{}, false, ErrNegative
	}
	runs, err := normalize(runs, time.Time{})
	if err != nil {
		return time.Time{}, false, err
	}
	left := target
	for _, r := range runs {
		if r.End.IsZero() {
			t, err := c.Add(r.Start, left)
			return t, err == nil, err
		}
		if b := c.Between(r.Start, r.End); b < left {
			left -= b
			continue
		}
		t, err := c.Add(r.Start, left)
		return t, err == nil, err
	}
	return time.Time{}, false, nil
}

// Progress is where an SLA clock stands against its target at one instant.
type Progress struct {
	Target  time.Duration // the business time allowed
	Elapsed time.Duration // business time run so far
	// Remaining is Target - Elapsed: negative once overdue, and only
	// changing while the office is open.
	Remaining time.Duration
	Running   bool      // the clock is running now
	Due       time.Time // when the target is (or was) reached; zero while paused short of it
	Breached  bool      // now is after Due
}

// Track reports a clock's progress at now. A clock reached at exactly its
// due instant is not breached; an instant later it is, even when the office
// has closed in between, because its due time has gone.
func (c *Calendar) Track(runs []Span, target time.Duration, now time.Time) (Progress, error) {
	p := Progress{Target: target}
	var err error
	if p.Elapsed, err = c.Elapsed(runs, now); err != nil {
		return p, err
	}
	p.Remaining = target - p.Elapsed
	for _, r := range runs {
		if !r.Start.After(now) && (r.End.IsZero() || r.End.After(now)) {
			p.Running = true
		}
	}
	due, ok, err := c.Due(runs, target)
	if err != nil {
		return p, err
	}
	if ok {
		p.Due = due
		p.Breached = now.After(due)
	}
	return p, nil
}
