package rapport

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// The expected wait tells a requester where they stand (PRODUCT.md,
// principle 3): how long until someone picks their ticket up, as a range,
// or a plain reason why there is no estimate.
//
// The method, and why. A queued ticket at position p is picked up after p
// more pickups from the queue. Recent history says how long the desk took
// to make p pickups, so the estimate replays it: for every recent pickup
// it takes the time the desk then needed for the next p, and the range is
// the middle of those times (25th to 75th percentile; 10th to 90th when
// there are fewer than 30, so thin history gives a wider range). Sampling
// whole stretches of history, rather than dividing by an average rate,
// keeps what an average hides: nights, lunch and bursts appear as often
// as they happened, and a long queue concentrates the range as it should.
//
// Three refinements keep it honest:
//
//   - A gap between pickups counts only the time the ticket taken was in
//     the queue (from the previous pickup or its arrival, whichever is
//     later). Otherwise a quiet desk, where tickets are taken within
//     minutes but arrive hours apart, would promise hours.
//   - Only stretches of history that began at least as quiet as now
//     count: as long since the pickup before, and as long with a ticket
//     waiting (since the later of the last pickup and the ticket's
//     arrival; under a minute is no news). What was left of that first
//     gap then is what is left now: at night the estimate is the rest of
//     the night, not the pace of a busy afternoon. The two readings of
//     what is left can disagree; the smaller wins, because the first can
//     hold time with no work at all (a quiet afternoon) and the second
//     depends on when the tickets then arrived (late evening or early
//     morning). When history has no quiet that long there is no estimate,
//     with the reason.
//   - Which pickups count depends on the priority. Critical tickets are
//     served first, so every pickup moves a critical ticket forward: all
//     count. A normal ticket also waits for critical tickets that arrive
//     after it, and those took their share of the desk's time in history
//     as they will now: counting only normal pickups (and the gaps between
//     them, which hold the critical work) accounts for that.
//
// What it cannot know: a night's first pickup then may have been of a
// ticket that arrived later in the night than this one, and the smaller
// reading then says too little is left; the first ticket in the queue
// usually arrived early in the evening, so this is rare. And a desk that has never had a backlog shows how fast
// it reacts, not how fast it clears a backlog, so estimates far down the
// queue may then be short. They correct themselves once a backlog is
// served, since those pickups come at the desk's full pace.

// Claim is one recent pickup from the queue: a ticket of priority rank
// Rank that arrived at CreatedAt and was taken at ClaimedAt.
type Claim struct {
	Rank      int
	CreatedAt time.Time
	ClaimedAt time.Time
}

// What the estimate reads from history.
const (
	// WaitWindow is how far back pickups count.
	WaitWindow = 14 * 24 * time.Hour
	// WaitHistoryClaims is how many of the latest pickups of each priority
	// count, at most: a few days of a desk making 100 pickups a day, with
	// its nights, and few enough to replay in microseconds per ticket. A
	// desk making thousands a day sees only hours back, so its quiet
	// nights get the reason rather than an estimate.
	WaitHistoryClaims = 500
	// MinWaitClaims is how many pickups an estimate needs.
	MinWaitClaims = 10
)

const (
	minWaitSamples  = 3  // stretches of history needed to give a range
	thinWaitSamples = 30 // below this many, a wider range (10th-90th)
	maxWait         = 4 * 7 * 24 * time.Hour
)

// Reasons for having no estimate.
const (
	WaitNoHistory = "We don't have enough recent history to estimate the wait yet."
	WaitUneven    = "We can't estimate the wait right now: recent pickups have been too uneven."
)

// WaitEstimate is how long a queued ticket should wait to be picked up:
// about Low to High, both on humane steps (see RoundWait). High is zero
// when the wait may be longer than four weeks ("about 2 weeks or more").
// When there is no estimate, Reason says why in plain language and Low and
// High are zero.
type WaitEstimate struct {
	Low, High time.Duration
	Reason    string
}

// Known reports whether w is an estimate rather than a reason.
func (w WaitEstimate) Known() bool { return w.Reason == "" }

