package bizhours

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

func TestNewValidation(t *testing.T) {
	ok := weekdays("09:00", "17:00")
	t0 := time.Date(2026, 12, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		cfg   Config
		field string // "" means valid
		says  string // part of the message
	}{
		{"valid", Config{TimeZone: "Europe/London", Hours: ok}, "", ""},
		{"valid with abbreviations and case", Config{TimeZone: "UTC", Hours: []Hours{{Day: "Mon", From: "8:00", To: "24:00"}}}, "", ""},
		{"missing zone", Config{Hours: ok}, "time_zone", "Choose the time zone"},
		{"unknown zone", Config{TimeZone: "Europe/Londn", Hours: ok}, "time_zone", "not a time zone we know"},
		{"Local zone", Config{TimeZone: "Local", Hours: ok}, "time_zone", "depend on the server"},
		{"no hours", Config{TimeZone: "UTC"}, "hours", "00:00 to 24:00"},
		{"bad day", Config{TimeZone: "UTC", Hours: []Hours{{Day: "Mun", From: "09:00", To: "17:00"}}}, "hours[0].day", "not a day of the week"},
		{"bad from", Config{TimeZone: "UTC", Hours: []Hours{{Day: "monday", From: "9am", To: "17:00"}}}, "hours[0].from", "not a time of day"},
		{"24:00 is no opening time", Config{TimeZone: "UTC", Hours: []Hours{{Day: "monday", From: "24:00", To: "17:00"}}}, "hours[0].from", "not a time of day"},
		{"bad minutes", Config{TimeZone: "UTC", Hours: []Hours{{Day: "monday", From: "09:00", To: "17:60"}}}, "hours[0].to", "not a time of day"},
		{"same open and close", Config{TimeZone: "UTC", Hours: []Hours{{Day: "monday", From: "09:00", To: "09:00"}}}, "hours[0].to", "same time"},
		{"overlap in a day", Config{TimeZone: "UTC", Hours: []Hours{{Day: "monday", From: "08:00", To: "12:00"}, {Day: "monday", From: "11:00", To: "14:00"}}}, "hours[1]", "overlaps"},
		{"night shift into the next day's hours", Config{TimeZone: "UTC", Hours: []Hours{{Day: "sunday", From: "22:00", To: "08:00"}, {Day: "monday", From: "07:00", To: "17:00"}}}, "hours[0]", "runs into Monday"},
		{"night shift up to the next day's opening", Config{TimeZone: "UTC", Hours: []Hours{{Day: "sunday", From: "22:00", To: "08:00"}, {Day: "monday", From: "08:00", To: "17:00"}}}, "", ""},
		{"holiday without date", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Name: "x"}}}, "holidays[0].date", "Give the date"},
		{"holiday bad date", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Date: "25/12/2026"}}}, "holidays[0].date", "like 2026-12-25"},
		{"holiday after 2999", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Date: "3026-12-25"}}}, "holidays[0].date", "not a date we can use"},
		{"holiday until before date", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Date: "2026-12-25", Until: "2026-12-24"}}}, "holidays[0].until", "cannot come before"},
		{"holiday until with times", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Date: "2026-12-24", Until: "2026-12-25", From: "12:00"}}}, "holidays[0].until", "part of a day"},
		{"holiday ends before it starts", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Date: "2026-12-24", From: "14:00", To: "12:00"}}}, "holidays[0].to", "end after it starts"},
		{"holiday both forms", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Date: "2026-12-24", Start: t0, End: t0.Add(time.Hour)}}}, "holidays[0]", "not both"},
		{"timed holiday without end", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Start: t0}}}, "holidays[0].end", "ends"},
		{"timed holiday backwards", Config{TimeZone: "UTC", Hours: ok, Holidays: []Holiday{{Start: t0, End: t0.Add(-time.Hour)}}}, "holidays[0].end", "end after it starts"},
		{"on-call without start", Config{TimeZone: "UTC", Hours: ok, OnCall: []Span{{End: t0}}}, "on_call[0].start", "starts"},
		{"on-call backwards", Config{TimeZone: "UTC", Hours: ok, OnCall: []Span{{Start: t0, End: t0}}}, "on_call[0].end", "end after it starts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if rapport.ErrorCode(err) != rapport.EINVALID {
				t.Fatalf("err=%v, want EINVALID", err)
			}
			for _, f := range rapport.ErrorFields(err) {
				if f.Field == tc.field {
					if !strings.Contains(f.Message, tc.says) {
						t.Errorf("%s: %q does not say %q", f.Field, f.Message, tc.says)
					}
					return
				}
			}
			t.Fatalf("no problem with %s in %v", tc.field, err)
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	_, err := New(Config{TimeZone: "Nowhere/City", Hours: []Hours{{Day: "x", From: "y", To: "z"}}})
	fields := map[string]bool{}
	for _, f := range rapport.ErrorFields(err) {
		fields[f.Field] = true
	}
	for _, want := range []string{"time_zone", "hours[0].day", "hours[0].from", "hours[0].to"} {
		if !fields[want] {
			t.Errorf("no problem reported for %s (got %v)", want, fields)
		}
	}
}

func TestCalendarKeepsItsOwnConfig(t *testing.T) {
	hours := weekdays("09:00", "17:00")
	c := mustCal(t, Config{TimeZone: "UTC", Hours: hours})
	hours[0].From = "00:00"
	if got := c.Config().Hours[0].From; got != "09:00" {
		t.Fatalf("calendar changed with its caller's slice: From=%s", got)
	}
	monday := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	if c.IsOpen(monday) {
		t.Fatal("calendar changed with its caller's slice")
	}
}
