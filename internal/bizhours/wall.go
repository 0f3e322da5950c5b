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
//
// It only asks the zone for offsets at instants (time.Time.Zone), not for
// the bounds of zone periods: time.Time.ZoneBounds misreports period ends
// on the last day of leap years past a zone's last listed transition
// (2040-12-31 in Europe/London; golang/go#81583). It assumes, as
// zone data does, that the offset changes at most once within 30 hours.
func wallInstant(loc *time.Location, day int64, minute int) time.Time {
	day += int64(minute / minutesPerDay)
	minute %= minutesPerDay
	w := day*secondsPerDay + int64(minute)*60 // the reading, as seconds "in UTC"

	// Every instant that shows w lies within w-14h..w+12h, so the offsets
	// in force at the ends of w-15h..w+15h are the only candidates.
	lo, hi := offsetAt(loc, w-zoneSearchSpan), offsetAt(loc, w+zoneSearchSpan)
	if lo == hi {
		return time.Unix(w-lo, 0).In(loc)
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	// The first occurrence wins: w-hi is the earlier instant.
	if offsetAt(loc, w-hi) == hi {
		return time.Unix(w-hi, 0).In(loc)
	}
	if offsetAt(loc, w-lo) == lo {
		return time.Unix(w-lo, 0).In(loc)
	}
	// w falls in a gap: the clocks jump from lo to hi at an instant T with
	// T+lo <= w < T+hi. The offset is lo at w-hi and hi at w-lo.
	a, b := w-hi, w-lo
	for a+1 < b {
		m := a + (b-a)/2
		if offsetAt(loc, m) == hi {
			b = m
		} else {
			a = m
		}
	}
	return time.Unix(b, 0).In(loc)
}

func offsetAt(loc *time.Location, unix int64) int64 {
	_, off := time.Unix(unix, 0).In(loc).Zone()
	return int64(off)
}
