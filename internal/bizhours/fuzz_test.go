package bizhours

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

// fuzzCalendars covers the shapes the arithmetic must get right: lunch
// breaks, holidays, night shifts, DST in both hemispheres, 30- and
// 45-minute offsets, a 30-minute DST shift and a desk that never closes.
func fuzzCalendars(tb testing.TB) []*Calendar {
	cals := testCalendars(tb)
	var out []*Calendar
	for _, name := range []string{"london-xmas", "london-lunch", "london-night", "london-gap", "weeknights",
		"newyork", "newyork-247", "sydney", "adelaide-247", "lordhowe-247", "kathmandu"} {
		out = append(out, cals[name])
	}
	return append(out, ukCalendar(tb))
}

var fuzzBase = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	fuzzSpan = int64(20 * 366 * 24 * time.Hour) // starts within 2020-2040
	fuzzMaxD = int64(90 * 24 * time.Hour)       // up to 90 days of business time
)

func mod(x, m int64) int64 {
	x %= m
	if x < 0 {
		x += m
	}
	return x
}

// FuzzAdd checks, for any start and amounts: Add never goes backwards,
// Between(a, Add(a, d)) == d, Add is monotonic in d, and Between adds up
// over a split.
func FuzzAdd(f *testing.F) {
	cals := fuzzCalendars(f)
	f.Add(uint8(0), int64(0), int64(time.Hour), int64(2*time.Hour))
	f.Add(uint8(2), int64(7*24*time.Hour), int64(9*time.Hour), int64(time.Minute))
	f.Add(uint8(3), int64(2272*time.Hour), int64(30*time.Minute), int64(90*time.Minute)) // around spring forward 2020
	f.Add(uint8(9), int64(6622*time.Hour), int64(time.Nanosecond), int64(40*24*time.Hour))
	f.Add(uint8(11), int64(time.Hour*24*365*6+time.Hour*24*358), int64(300*time.Hour), int64(17))
	f.Fuzz(func(t *testing.T, which uint8, startOff, d1, d2 int64) {
		c := cals[int(which)%len(cals)]
		start := fuzzBase.Add(time.Duration(mod(startOff, fuzzSpan)))
		a, b := time.Duration(mod(d1, fuzzMaxD)), time.Duration(mod(d2, fuzzMaxD))
		if a > b {
			a, b = b, a
		}
		ta, err := c.Add(start, a)
		if err != nil {
			t.Fatalf("Add(%s, %v): %v", start, a, err)
		}
		tb, err := c.Add(start, b)
		if err != nil {
			t.Fatalf("Add(%s, %v): %v", start, b, err)
		}
		if ta.Before(start) {
			t.Fatalf("Add(%s, %v)=%s went backwards", start, a, ta)
		}
		if tb.Before(ta) {
			t.Fatalf("Add not monotonic: Add(%v)=%s after Add(%v)=%s from %s", a, ta, b, tb, start)
		}
		if got := c.Between(start, ta); got != a {
			t.Fatalf("Between(%s, Add(.., %v)=%s)=%v", start, a, ta, got)
		}
		if got := c.Between(start, tb); got != b {
			t.Fatalf("Between(%s, Add(.., %v)=%s)=%v", start, b, tb, got)
		}
		if got := c.Between(start, ta) + c.Between(ta, tb); got != b {
			t.Fatalf("Between does not add up over %s: %v, want %v", ta, got, b)
		}
		if a > 0 && c.Between(start, ta.Add(-time.Nanosecond)) >= a {
			t.Fatalf("Add(%s, %v)=%s is not the earliest such instant", start, a, ta)
		}
	})
}

// FuzzParseICS checks that no file makes ParseICS panic or return
// holidays that New then refuses for anything but a plain EINVALID.
func FuzzParseICS(f *testing.F) {
	seed, err := os.ReadFile("testdata/holidays.ics")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261225T100000Z\nDURATION:P1D\nEND:VEVENT\nEND:VCALENDAR\n"))
	opt := importWindow()
	opt.MaxBytes = 64 << 10
	f.Fuzz(func(t *testing.T, data []byte) {
		hs, err := ParseICS(bytes.NewReader(data), opt)
		if err != nil {
			if code := rapport.ErrorCode(err); code != rapport.EINVALID && code != rapport.ETOOLARGE {
				t.Fatalf("error code %s: %v", code, err)
			}
			return
		}
		if _, err := New(Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00"), Holidays: hs}); err != nil && rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("New: %v", err)
		}
	})
}

// FuzzTrack checks a paused-and-resumed clock: its due time is exactly the
// first instant at which the elapsed business time reaches the target, and
// elapsed time never decreases as now moves on.
func FuzzTrack(f *testing.F) {
	cals := fuzzCalendars(f)
	f.Add(uint8(0), int64(0), int64(3*time.Hour), int64(26*time.Hour), int64(5*time.Hour), int64(time.Hour), int64(40*time.Hour))
	f.Add(uint8(4), int64(7000*time.Hour), int64(time.Minute), int64(72*time.Hour), int64(16*time.Hour), int64(8*time.Hour), int64(time.Hour))
	f.Fuzz(func(t *testing.T, which uint8, startOff, ran, paused, target, now1, now2 int64) {
		c := cals[int(which)%len(cals)]
		start := fuzzBase.Add(time.Duration(mod(startOff, fuzzSpan)))
		week := int64(7 * 24 * time.Hour)
		pause := start.Add(time.Duration(mod(ran, week)))
		resume := pause.Add(time.Duration(mod(paused, week)))
		runs := []Span{{Start: start, End: pause}, {Start: resume}}
		goal := time.Duration(mod(target, fuzzMaxD/3))

		due, ok, err := c.Due(runs, goal)
		if err != nil || !ok {
			t.Fatalf("Due(%v, %v)=%s,%v,%v; a running clock always gets there", runs, goal, due, ok, err)
		}
		if e, _ := c.Elapsed(runs, due); e != goal {
			t.Fatalf("Elapsed at due %s is %v, want %v", due, e, goal)
		}
		if goal > 0 {
			if e, _ := c.Elapsed(runs, due.Add(-time.Nanosecond)); e >= goal {
				t.Fatalf("target already reached before due %s", due)
			}
		}
		a, b := start.Add(time.Duration(mod(now1, 2*week))), start.Add(time.Duration(mod(now2, 2*week)))
		if b.Before(a) {
			a, b = b, a
		}
		ea, _ := c.Elapsed(runs, a)
		eb, _ := c.Elapsed(runs, b)
		if eb < ea {
			t.Fatalf("Elapsed went down from %v at %s to %v at %s", ea, a, eb, b)
		}
	})
}
