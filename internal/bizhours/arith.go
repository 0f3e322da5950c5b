package bizhours

import (
	"math"
	"sort"
	"time"

	"github.com/rapportdesk/rapport"
)

// horizonDays bounds how far ahead Add, NextOpen and Due look for open time.
const horizonDays = 100 * 366

// Errors of the arithmetic. They are *rapport.Error values, so the edge can
// show their messages as they are.
var (
	// ErrNeverOpen is returned when the calendar has no office hours at
	// all, so no amount of business time can ever pass.
	ErrNeverOpen error = &rapport.Error{Code: rapport.EINVALID, Message: "This calendar has no office hours, so no business time ever passes and no deadline can be worked out."}
	// ErrTooFar is returned when the answer lies more than 100 years ahead,
	// for instance when holidays close the office for good.
	ErrTooFar error = &rapport.Error{Code: rapport.EINVALID, Message: "The office does not open again within 100 years, so this cannot be worked out."}
	// ErrNegative is returned for a negative duration of business time.
	ErrNegative error = &rapport.Error{Code: rapport.EINVALID, Message: "An amount of business time cannot be negative."}
	// ErrOutOfRange is returned for instants before 1900 or after 2999.
	ErrOutOfRange error = &rapport.Error{Code: rapport.EINVALID, Message: "Business time is only worked out between the years 1900 and 2999."}
)

var (
	rangeStart = time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC)
	rangeEnd   = time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
)

func checkRange(t time.Time) error {
	if t.Before(rangeStart) || !t.Before(rangeEnd) {
		return ErrOutOfRange
	}
	return nil
}

func clampRange(t time.Time) time.Time {
	if t.Before(rangeStart) {
		return rangeStart
	}
	if t.After(rangeEnd) {
		return rangeEnd
	}
	return t
}

// walker yields the calendar's open time from an instant on, as ascending,
// disjoint spans, one civil day of weekly hours at a time.
type walker struct {
	c     *Calendar
	day   int64     // next civil day to expand
	last  int64     // last civil day to expand
	floor time.Time // nothing before this is yielded
	ci    int       // first closure that may still matter
	buf   []Span
	pos   int
}

func (c *Calendar) walk(from time.Time, lastDay int64) *walker {
	from = from.Round(0).In(c.loc)
	return &walker{
		c:     c,
		day:   localDay(from, c.loc) - 1, // yesterday's overnight shift may still run
		last:  lastDay,
		floor: from,
		ci:    sort.Search(len(c.closures), func(i int) bool { return c.closures[i].End.After(from) }),
		buf:   make([]Span, 0, 8),
	}
}

// next returns the next span of open time, or false once the last day has
// been expanded.
func (w *walker) next() (Span, bool) {
	for w.pos == len(w.buf) {
		if w.day > w.last {
			return Span{}, false
		}
		w.buf, w.pos = w.buf[:0], 0
		w.expand()
	}
	s := w.buf[w.pos]
	w.pos++
	return s, true
}

// expand appends the open spans of the shifts starting on w.day, minus
// closures, and moves to the next day. A closure covering the day's
// midnight is jumped over whole, so long closures cost one step.
func (w *walker) expand() {
	c := w.c
	midnight := wallInstant(c.loc, w.day, 0)
	for w.ci < len(c.closures) && !c.closures[w.ci].End.After(midnight) {
		w.ci++
	}
	if w.ci < len(c.closures) && !c.closures[w.ci].Start.After(midnight) {
		// Shifts starting before the closure's last day end inside it.
		if target := localDay(c.closures[w.ci].End, c.loc) - 1; target > w.day {
			w.day = target
			return
		}
	}
	day := w.day
	w.day++
	for _, sh := range c.week[dayWeekday(day)] {
		s := wallInstant(c.loc, day, sh.start)
		e := wallInstant(c.loc, day, sh.end)
		if s.Before(w.floor) {
			s = w.floor
		}
		if !e.After(s) {
			continue // already past, or swallowed by clocks going forward
		}
		w.floor = e
		for w.ci < len(c.closures) && !c.closures[w.ci].End.After(s) {
			w.ci++
		}
		for k := w.ci; k < len(c.closures) && c.closures[k].Start.Before(e); k++ {
			cl := c.closures[k]
			if cl.Start.After(s) {
				w.buf = append(w.buf, Span{Start: s, End: cl.Start})
			}
			if cl.End.After(s) {
				s = cl.End
			}
		}
		if e.After(s) {
			w.buf = append(w.buf, Span{Start: s, End: e})
		}
	}
}

