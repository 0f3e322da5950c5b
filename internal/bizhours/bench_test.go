package bizhours

import (
	"testing"
	"time"
)

// ukCalendar is a London office with a lunch hour, England's bank holidays
// for 2025-2027 and Christmas Eve afternoons off.
func ukCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	var hs []Holiday
	for _, d := range []string{
		"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
		"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
		"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
	} {
		hs = append(hs, Holiday{Name: "Bank holiday", Date: d})
	}
	for _, d := range []string{"2025-12-24", "2026-12-24", "2027-12-24"} {
		hs = append(hs, Holiday{Name: "Christmas Eve", Date: d, From: "12:30"})
	}
	hours := append(weekdays("09:00", "12:30"), weekdays("13:30", "17:30")...)
	return mustCal(tb, Config{TimeZone: "Europe/London", Hours: hours, Holidays: hs})
}

// BenchmarkAddMonth adds a month of business time (21 days of 7.5 hours)
// across Christmas, bank holidays and a DST change.
func BenchmarkAddMonth(b *testing.B) {
	c := ukCalendar(b)
	starts := []time.Time{
		at(b, "Europe/London", "2026-12-14 10:15"),
		at(b, "Europe/London", "2026-03-16 16:00"),
		at(b, "UTC", "2026-10-12 08:00"),
	}
	d := 21 * 450 * time.Minute
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.Add(starts[i%len(starts)], d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBetweenMonth measures the business time over one calendar month
// with holidays.
func BenchmarkBetweenMonth(b *testing.B) {
	c := ukCalendar(b)
	from, to := at(b, "Europe/London", "2026-12-07 10:15"), at(b, "Europe/London", "2027-01-07 10:15")
	b.ReportAllocs()
	for b.Loop() {
		c.Between(from, to)
	}
}

// BenchmarkTrack is what an SLA timer costs: a clock paused twice, with a
// due time and the elapsed time worked out.
func BenchmarkTrack(b *testing.B) {
	c := ukCalendar(b)
	l := func(s string) time.Time { return at(b, "Europe/London", s) }
	runs := []Span{
		{Start: l("2026-12-14 10:15"), End: l("2026-12-15 11:00")},
		{Start: l("2026-12-16 09:30"), End: l("2026-12-18 16:00")},
		{Start: l("2026-12-22 10:00")},
	}
	now := l("2026-12-29 12:00")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Track(runs, 40*time.Hour, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIsOpen(b *testing.B) {
	c := ukCalendar(b)
	t := at(b, "Europe/London", "2026-12-24 11:00")
	for b.Loop() {
		c.IsOpen(t)
	}
}
