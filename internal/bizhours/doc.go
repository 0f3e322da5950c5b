// Package bizhours does business-time arithmetic: how much office time lies
// between two instants, when a given amount of it will have passed, and how
// far a pausable SLA clock has run. It is pure (no clock, no store, no
// globals) so that SLA timers can be computed the same on every node.
//
// A Calendar is built by New from a Config: an IANA time zone, weekly
// office hours (several stretches a day, none, or overnight shifts ending
// the next day), holidays (whole days, part of a day, or any span, entered
// by hand or read from an iCalendar file with ParseICS) and on-call
// periods. Two sites are two Calendars; nothing is shared between them.
//
// # Behaviour at the edges
//
//   - Open time is half-open: the office is open at its opening time and
//     closed at its closing time. IsOpen(17:00) is false for 09:00-17:00.
//   - Add(start, d) is the earliest instant at which d of business time has
//     passed, so a deadline reached at closing time is that closing time,
//     not the next morning: Add(16:00, 1h) is 17:00 the same day. Add(start,
//     0) is start, open or not. Between(a, Add(a, d)) == d always.
//   - A start outside office hours, or inside a holiday, counts from the
//     next opening: Add(Saturday 10:00, 1h) is Monday 10:00 for weekday
//     hours 09:00-17:00.
//   - Office hours and whole-day holidays are wall-clock times in the
//     calendar's zone, whatever zone the caller's instants are in; returned
//     instants are in the calendar's zone (compare them with Equal).
//   - Clocks going forward: a wall time that does not exist means the
//     instant the clocks jump, so a stretch losing the skipped hour is an
//     hour shorter. Clocks going back: a wall time that happens twice means
//     its first occurrence, so a stretch across the repeated hour is an
//     hour longer (a night shift of 22:00-06:00 is nine hours that night).
//   - A whole-day holiday closes the local day from midnight to midnight,
//     including the part of a night shift that runs into it.
//   - A stretch ending at 24:00 and one starting at 00:00 the next day join
//     without a gap.
//   - A calendar with no office hours is refused by New; arithmetic on one
//     answers ErrNeverOpen rather than search for ever. Arithmetic looks at
//     most 100 years ahead (ErrTooFar) and works on instants between 1900
//     and 2999 (ErrOutOfRange; Between clamps to that range instead).
//   - Work is done a civil day at a time (each day's stretches, less the
//     holidays that touch them) and a holiday covering a midnight is jumped
//     over whole, so weeks or months of business time take as many steps
//     as days, never one per minute.
//   - Precision is the nanosecond; nothing is rounded.
package bizhours
