package rapport

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	secs := func(xs ...int64) []BucketCount {
		var h []BucketCount
		for _, x := range xs {
			h = append(h, BucketCount{K: DurationBucket(x), N: 1})
		}
		return h
	}
	tests := []struct {
		name      string
		hist      []BucketCount
		p         float64
		want      time.Duration
		tolerance float64 // relative; 0 means exact
	}{
		{"empty", nil, 0.5, 0, 0},
		{"one value", secs(42), 0.5, 42 * time.Second, 0},
		{"one value p90", secs(42), 0.9, 42 * time.Second, 0},
		{"median of 1..10 is the 5th", secs(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 0.5, 5 * time.Second, 0},
		{"p90 of 1..10 is the 9th", secs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.9, 9 * time.Second, 0},
		{"median of an odd count", secs(3, 1, 2), 0.5, 2 * time.Second, 0},
		{"median of four is the lower middle", secs(1, 2, 3, 4), 0.5, 2 * time.Second, 0},
		{"p90 of 1..11 rounds the rank up", secs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 0.9, 10 * time.Second, 0},
		{"zero durations", secs(0, 0, 0), 0.5, 0, 0},
		{"negative counts as zero", secs(-5), 0.5, 0, 0},
		{"counts, not values", []BucketCount{{K: DurationBucket(10), N: 9}, {K: DurationBucket(20), N: 1}}, 0.9, 10 * time.Second, 0},
		{"counts, the top tenth", []BucketCount{{K: DurationBucket(10), N: 8}, {K: DurationBucket(20), N: 2}}, 0.9, 20 * time.Second, 0},
		{"hours within half a percent", secs(3600, 7200, 10800), 0.5, 2 * time.Hour, 0.005},
		{"days within half a percent", secs(86400, 3*86400, 5*86400, 7*86400), 0.9, 7 * 24 * time.Hour, 0.005},
		{"a year within half a percent", secs(365 * 86400), 0.5, 365 * 24 * time.Hour, 0.005},
		{"beyond the last bucket", secs(30 * 365 * 86400), 0.5, 20 * 365 * 24 * time.Hour, 0.005},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Percentile(tc.hist, tc.p)
			if tc.tolerance == 0 && got != tc.want {
				t.Fatalf("Percentile(%v)=%v, want %v", tc.p, got, tc.want)
			}
			if rel := math.Abs(float64(got-tc.want)) / float64(tc.want); tc.tolerance > 0 && rel > tc.tolerance {
				t.Fatalf("Percentile(%v)=%v, want %v within %.1f%% (off by %.2f%%)", tc.p, got, tc.want, 100*tc.tolerance, 100*rel)
			}
		})
	}
}

// TestPercentileNearExact: on random durations from seconds to weeks the
// bucketed percentile is the exact nearest-rank one put in its bucket, and
// within 0.5% of it.
func TestPercentileNearExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		n := 1 + r.IntN(500)
		xs := make([]int64, n)
		count := map[int]int64{}
		for i := range xs {
			xs[i] = int64(math.Exp(r.Float64() * 15)) // 1 s to about 38 days
			count[DurationBucket(xs[i])]++
		}
		var hist []BucketCount
		for k, c := range count {
			hist = append(hist, BucketCount{K: k, N: c})
		}
		sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
		for _, p := range []float64{0.5, 0.9} {
			exact := xs[NearestRank(int64(n), p)-1]
			got := Percentile(hist, p)
			if want := BucketValue(DurationBucket(exact)); got != want {
				t.Fatalf("n=%d p=%v: got %v, want %v (exact %ds)", n, p, got, want, exact)
			}
			if rel := math.Abs(got.Seconds()-float64(exact)) / math.Max(1, float64(exact)); rel > 0.005 {
				t.Fatalf("n=%d p=%v: got %v, exact %ds: off by %.2f%%", n, p, got, exact, 100*rel)
			}
		}
	}
}

