package bizhours

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rapportdesk/rapport"
)

func importWindow() ImportOptions {
	return ImportOptions{
		TimeZone: "Europe/London",
		From:     time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		To:       time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func TestParseICS(t *testing.T) {
	f, err := os.Open("testdata/holidays.ics")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseICS(f, importWindow())
	if err != nil {
		t.Fatalf("ParseICS: %v", err)
	}
	ldn := func(s string) time.Time { return at(t, "Europe/London", s) }
	ny := func(s string) time.Time { return at(t, "America/New_York", s) }
	want := []Holiday{
		{Name: "Christmas Day", Date: "2026-12-25"}, // 2027 is excluded by EXDATE
		{Name: "Boxing Day", Date: "2026-12-28"},
		{Name: "Summer shutdown", Date: "2027-08-02", Until: "2027-08-06"},
		{Name: "Christmas Eve afternoon", Start: ldn("2026-12-24 12:00"), End: ldn("2026-12-24 17:00")},
		{Name: "Staff party (UTC)", Start: at(t, "UTC", "2026-12-18 15:00"), End: at(t, "UTC", "2026-12-18 17:00")},
		{Name: "Training morning", Start: ldn("2026-11-20 09:00"), End: ldn("2026-11-20 12:00")}, // floating: the calendar's zone
		{Name: "Monthly maintenance", Start: ny("2026-11-06 16:00"), End: ny("2026-11-06 18:00")},
		// 2026-12-04 is replaced by the RECURRENCE-ID event below.
		{Name: "Monthly maintenance", Start: ny("2027-01-01 16:00"), End: ny("2027-01-01 18:00")},
		{Name: "Monthly maintenance (moved)", Start: ny("2026-12-11 16:00"), End: ny("2026-12-11 18:00")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("holidays (-want +got):\n%s", diff)
	}

	// The holidays make a valid calendar that closes on them.
	c := mustCal(t, Config{TimeZone: "Europe/London", Hours: weekdays("09:00", "17:00"), Holidays: got})
	for _, tc := range []struct {
		t    time.Time
		open bool
	}{
		{ldn("2026-12-25 10:00"), false},
		{ldn("2026-12-24 11:00"), true},
		{ldn("2026-12-24 13:00"), false},
		{ldn("2027-08-06 16:00"), false},
		{ldn("2027-08-09 09:00"), true},
		{ldn("2027-12-24 10:00"), true},
		{ldn("2026-11-20 10:00"), false},
		{ldn("2026-12-18 15:30"), false},
	} {
		if c.IsOpen(tc.t) != tc.open {
			t.Errorf("IsOpen(%s)=%v, want %v", tc.t, !tc.open, tc.open)
		}
	}
}

func TestParseICSErrors(t *testing.T) {
	wrap := func(events string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n" + events + "END:VCALENDAR\r\n"
	}
	event := func(props string) string {
		return "BEGIN:VEVENT\r\nUID:1@x\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Bad one\r\n" + props + "END:VEVENT\r\n"
	}
	daily := event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=DAILY\r\n")
	tests := []struct {
		name  string
		file  string
		max   int64
		code  string
		says  string
		until time.Time
	}{
		{"not a calendar", "hello, world\r\n", 0, rapport.EINVALID, "not an iCalendar (.ics) file", time.Time{}},
		{"empty", "", 0, rapport.EINVALID, "not an iCalendar", time.Time{}},
		{"cut short", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\n", 0, rapport.EINVALID, "ends before the calendar does", time.Time{}},
		{"too large", wrap(event("DTSTART;VALUE=DATE:20261225\r\n")), 64, rapport.ETOOLARGE, "larger than 64 bytes", time.Time{}},
		{"no start", wrap(event("DTEND;VALUE=DATE:20261225\r\n")), 0, rapport.EINVALID, `"Bad one" has no start`, time.Time{}},
		{"bad start", wrap(event("DTSTART:2026-12-25\r\n")), 0, rapport.EINVALID, "start we cannot read", time.Time{}},
		{"unknown zone", wrap(event("DTSTART;TZID=W. Europe Standard Time:20261225T090000\r\nDURATION:PT1H\r\n")), 0, rapport.EINVALID, "zone names like Europe/London", time.Time{}},
		{"ends before start", wrap(event("DTSTART:20261225T090000Z\r\nDTEND:20261225T080000Z\r\n")), 0, rapport.EINVALID, "ends before it starts", time.Time{}},
		{"date and date-time mixed", wrap(event("DTSTART;VALUE=DATE:20261225\r\nDTEND:20261226T000000Z\r\n")), 0, rapport.EINVALID, "mixes", time.Time{}},
		{"hourly", wrap(event("DTSTART:20261225T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=HOURLY\r\n")), 0, rapport.EINVALID, "more often than daily", time.Time{}},
		{"bad rule", wrap(event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=SOMETIMES\r\n")), 0, rapport.EINVALID, "(RRULE) we cannot read", time.Time{}},
		{"too many", wrap(daily), 0, rapport.EINVALID, "more than 10000 holidays", time.Date(2060, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"window too long", wrap(daily), 0, rapport.EINVALID, "at most 50 years", time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"outside the years", wrap(event("DTSTART;VALUE=DATE:18001225\r\n")), 0, rapport.EINVALID, "outside the years", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := importWindow()
			opt.MaxBytes = tc.max
			if !tc.until.IsZero() {
				opt.To = tc.until
			}
			got, err := ParseICS(strings.NewReader(tc.file), opt)
			if err == nil {
				t.Fatalf("ParseICS accepted it: %v", got)
			}
			if rapport.ErrorCode(err) != tc.code {
				t.Fatalf("code=%s (%v), want %s", rapport.ErrorCode(err), err, tc.code)
			}
			if msg := rapport.ErrorMessage(err); !strings.Contains(msg, tc.says) {
				t.Fatalf("message %q does not say %q", msg, tc.says)
			}
		})
	}
}

func TestParseICSNeedsWindow(t *testing.T) {
	if _, err := ParseICS(strings.NewReader(""), ImportOptions{}); err == nil {
		t.Fatal("ParseICS ran without a window")
	}
}
