package rapport_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
	week   = 7 * day
)

// paced returns n pickups of rank, one every gap, the last at end; each
// ticket had waited `waited` when it was taken (longer than gap: a backlog).
func paced(n, rank int, gap, waited time.Duration, end time.Time) []rapport.Claim {
	cs := make([]rapport.Claim, n)
	for i := range cs {
		at := end.Add(-time.Duration(n-1-i) * gap)
		cs[i] = rapport.Claim{Rank: rank, CreatedAt: at.Add(-waited), ClaimedAt: at}
	}
	return cs
}

// gapped returns backlogged pickups with the given gaps between them, the
// last at end.
func gapped(end time.Time, gaps ...time.Duration) []rapport.Claim {
	cs := []rapport.Claim{{Rank: 1, CreatedAt: end.Add(-day), ClaimedAt: end}}
	for i := len(gaps) - 1; i >= 0; i-- {
		at := cs[0].ClaimedAt.Add(-gaps[i])
		cs = append([]rapport.Claim{{Rank: 1, CreatedAt: at.Add(-day), ClaimedAt: at}}, cs...)
	}
	return cs
}

// office returns backlogged pickups every 15 minutes from 08:00 to 17:00
// on each day from the day of start, up to and including until.
func office(start, until time.Time) []rapport.Claim {
	var cs []rapport.Claim
	for d := start.Truncate(day); !d.After(until); d = d.Add(day) {
		for at := d.Add(8 * hour); !at.After(d.Add(17*hour)) && !at.After(until); at = at.Add(15 * minute) {
			cs = append(cs, rapport.Claim{Rank: 1, CreatedAt: at.Add(-day), ClaimedAt: at})
		}
	}
	return cs
}

// eveningArrivals makes the first pickup of each morning (after the first
// day) a ticket that arrived at the given time the evening before.
func eveningArrivals(cs []rapport.Claim, at time.Duration) []rapport.Claim {
	out := slices.Clone(cs)
	for i := 1; i < len(out); i++ {
		if out[i].ClaimedAt.Sub(out[i-1].ClaimedAt) > 12*hour {
			out[i].CreatedAt = out[i-1].ClaimedAt.Truncate(day).Add(at)
		}
	}
	return out
}

func cycle(n int, vals ...time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = vals[i%len(vals)]
	}
	return out
}

