package sla

import (
	"time"

	"github.com/rapportdesk/rapport/internal/bizhours"
)

// maxReminderDays bounds how far back ReminderAt looks for business days:
// a calendar open a few days a year is not worth a reminder.
const maxReminderDays = 60

// ReminderAt is when a requester waiting on a third party is told the
// expected date is near: the opening of the business day n business days
// before the day of until (in the calendar's zone), so the reminder
// arrives when the desk is there to answer. False when no such day is
// found within maxReminderDays.
func ReminderAt(cal *bizhours.Calendar, until time.Time, n int) (time.Time, bool) {
	loc := cal.Location()
	y, m, d := until.In(loc).Date()
	found := 0
	for k := 1; k <= maxReminderDays; k++ {
		start := time.Date(y, m, d-k, 0, 0, 0, 0, loc)
		open, err := cal.NextOpen(start)
		if err != nil {
			return time.Time{}, false
		}
		oy, om, od := open.In(loc).Date()
		if oy != start.Year() || om != start.Month() || od != start.Day() {
			continue // closed all day: not a business day
		}
		if found++; found == n {
			return open, true
		}
	}
	return time.Time{}, false
}