// String is the estimate as a requester reads it: "about 20-40 minutes",
// "less than 5 minutes", "about 40 minutes to 2 hours", or the reason.
func (w WaitEstimate) String() string {
	switch {
	case !w.Known():
		return w.Reason
	case w.High == 0 && w.Low >= maxWait:
		return "more than " + FormatWait(maxWait)
	case w.High == 0:
		return "about " + FormatWait(w.Low) + " or more"
	case w.Low == 0:
		return "less than " + FormatWait(w.High)
	}
	lo, lu := waitUnit(w.Low)
	hi, hu := waitUnit(w.High)
	if lu == hu {
		return "about " + strconv.Itoa(lo) + "-" + strconv.Itoa(hi) + " " + hu + "s"
	}
	return "about " + FormatWait(w.Low) + " to " + FormatWait(w.High)
}

// EstimateWait estimates how long a ticket of priority p, queued at
// position (1 is next) since it arrived, waits to be picked up, from
// recent pickups of every priority in any order. See the method above;
// NewWaitHistory prepares the history once for many estimates.
func EstimateWait(position int, p Priority, arrived time.Time, claims []Claim, now time.Time) WaitEstimate {
	return NewWaitHistory(claims).Estimate(position, p, arrived, now)
}

// WaitHistory is recent pickups prepared for estimates: sorted, with the
// gaps between them, for each priority.
type WaitHistory struct {
	byRank [2]pickups // indexed by Priority.Rank
}

// pickups are the pickups of a rank and every rank served after it,
// oldest first. For pickup i+1: between[i] is the time since the pickup
// before it, gaps[i] the part of that with the ticket in the queue (see
// the method); sum[i] is gaps[0] + ... + gaps[i-1].
type pickups struct {
	at            []time.Time
	between, gaps []float64
	sum           []float64
}

// NewWaitHistory prepares recent pickups of every priority, in any order.
func NewWaitHistory(claims []Claim) *WaitHistory {
	var h WaitHistory
	sorted := slices.SortedFunc(slices.Values(claims), func(a, b Claim) int { return a.ClaimedAt.Compare(b.ClaimedAt) })
	for rank := range h.byRank {
		var cs []Claim
		for _, c := range sorted {
			if c.Rank >= rank {
				cs = append(cs, c)
			}
		}
		ps := pickups{at: make([]time.Time, len(cs)), sum: make([]float64, max(1, len(cs)))}
		for i, c := range cs {
			ps.at[i] = c.ClaimedAt
			if i == 0 {
				continue
			}
			from := cs[i-1].ClaimedAt
			if c.CreatedAt.After(from) {
				from = c.CreatedAt
			}
			ps.between = append(ps.between, c.ClaimedAt.Sub(cs[i-1].ClaimedAt).Seconds())
			ps.gaps = append(ps.gaps, max(0, c.ClaimedAt.Sub(from).Seconds()))
			ps.sum[i] = ps.sum[i-1] + ps.gaps[i-1]
		}
		h.byRank[rank] = ps
	}
	return &h
}

// Estimate is EstimateWait on the prepared history.
func (h *WaitHistory) Estimate(position int, p Priority, arrived, now time.Time) WaitEstimate {
	position = max(position, 1)
	rank := min(max(p.Rank(), 0), len(h.byRank)-1)
	ps := &h.byRank[rank]
	// The pickups that count: within WaitWindow of now, not after it,
	// the latest WaitHistoryClaims.
	end, _ := slices.BinarySearchFunc(ps.at, now, func(t, now time.Time) int {
		if t.After(now) {
			return 1
		}
		return -1
	})
	start, _ := slices.BinarySearchFunc(ps.at[:end], now.Add(-WaitWindow), time.Time.Compare)
	start = max(start, end-WaitHistoryClaims)
	if end-start < MinWaitClaims {
		return WaitEstimate{Reason: WaitNoHistory}
	}
	// Gaps start..end-2 lie between pickups that count.
	between, gaps, sum := ps.between[start:end-1], ps.gaps[start:end-1], ps.sum[start:end]

	// How quiet it is now, read both ways: since the last pickup, and
	// since then or the ticket's arrival, whichever is later.
	last := ps.at[end-1]
	idle := quietFor(now.Sub(last))
	waiting := idle
	if arrived.After(last) {
		waiting = quietFor(now.Sub(arrived))
	}

	// Each stretch is a first gap (at least as quiet as now, less the
	// quiet so far) and the next position-1 gaps. Past half the history,
	// the following gaps are scaled up from the half that fits.
	m := len(gaps)
	follow := min(position-1, m/2)
	scale := 1.0
	if follow > 0 {
		scale = float64(position-1) / float64(follow)
	}
	waits := make([]float64, 0, m)
	for i := 0; i+follow < m; i++ {
		if between[i] < idle || gaps[i] < waiting {
			continue
		}
		left := min(between[i]-idle, gaps[i]-waiting)
		waits = append(waits, left+(sum[i+1+follow]-sum[i+1])*scale)
	}
	if len(waits) < minWaitSamples {
		who := "a ticket"
		if rank > 0 {
			who = "a " + string(p) + "-priority ticket"
		}
		return WaitEstimate{Reason: "The help desk has not picked up " + who + " in over " +
			FormatWait(RoundWait(seconds(idle), false)) +
			", longer than usual lately, so we can't estimate the wait right now."}
	}
	slices.Sort(waits)
	qlo, qhi := 0.25, 0.75
	if len(waits) < thinWaitSamples {
		qlo, qhi = 0.10, 0.90
	}
	lo, hi := seconds(quantile(waits, qlo)), seconds(quantile(waits, qhi))
	return NewWaitEstimate(lo, hi)
}

