package bizhours

import (
	"testing"
	"time"
)

// at reads "2006-01-02 15:04" (or with seconds) as a wall time in zone,
// failing the test on a time that does not exist there.
func at(tb testing.TB, zone, s string) time.Time {
	tb.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		tb.Fatal(err)
	}
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout = "2006-01-02 15:04:05"
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	if t.Format(layout) != s {
		tb.Fatalf("%s does not exist in %s", s, zone)
	}
	return t
}

// weekdays returns office hours from..to on Monday to Friday.
func weekdays(from, to string) []Hours {
	var h []Hours
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		h = append(h, Hours{Day: d, From: from, To: to})
	}
	return h
}

// everyDay returns office hours from..to on all seven days.
func everyDay(from, to string) []Hours {
	h := weekdays(from, to)
	return append(h, Hours{Day: "saturday", From: from, To: to}, Hours{Day: "sunday", From: from, To: to})
}

func mustCal(tb testing.TB, cfg Config) *Calendar {
	tb.Helper()
	c, err := New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return c
}
