package bizhours

import "time"

// Civil days are counted from 1970-01-01 (day 0), proleptic Gregorian, so a
// day is an integer and "the next day" is +1 whatever the zone does.

const (
	secondsPerDay  = 86400
	minutesPerDay  = 1440
	epochWeekday   = time.Thursday // 1970-01-01
	zoneSearchSpan = 15 * 3600     // offsets lie within -12h..+14h
)

// dayNumber returns the civil day number of a date.
func dayNumber(y int, m time.Month, d int) int64 {
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay)
}

// dayDate returns the date of a civil day number.
func dayDate(n int64) (int, time.Month, int) {
	return time.Unix(n*secondsPerDay, 0).UTC().Date()
}

// dayWeekday returns the day of the week of a civil day number.
func dayWeekday(n int64) time.Weekday {
	return time.Weekday((int64(epochWeekday) + n%7 + 7) % 7)
}

// localDay returns the civil day on which t falls in loc.
func localDay(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	return dayNumber(y, m, d)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// wallInstant turns a wall-clock reading (civil day, minutes after its
// midnight; minutes may exceed a day) in loc into an instant, the same way
// every time:
//   - a reading that happens once is that instant;
//   - a reading that happens twice (clocks go back) is its first occurrence;
//   - a reading that never happens (clocks go forward) is the instant the
//     clocks jump, so an interval loses exactly the skipped time.
//
// The mapping never decreases as the reading grows, so intervals in wall
// time stay ordered and disjoint as instants.
func wallInstant(loc *time.Location, day int64, minute int) time.Time {
	day += int64(minute / minutesPerDay)
	minute %= minutesPerDay
	w := day*secondsPerDay + int64(minute)*60 // the reading, as seconds "in UTC"

	// Walk the zone's periods that can contain an instant showing w: every
	// such instant lies within w-14h..w+12h.
	t := time.Unix(w-zoneSearchSpan, 0).In(loc)
	for {
		_, off := t.Zone()
		start, end := t.ZoneBounds()
		u := w - int64(off)
		if (start.IsZero() || u >= start.Unix()) && (end.IsZero() || u < end.Unix()) {
			return time.Unix(u, 0).In(loc)
		}
		if end.IsZero() || end.Unix() > w+zoneSearchSpan {
			// Not found in the window: cannot happen with real zone data,
			// but answer something monotone rather than loop.
			return time.Unix(u, 0).In(loc)
		}
		next := end.In(loc)
		_, off2 := next.Zone()
		e := end.Unix()
		if off2 > off && e+int64(off) <= w && w < e+int64(off2) {
			return next // w falls in the gap the clocks jump over
		}
		t = next
	}
}
