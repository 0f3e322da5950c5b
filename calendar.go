package rapport

import "time"

// A business-hours calendar says when the help desk is open: SLA clocks
// count only that time. internal/bizhours checks and compiles a
// CalendarConfig and does the arithmetic; these are the values as people
// enter them and as they are stored.

// CalendarConfig is a calendar's time zone, weekly office hours, holidays
// and on-call periods, as plain values.
type CalendarConfig struct {
	// TimeZone is the IANA name of the zone the office hours and whole-day
	// holidays are read in, like "Europe/London".
	TimeZone string `json:"time_zone"`
	// Hours are the weekly office hours; a day may have several stretches or
	// none.
	Hours []OfficeHours `json:"hours"`
	// Holidays close the office for whole days, part of a day, or any span.
	Holidays []Holiday `json:"holidays,omitempty"`
	// OnCall are the periods in which someone is on call.
	OnCall []Span `json:"on_call,omitempty"`
}

// OfficeHours is one stretch of office hours on a day of the week.
type OfficeHours struct {
	// Day is the day of the week the stretch starts on: "monday" to
	// "sunday" (any case; "mon" to "sun" too).
	Day string `json:"day"`
	// From is the opening time, "HH:MM" on a 24-hour clock.
	From string `json:"from"`
	// To is the closing time: "24:00" is the midnight ending the day, and a
	// time earlier than From is an overnight shift closing the next day.
	To string `json:"to"`
}

// Holiday closes the office. It takes one of three forms:
//   - whole days: Date, and Until for several days (both "YYYY-MM-DD",
//     inclusive, in the calendar's zone);
//   - part of a day: Date with From and/or To ("HH:MM"; an empty From is the
//     start of the day, an empty To its end);
//   - any span: Start and End, instants in any zone (imported timed events).
type Holiday struct {
	Name  string    `json:"name,omitempty"`
	Date  string    `json:"date,omitempty"`
	Until string    `json:"until,omitempty"`
	From  string    `json:"from,omitempty"`
	To    string    `json:"to,omitempty"`
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
}

// Span is the half-open interval [Start, End) between two instants.
type Span struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Contains reports whether t lies in the span: at or after Start and
// before End.
func (s Span) Contains(t time.Time) bool {
	return !t.Before(s.Start) && t.Before(s.End)
}