func TestDurationBuckets(t *testing.T) {
	if BucketLow(0) != 0 || BucketLow(99) != 99 || BucketLow(100) != 100 {
		t.Fatalf("the first buckets are not one second wide: %d %d %d", BucketLow(0), BucketLow(99), BucketLow(100))
	}
	for k := 1; k < DurationBuckets(); k++ {
		lo, prev := BucketLow(k), BucketLow(k-1)
		if lo <= prev || prev >= 100 && float64(lo-prev) > 0.0101*float64(prev) {
			t.Fatalf("bucket %d starts at %d after %d: not growing by at most 1%%", k, lo, prev)
		}
		if DurationBucket(lo) != k || DurationBucket(lo-1) != k-1 {
			t.Fatalf("DurationBucket around %d = %d, %d; want %d, %d", lo, DurationBucket(lo-1), DurationBucket(lo), k-1, k)
		}
	}
}

func TestParseReportRange(t *testing.T) {
	now := time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		from, to           string
		wantFrom, wantTo   string
		wantField, wantMsg string
	}{
		{"", "", "2026-10-25", "2026-11-23", "", ""},
		{"2026-11-01", "", "2026-11-01", "2026-11-23", "", ""},
		{"", "2026-06-30", "2026-06-01", "2026-06-30", "", ""},
		{"2026-11-23", "2026-11-23", "2026-11-23", "2026-11-23", "", ""},
		{" 2025-11-23 ", "2026-11-23", "2025-11-23", "2026-11-23", "", ""},
		{"2025-11-22", "2026-11-23", "", "", "from", "at most 366 days"},
		{"2026-11-30", "2026-11-01", "", "", "from", "after the end date"},
		{"23/11/2026", "", "", "", "from", "written like 2026-11-23"},
		{"", "2026-02-30", "", "", "to", "written like 2026-11-23"},
		{"1999-12-31", "2000-01-01", "", "", "from", "written like"},
		{"yesterday", "tomorrow", "", "", "from", "written like"},
	}
	for _, tc := range tests {
		t.Run(tc.from+"_"+tc.to, func(t *testing.T) {
			got, err := ParseReportRange(tc.from, tc.to, now, nil)
			if tc.wantField != "" {
				fs := ErrorFields(err)
				if ErrorCode(err) != EINVALID || len(fs) == 0 || fs[0].Field != tc.wantField || !strings.Contains(fs[0].Message, tc.wantMsg) {
					t.Fatalf("err=%v, want %s on %s mentioning %q", err, EINVALID, tc.wantField, tc.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.From.Equal(day(tc.wantFrom)) || !got.To.Equal(day(tc.wantTo)) {
				t.Fatalf("range=%s, want %s to %s", got, tc.wantFrom, tc.wantTo)
			}
		})
	}
}

// TestReportRangeZone: the days of a range are the site zone's. Today is
// the zone's date, and a range's first and last moments are its
// midnights, whatever the clocks do: 23- and 25-hour days in Los Angeles,
// a day that starts at 01:00 in Santiago (clocks go from 00:00 to 01:00),
// half-hour offsets.
func TestReportRangeZone(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	// 19:00 on Sunday 22 November in Los Angeles is Monday in UTC.
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	r, err := ParseReportRange("", "", now, la)
	if err != nil {
		t.Fatal(err)
	}
	if FormatDay(r.To) != "2026-11-22" || r.Zone != la {
		t.Fatalf("today in Los Angeles = %s (%v), want 2026-11-22", FormatDay(r.To), r.Zone)
	}
	tests := []struct {
		zone, from, to string
		start, end     string // RFC 3339, UTC
	}{
		{"UTC", "2026-03-08", "2026-03-08", "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z"},
		{"America/Los_Angeles", "2026-03-08", "2026-03-08", "2026-03-08T08:00:00Z", "2026-03-09T07:00:00Z"}, // 23 hours
		{"America/Los_Angeles", "2026-11-01", "2026-11-01", "2026-11-01T07:00:00Z", "2026-11-02T08:00:00Z"}, // 25 hours
		{"America/Los_Angeles", "2026-10-01", "2026-10-31", "2026-10-01T07:00:00Z", "2026-11-01T07:00:00Z"},
		{"America/Santiago", "2026-09-06", "2026-09-06", "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z"}, // starts 01:00
		{"Asia/Kolkata", "2026-01-01", "2026-01-01", "2025-12-31T18:30:00Z", "2026-01-01T18:30:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.zone+"_"+tc.from, func(t *testing.T) {
			r, err := ParseReportRange(tc.from, tc.to, now, mustZone(t, tc.zone))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Start().Format(time.RFC3339); got != tc.start {
				t.Errorf("Start=%s, want %s", got, tc.start)
			}
			if got := r.End().Format(time.RFC3339); got != tc.end {
				t.Errorf("End=%s, want %s", got, tc.end)
			}
		})
	}
	// Every midnight of a few years: the first instant of its local date.
	for _, name := range []string{"America/Los_Angeles", "America/Santiago", "Europe/London", "Australia/Lord_Howe", "Pacific/Apia", "America/Havana"} {
		r := ReportRange{Zone: mustZone(t, name)}
		for d := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
			m := r.Midnight(d)
			if got := m.In(r.Zone).Format(dateLayout); got != FormatDay(d) && !skippedDay(r.Zone, d) {
				t.Fatalf("%s: Midnight(%s) = %s, local date %s", name, FormatDay(d), m, got)
			}
			if before := m.Add(-time.Second).In(r.Zone); !before.Before(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, r.Zone)) && before.Format(dateLayout) >= FormatDay(d) {
				t.Fatalf("%s: Midnight(%s) = %s, but a second earlier is already %s", name, FormatDay(d), m, before)
			}
		}
	}
}