func concat(parts ...[]rapport.Claim) []rapport.Claim {
	var out []rapport.Claim
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestEstimateWait(t *testing.T) {
	now := t0
	// Pickups every 10 minutes where every 6th is critical.
	var mixed []rapport.Claim
	for i, c := range paced(120, 1, 10*minute, day, now) {
		if i%6 == 0 {
			c.Rank = 0
		}
		mixed = append(mixed, c)
	}
	monday := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	week1 := office(monday, monday.Add(6*day+17*hour)) // Monday to Sunday 17:00
	burst := concat(paced(200, 1, 10*minute, day, now.Add(-10*hour)),
		paced(40, 1, 10*time.Second, day, now.Add(-9*hour)),
		paced(50, 1, 10*minute, day, now))
	for _, tc := range []struct {
		name     string
		position int
		priority rapport.Priority
		arrived  time.Time
		claims   []rapport.Claim
		now      time.Time
		want     string
	}{
		{"no history", 1, rapport.PriorityNormal, now, nil, now, rapport.WaitNoHistory},
		{"nine pickups are too few", 1, rapport.PriorityNormal, now, paced(9, 1, 10*minute, day, now), now, rapport.WaitNoHistory},
		{"ten pickups are enough", 1, rapport.PriorityNormal, now, paced(10, 1, 10*minute, day, now), now, "about 10-15 minutes"},
		{"pickups older than two weeks do not count", 1, rapport.PriorityNormal, now,
			paced(50, 1, 10*minute, day, now.Add(-15*day)), now, rapport.WaitNoHistory},
		{"pickups after now do not count", 1, rapport.PriorityNormal, now,
			paced(50, 1, 10*minute, day, now.Add(10*day)), now, rapport.WaitNoHistory},
		{"only the latest 500 pickups count", 1, rapport.PriorityNormal, now,
			concat(paced(300, 1, minute, day, now.Add(-90*day/24)), paced(500, 1, 10*minute, day, now)), now, "about 10-15 minutes"},
		{"position 1, steady backlog", 1, rapport.PriorityNormal, now, paced(100, 1, 10*minute, day, now), now, "about 10-15 minutes"},
		{"position 0 counts as 1", 0, rapport.PriorityNormal, now, paced(100, 1, 10*minute, day, now), now, "about 10-15 minutes"},
		{"position 3, steady backlog", 3, rapport.PriorityNormal, now, paced(100, 1, 10*minute, day, now), now, "about 30-40 minutes"},
		{"position 6, steady backlog", 6, rapport.PriorityNormal, now, paced(100, 1, 10*minute, day, now), now, "about 1-2 hours"},
		// Tickets arrive every 2 hours and are taken within 5 minutes: the
		// wait is 5 minutes, not the 2 hours between pickups.
		{"quiet desk that reacts fast", 1, rapport.PriorityNormal, now, paced(50, 1, 2*hour, 5*minute, now.Add(-30*minute)), now, "about 5-10 minutes"},
		{"a burst does not move the middle", 1, rapport.PriorityNormal, now, burst, now, "about 10-15 minutes"},
		// A critical ticket moves with every pickup; a normal one only with
		// normal pickups, which leaves room for the critical ones.
		{"critical, position 5", 5, rapport.PriorityCritical, now, mixed, now, "about 50 minutes to 1 hour"},
		{"normal, position 5", 5, rapport.PriorityNormal, now, mixed, now, "about 1-2 hours"},
		{"normal ticket, only critical history", 1, rapport.PriorityNormal, now, paced(50, 0, 10*minute, day, now), now, rapport.WaitNoHistory},
		{"critical ticket, only normal history", 1, rapport.PriorityCritical, now, paced(50, 1, 10*minute, day, now), now, "about 10-15 minutes"},
		{"office hours, mid-morning", 1, rapport.PriorityNormal, monday.Add(6*day + 10*hour),
			office(monday, monday.Add(6*day+10*hour)), monday.Add(6*day + 10*hour), "about 15-20 minutes"},
		// 17:00 to 08:00 is 15 hours; at 03:00, 5 are left.
		{"long quiet night, position 1", 1, rapport.PriorityNormal, monday.Add(6*day + 20*hour),
			week1, monday.Add(7*day + 3*hour), "about 5-6 hours"},
		{"long quiet night, position 3", 3, rapport.PriorityNormal, monday.Add(6*day + 20*hour),
			week1, monday.Add(7*day + 3*hour), "about 5-6 hours"},
		// The first pickup each morning was of a ticket that arrived at
		// 18:00, before this one: 5 hours are left all the same.
		{"long quiet night, tickets arriving in the evening", 1, rapport.PriorityNormal, monday.Add(6*day + 20*hour),
			eveningArrivals(week1, 18*hour), monday.Add(7*day + 3*hour), "about 5-6 hours"},
		// Tickets are taken within 5 minutes; this one has waited 20 and the
		// desk has picked up nothing for 2 hours.
		{"nobody reacts for longer than ever seen", 1, rapport.PriorityNormal, now.Add(-20 * minute),
			paced(50, 1, 2*hour, 5*minute, now.Add(-2*hour)), now,
			"The help desk has not picked up a normal-priority ticket in over 2 hours, longer than usual lately, so we can't estimate the wait right now."},
		{"quieter than ever seen", 1, rapport.PriorityNormal, monday.Add(6*day + 20*hour), week1, monday.Add(8*day + 20*hour),
			"The help desk has not picked up a normal-priority ticket in over 2 days, longer than usual lately, so we can't estimate the wait right now."},
		{"quieter than ever seen, critical", 1, rapport.PriorityCritical, monday.Add(6*day + 20*hour), week1, monday.Add(8*day + 20*hour),
			"The help desk has not picked up a ticket in over 2 days, longer than usual lately, so we can't estimate the wait right now."},
		{"position 2000", 2000, rapport.PriorityNormal, now, paced(500, 1, minute, day, now), now, "about 1-2 days"},
		{"position 1,000,000", 1_000_000, rapport.PriorityNormal, now, paced(100, 1, 10*minute, day, now), now, "more than 4 weeks"},
		{"thin history, wide range", 1, rapport.PriorityNormal, now, gapped(now, cycle(19, 2*minute, 4*minute, 6*minute, 8*minute, 10*minute,
			12*minute, 14*minute, 16*minute, 18*minute, 20*minute)...), now, "about 3-20 minutes"},
		{"more history, narrower range", 1, rapport.PriorityNormal, now, gapped(now, cycle(200, 2*minute, 4*minute, 6*minute, 8*minute, 10*minute,
			12*minute, 14*minute, 16*minute, 18*minute, 20*minute)...), now, "about 5-20 minutes"},
	} {
		got := rapport.EstimateWait(tc.position, tc.priority, tc.arrived, tc.claims, tc.now)
		if got.String() != tc.want {
			t.Errorf("%s: EstimateWait=%q (%+v), want %q", tc.name, got, got, tc.want)
		}
		if reason := strings.HasPrefix(tc.want, "The ") || strings.HasPrefix(tc.want, "We "); got.Known() == reason {
			t.Errorf("%s: Known()=%v for %q", tc.name, got.Known(), got)
		}
	}
}

// The order of the history does not matter.
func TestEstimateWaitUnordered(t *testing.T) {
	cs := paced(100, 1, 10*minute, day, t0)
	rev := make([]rapport.Claim, len(cs))
	for i, c := range cs {
		rev[len(cs)-1-i] = c
	}
	a := rapport.EstimateWait(3, rapport.PriorityNormal, t0, cs, t0)
	b := rapport.EstimateWait(3, rapport.PriorityNormal, t0, rev, t0)
	if a != b {
		t.Fatalf("reversed history=%+v, want %+v", b, a)
	}
}

func TestNewWaitEstimate(t *testing.T) {
	for _, tc := range []struct {
		lo, hi    time.Duration
		want      string
		low, high time.Duration
	}{
		{23 * minute, 38 * minute, "about 20-40 minutes", 20 * minute, 40 * minute},
		{0, 4 * minute, "less than 5 minutes", 0, 5 * minute},
		{40 * time.Second, 3 * minute, "less than 3 minutes", 0, 3 * minute},
		{10 * minute, 10 * minute, "about 10-15 minutes", 10 * minute, 15 * minute},
		{45 * minute, 100 * minute, "about 40 minutes to 2 hours", 40 * minute, 2 * hour},
		{70 * minute, 110 * minute, "about 1-2 hours", hour, 2 * hour},
		{hour, hour, "about 1-2 hours", hour, 2 * hour},
		{18 * hour, 20 * hour, "about 18 hours to 1 day", 18 * hour, day},
		{26 * hour, 40 * hour, "about 1-2 days", day, 2 * day},
		{6*day + hour, 6*day + 2*hour, "about 6 days to 1 week", 6 * day, week},
		{8 * day, 13 * day, "about 1-2 weeks", week, 2 * week},
		{3 * week, 5 * week, "about 3 weeks or more", 3 * week, 0},
		{4 * week, 5 * week, "more than 4 weeks", 4 * week, 0},
		{5 * week, 6 * week, "more than 4 weeks", 4 * week, 0},
		{0, 5 * week, rapport.WaitUneven, 0, 0},
	} {
		got := rapport.NewWaitEstimate(tc.lo, tc.hi)
		if got.String() != tc.want || got.Low != tc.low || got.High != tc.high {
			t.Errorf("NewWaitEstimate(%v, %v)=%q (%v-%v), want %q (%v-%v)", tc.lo, tc.hi, got, got.Low, got.High, tc.want, tc.low, tc.high)
		}
	}
}

func TestRoundWait(t *testing.T) {
	for _, tc := range []struct {
		d        time.Duration
		up, down time.Duration
	}{
		{0, 0, 0},
		{30 * time.Second, minute, 0},
		{minute, minute, minute},
		{4 * minute, 5 * minute, 3 * minute},
		{25 * minute, 30 * minute, 20 * minute},
		{55 * minute, hour, 50 * minute},
		{7 * hour, 8 * hour, 6 * hour},
		{20 * hour, day, 18 * hour},
		{9 * day, 2 * week, week},
		{5 * week, 4*week + minute, 4 * week},
	} {
		if got := rapport.RoundWait(tc.d, true); got != tc.up {
			t.Errorf("RoundWait(%v, up)=%v, want %v", tc.d, got, tc.up)
		}
		if got := rapport.RoundWait(tc.d, false); got != tc.down {
			t.Errorf("RoundWait(%v, down)=%v, want %v", tc.d, got, tc.down)
		}
	}
}

func TestFormatWait(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{minute, "1 minute"},
		{5 * minute, "5 minutes"},
		{hour, "1 hour"},
		{18 * hour, "18 hours"},
		{day, "1 day"},
		{36 * hour, "36 hours"},
		{3 * day, "3 days"},
		{week, "1 week"},
		{4 * week, "4 weeks"},
	} {
		if got := rapport.FormatWait(tc.d); got != tc.want {
			t.Errorf("FormatWait(%v)=%q, want %q", tc.d, got, tc.want)
		}
	}
}

// BenchmarkEstimateWait is one estimate from a full history of both
// priorities, as a critical ticket reads it.
func BenchmarkEstimateWait(b *testing.B) {
	cs := concat(paced(rapport.WaitHistoryClaims, 0, 30*minute, day, t0), paced(rapport.WaitHistoryClaims, 1, 10*minute, day, t0))
	h := rapport.NewWaitHistory(cs)
	for b.Loop() {
		h.Estimate(40, rapport.PriorityCritical, t0, t0)
	}
}
