package sla_test

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
	"github.com/rapportdesk/rapport/internal/sla"
)

func TestReminderAt(t *testing.T) {
	paris := bizhours.MustNew(rapport.CalendarConfig{TimeZone: "Europe/Paris",
		Hours:    sla.DefaultCalendar("Europe/Paris", time.Time{}).Config.Hours,
		Holidays: []rapport.Holiday{{Name: "Christmas", Date: "2026-12-25"}}})
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name  string
		cal   *bizhours.Calendar
		until time.Time
		want  time.Time
	}{
		{"Thursday: Tuesday morning", office, at(26, "17:00"), at(24, "09:00")},
		{"Monday: the Thursday before", office, at(30, "12:00"), at(26, "09:00")},
		{"Saturday: Thursday", office, at(28, "12:00"), at(26, "09:00")},
		{"past a holiday, in the calendar's zone", paris, time.Date(2026, 12, 28, 10, 0, 0, 0, cet), time.Date(2026, 12, 23, 9, 0, 0, 0, cet)},
		{"late evening UTC is the next day in Paris", paris, time.Date(2026, 12, 2, 23, 30, 0, 0, time.UTC), time.Date(2026, 12, 1, 9, 0, 0, 0, cet)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := sla.ReminderAt(tc.cal, tc.until, 2)
			if !ok || !got.Equal(tc.want) {
				t.Fatalf("ReminderAt(%s) = %s, %v; want %s", tc.until, got, ok, tc.want)
			}
		})
	}
	rare := bizhours.MustNew(rapport.CalendarConfig{TimeZone: "UTC", Hours: []rapport.OfficeHours{{Day: "monday", From: "09:00", To: "10:00"}},
		Holidays: []rapport.Holiday{{Date: "2026-09-01", Until: "2026-12-31"}}})
	if got, ok := sla.ReminderAt(rare, at(30, "12:00"), 2); ok {
		t.Fatalf("ReminderAt on a calendar closed for months = %s, want none", got)
	}
}
