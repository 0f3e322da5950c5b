package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
)

// TestCalendarTextRoundTrip: what the form shows reads back the same.
func TestCalendarTextRoundTrip(t *testing.T) {
	cfg := rapport.CalendarConfig{
		Hours: []rapport.OfficeHours{{Day: "monday", From: "09:00", To: "17:00"}, {Day: "friday", From: "22:00", To: "06:00"}},
		Holidays: []rapport.Holiday{{Date: "2026-12-25", Name: "Christmas Day"}, {Date: "2026-12-28", Until: "2026-12-31", Name: "Closing week"},
			{Date: "2026-12-24", From: "13:00", To: "24:00", Name: "Christmas Eve afternoon"}, {Date: "2026-12-23", To: "10:00"},
			{Start: time.Date(2026, 12, 18, 13, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 18, 17, 0, 0, 0, time.UTC), Name: "Staff party"}},
		OnCall: []rapport.Span{{Start: time.Date(2026, 12, 26, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 27, 0, 0, 0, 0, time.UTC)}},
	}
	var got rapport.CalendarConfig
	var p rapport.Problems
	parseCalendarText(&got, hoursText(cfg.Hours), holidaysText(cfg.Holidays), onCallText(cfg.OnCall), &p)
	if len(p) > 0 {
		t.Fatalf("problems: %v", p)
	}
	if diff := cmp.Diff(cfg, got); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
}

func TestCalendarTextProblems(t *testing.T) {
	tests := []struct {
		name                    string
		hours, holidays, onCall string
		want                    []string // field: start of message
	}{
		{"hours without times", "monday\n\nfriday 09:00-17:00", "", "", []string{"hours: Line 1 (\"monday\")"}},
		{"holiday without a date", "", "Christmas 2026-12-25", "", []string{"holidays: Line 1"}},
		{"on call with a name", "", "", "2026-12-26T00:00:00Z/2026-12-27T00:00:00Z Bob", []string{"on_call: Line 1"}},
		{"fine", "mon 9:00-17:00", "2026-01-01", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cfg rapport.CalendarConfig
			var p rapport.Problems
			parseCalendarText(&cfg, tc.hours, tc.holidays, tc.onCall, &p)
			var got []string
			for _, f := range p {
				got = append(got, f.Field+": "+f.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Fatalf("problem %q, want it to start %q", got[i], tc.want[i])
				}
			}
		})
	}
	lp := lineProblems([]rapport.FieldError{{Field: "hours[1].from", Message: "bad"}, {Field: "name", Message: "x"}}, map[string][]int{"hours": {1, 3}})
	if lp[0].Field != "hours" || lp[0].Message != "Line 3: bad" || lp[1].Field != "name" {
		t.Fatalf("lineProblems = %v", lp)
	}
}