// Add returns the instant at which d of business time has passed since
// start: the earliest instant t with Between(start, t) == d. So a deadline
// that is reached at closing time is closing time, not the next opening,
// and Add(start, 0) is start itself even when the office is closed.
func (c *Calendar) Add(start time.Time, d time.Duration) (time.Time, error) {
	if err := checkRange(start); err != nil {
		return time.Time{}, err
	}
	if d < 0 {
		return time.Time{}, ErrNegative
	}
	if d == 0 {
		return start.In(c.loc), nil
	}
	if c.weekly == 0 {
		return time.Time{}, ErrNeverOpen
	}
	w := c.walk(start, localDay(start, c.loc)+horizonDays)
	for {
		s, ok := w.next()
		if !ok {
			return time.Time{}, ErrTooFar
		}
		if l := s.End.Sub(s.Start); l < d {
			d -= l
			continue
		}
		return s.Start.Add(d), nil
	}
}

// Between returns the business time from a to b: the open time in [a, b).
// It is negative when b is before a. Instants before 1900 or after 2999
// count as the edges of that range; a total too large for a time.Duration
// is capped at the largest one.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.Between(b, a)
	}
	if c.weekly == 0 {
		return 0
	}
	a, b = clampRange(a), clampRange(b)
	w := c.walk(a, localDay(b, c.loc))
	var total time.Duration
	for {
		s, ok := w.next()
		if !ok || !s.Start.Before(b) {
			return total
		}
		end := s.End
		if end.After(b) {
			end = b
		}
		l := end.Sub(s.Start)
		if total > math.MaxInt64-l {
			return math.MaxInt64
		}
		total += l
	}
}

// IsOpen reports whether the office is open at t: within office hours and
// not closed by a holiday. Opening time is open; closing time is closed.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.weekly == 0 || checkRange(t) != nil {
		return false
	}
	s, ok := c.walk(t, localDay(t, c.loc)).next()
	return ok && s.Start.Equal(t)
}

// NextOpen returns t if the office is open at t, and otherwise the next
// instant at which it opens.
func (c *Calendar) NextOpen(t time.Time) (time.Time, error) {
	if err := checkRange(t); err != nil {
		return time.Time{}, err
	}
	if c.weekly == 0 {
		return time.Time{}, ErrNeverOpen
	}
	s, ok := c.walk(t, localDay(t, c.loc)+horizonDays).next()
	if !ok {
		return time.Time{}, ErrTooFar
	}
	return s.Start, nil
}

// HolidayAt returns the name of a holiday that closes the office at t, and
// whether there is one. A holiday without a name gives "".
func (c *Calendar) HolidayAt(t time.Time) (string, bool) {
	for _, n := range c.named {
		if n.Start.After(t) {
			break
		}
		if n.Contains(t) {
			return n.name, true
		}
	}
	return "", false
}

// OnCallAt returns the on-call period covering t, and whether there is one.
// Periods that overlap or touch count as one.
func (c *Calendar) OnCallAt(t time.Time) (Span, bool) {
	i := sort.Search(len(c.onCall), func(i int) bool { return c.onCall[i].End.After(t) })
	if i < len(c.onCall) && c.onCall[i].Contains(t) {
		return c.onCall[i], true
	}
	return Span{}, false
}

// Covered reports whether someone answers at t: the office is open or
// someone is on call.
func (c *Calendar) Covered(t time.Time) bool {
	if _, ok := c.OnCallAt(t); ok {
		return true
	}
	return c.IsOpen(t)
}
