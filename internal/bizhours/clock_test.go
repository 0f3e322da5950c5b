package bizhours

import (
	"errors"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	c := testCalendars(t)["london-xmas"]
	l := func(s string) time.Time { return at(t, "Europe/London", s) }
	run := func(a, b string) Span {
		s := Span{Start: l(a)}
		if b != "" {
			s.End = l(b)
		}
		return s
	}
	tests := []struct {
		name     string
		runs     []Span
		target   time.Duration
		now      string
		elapsed  time.Duration
		running  bool
		due      string // "" when there is no due time
		breached bool
	}{
		{"running, not due yet", []Span{run("2026-11-23 10:00", "")}, 4 * time.Hour,
			"2026-11-23 12:00", 2 * time.Hour, true, "2026-11-23 14:00", false},
		{"due overnight moves to the morning", []Span{run("2026-11-23 16:00", "")}, 2 * time.Hour,
			"2026-11-23 18:00", time.Hour, true, "2026-11-24 10:00", false},
		{"waiting on the requester stops the clock", []Span{run("2026-11-23 10:00", "2026-11-23 11:00")}, 4 * time.Hour,
			"2026-11-25 12:00", time.Hour, false, "", false},
		{"their reply restarts it", []Span{run("2026-11-23 10:00", "2026-11-23 11:00"), run("2026-11-25 12:00", "")}, 4 * time.Hour,
			"2026-11-25 13:00", 2 * time.Hour, true, "2026-11-25 15:00", false},
		{"breached after the due time", []Span{run("2026-11-23 10:00", "")}, time.Hour,
			"2026-11-23 11:00:01", time.Hour + time.Second, true, "2026-11-23 11:00", true},
		{"exactly at due is not breached", []Span{run("2026-11-23 10:00", "")}, time.Hour,
			"2026-11-23 11:00", time.Hour, true, "2026-11-23 11:00", false},
		{"due at closing, breached that evening", []Span{run("2026-11-23 16:00", "")}, time.Hour,
			"2026-11-23 18:00", time.Hour, true, "2026-11-23 17:00", true},
		{"breached then paused keeps its due time", []Span{run("2026-11-23 10:00", "2026-11-23 15:00")}, time.Hour,
			"2026-11-24 10:00", 5 * time.Hour, false, "2026-11-23 11:00", true},
		{"overlapping runs count once", []Span{run("2026-11-23 10:00", "2026-11-23 12:00"), run("2026-11-23 11:00", "2026-11-23 13:00")}, 8 * time.Hour,
			"2026-11-23 14:00", 3 * time.Hour, false, "", false},
		{"runs out of order", []Span{run("2026-11-24 10:00", ""), run("2026-11-23 10:00", "2026-11-23 11:00")}, 3 * time.Hour,
			"2026-11-24 11:00", 2 * time.Hour, true, "2026-11-24 12:00", false},
		{"a holiday does not count", []Span{run("2026-12-24 10:00", "")}, 4 * time.Hour,
			"2026-12-28 12:00", 2 * time.Hour, true, "2026-12-29 11:00", false},
		{"nothing after now counts", []Span{run("2026-11-23 10:00", "2026-11-23 16:00")}, 8 * time.Hour,
			"2026-11-23 12:00", 2 * time.Hour, true, "", false},
		{"no runs", nil, time.Hour, "2026-11-23 12:00", 0, false, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := c.Track(tc.runs, tc.target, l(tc.now))
			if err != nil {
				t.Fatal(err)
			}
			if p.Elapsed != tc.elapsed || p.Remaining != tc.target-tc.elapsed {
				t.Errorf("Elapsed=%v Remaining=%v, want %v and %v", p.Elapsed, p.Remaining, tc.elapsed, tc.target-tc.elapsed)
			}
			if p.Running != tc.running {
				t.Errorf("Running=%v, want %v", p.Running, tc.running)
			}
			if tc.due == "" && !p.Due.IsZero() {
				t.Errorf("Due=%s, want none", p.Due)
			}
			if tc.due != "" && !p.Due.Equal(l(tc.due)) {
				t.Errorf("Due=%s, want %s", p.Due, tc.due)
			}
			if p.Breached != tc.breached {
				t.Errorf("Breached=%v, want %v", p.Breached, tc.breached)
			}
		})
	}
}

func TestClockBadRuns(t *testing.T) {
	c := testCalendars(t)["london"]
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for name, runs := range map[string][]Span{
		"no start":  {{End: now}},
		"backwards": {{Start: now, End: now.Add(-time.Hour)}},
	} {
		if _, err := c.Elapsed(runs, now); !errors.Is(err, ErrBadRun) {
			t.Errorf("%s: Elapsed err=%v, want ErrBadRun", name, err)
		}
		if _, _, err := c.Due(runs, time.Hour); !errors.Is(err, ErrBadRun) {
			t.Errorf("%s: Due err=%v, want ErrBadRun", name, err)
		}
	}
	if _, _, err := c.Due([]Span{{Start: now}}, -time.Hour); !errors.Is(err, ErrNegative) {
		t.Errorf("Due(-1h) err=%v, want ErrNegative", err)
	}
}