// NewWaitEstimate returns the estimate "about lo to hi", rounded out to
// humane steps: lo down, hi up, and never the same step.
func NewWaitEstimate(lo, hi time.Duration) WaitEstimate {
	lo, hi = RoundWait(lo, false), RoundWait(hi, true)
	if lo >= maxWait {
		return WaitEstimate{Low: maxWait}
	}
	if hi > maxWait {
		if lo == 0 {
			return WaitEstimate{Reason: WaitUneven}
		}
		return WaitEstimate{Low: lo}
	}
	if hi <= lo {
		hi = RoundWait(lo+1, true)
	}
	return WaitEstimate{Low: lo, High: hi}
}

// waitSteps are the values an estimate is rounded to: a person says
// "about 20-40 minutes" or "1-2 days", not "23-38 minutes".
var waitSteps = func() []time.Duration {
	var s []time.Duration
	for _, m := range []int{1, 2, 3, 5, 10, 15, 20, 30, 40, 50} {
		s = append(s, time.Duration(m)*time.Minute)
	}
	for _, h := range []int{1, 2, 3, 4, 5, 6, 8, 10, 12, 18} {
		s = append(s, time.Duration(h)*time.Hour)
	}
	for d := 1; d <= 6; d++ {
		s = append(s, time.Duration(d)*24*time.Hour)
	}
	for w := 1; w <= 4; w++ {
		s = append(s, time.Duration(w)*7*24*time.Hour)
	}
	return s
}()

// RoundWait rounds d to a humane step: up to the next step, or down to the
// one below (zero below a minute). Past the last step (four weeks) it
// rounds up to one step more than that, to mark "more than four weeks".
func RoundWait(d time.Duration, up bool) time.Duration {
	i, exact := slices.BinarySearch(waitSteps, d)
	switch {
	case exact || d <= 0:
		return max(d, 0)
	case up && i == len(waitSteps):
		return maxWait + time.Minute
	case up:
		return waitSteps[i]
	case i == 0:
		return 0
	}
	return waitSteps[i-1]
}

// FormatWait says a duration on a humane step in words: "5 minutes",
// "1 hour", "3 days", "2 weeks". Other durations are cut to whole units.
func FormatWait(d time.Duration) string {
	n, unit := waitUnit(d)
	if n != 1 {
		unit += "s"
	}
	return strconv.Itoa(n) + " " + unit
}

// waitUnit returns d in the largest unit that holds it whole (weeks only
// from one week, days from one day, and so on).
func waitUnit(d time.Duration) (int, string) {
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	switch {
	case d >= week && d%week == 0:
		return int(d / week), "week"
	case d >= day && d%day == 0:
		return int(d / day), "day"
	case d >= time.Hour && d%time.Hour == 0 || d >= day:
		return int(d / time.Hour), "hour"
	}
	return int(d / time.Minute), "minute"
}

// quantile returns the q-quantile of sorted xs, interpolating between the
// two nearest values.
func quantile(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (xs[i+1]-xs[i])*(pos-float64(i))
}

// quietFor returns d in seconds, or zero under a minute: a quiet minute is
// no news.
func quietFor(d time.Duration) float64 {
	if d < time.Minute {
		return 0
	}
	return d.Seconds()
}

// seconds converts to a Duration, capped far beyond any estimate shown so
// that huge positions cannot overflow.
func seconds(s float64) time.Duration {
	return time.Duration(math.Min(s, 10*maxWait.Seconds()) * float64(time.Second))
}