// skippedDay reports whether the zone skipped day d altogether (Samoa
// crossed the date line at the end of 2011).
func skippedDay(loc *time.Location, d time.Time) bool {
	return loc.String() == "Pacific/Apia" && FormatDay(d) == "2011-12-30"
}

// TestZonePeriods: the periods give every instant from 1970 to 2100 the
// offset the time package gives it, DST changes included.
func TestZonePeriods(t *testing.T) {
	r := rand.New(rand.NewPCG(1970, 2100))
	for _, name := range []string{"UTC", "America/Los_Angeles", "Europe/Paris", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago"} {
		loc := mustZone(t, name)
		ps := ZonePeriods(loc)
		if ps[0].Start != ZoneFirstStart || name == "UTC" && len(ps) != 1 || name == "America/Los_Angeles" && len(ps) < 200 {
			t.Fatalf("%s: %d periods starting %+v", name, len(ps), ps[0])
		}
		offset := func(u int64) int {
			i := sort.Search(len(ps), func(i int) bool { return ps[i].Start > u }) - 1
			return ps[i].Offset
		}
		instants := []int64{-86400 * 365, 0}
		for _, p := range ps[1:] {
			instants = append(instants, p.Start-1, p.Start) // both sides of each change
		}
		for i := 0; i < 20000; i++ {
			instants = append(instants, r.Int64N(zonePeriodsUntil.Unix()))
		}
		for _, u := range instants {
			if _, want := time.Unix(u, 0).In(loc).Zone(); offset(u) != want {
				t.Fatalf("%s: offset at %s = %d, want %d", name, time.Unix(u, 0).UTC(), offset(u), want)
			}
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestReportShares(t *testing.T) {
	c := CSATStat{Scores: [5]int{1, 1, 0, 3, 5}}
	if avg, _ := c.Average(); math.Abs(avg-(1+2+12+25)/10.0) > 1e-9 {
		t.Fatalf("Average=%v", avg)
	}
	if s, _ := c.Satisfied(); s != 80 {
		t.Fatalf("Satisfied=%v, want 80", s)
	}
	if _, ok := (CSATStat{}).Average(); ok {
		t.Fatal("an average without answers")
	}
	if a, ok := (SLAStat{Met: 3, Breached: 1}).Attainment(); !ok || a != 75 {
		t.Fatalf("Attainment=%v %v, want 75", a, ok)
	}
	if _, ok := (SLAStat{}).Attainment(); ok {
		t.Fatal("attainment without decided targets")
	}
	r := &Report{Created: 8, Reopened: 2}
	if x, _ := r.ReopenRate(); x != 25 {
		t.Fatalf("ReopenRate=%v, want 25", x)
	}
}
