package bizhours

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
)

// Config is a calendar as people enter it and as it is stored: plain text
// values that New checks and compiles (rapport.CalendarConfig).
type Config = rapport.CalendarConfig

// Hours is one stretch of office hours on a day of the week.
type Hours = rapport.OfficeHours

// Holiday closes the office for whole days, part of a day, or any span.
type Holiday = rapport.Holiday

// Span is the half-open interval [Start, End) between two instants.
type Span = rapport.Span

// shift is one stretch of weekly hours in minutes after the midnight that
// starts its day; end may pass 1440 for an overnight shift.
type shift struct{ start, end int }

// closure is a compiled holiday: a span with the name people gave it.
type closure struct {
	Span
	name string
}

// minYear and maxYear bound holiday and on-call dates to years a help desk can mean, so
// arithmetic on them stays far from the limits of time.Time.
const (
	minYear = 1900
	maxYear = 2999
)

// Calendar is a compiled, validated Config. It is immutable and safe for
// concurrent use; two sites are two Calendars.
type Calendar struct {
	cfg      Config
	loc      *time.Location
	week     [7][]shift // by time.Weekday
	weekly   int        // nominal open minutes in a week
	closures []Span     // merged, sorted
	named    []closure  // as entered, sorted by start, for HolidayAt
	onCall   []Span     // merged, sorted
}

// New checks cfg and compiles it into a Calendar. Every problem is reported
// at once, each against its field, in plain language.
func New(cfg Config) (*Calendar, error) {
	var p rapport.Problems
	cfg = clone(cfg)
	c := &Calendar{cfg: cfg}

	name := strings.TrimSpace(cfg.TimeZone)
	switch {
	case name == "":
		p.Add("time_zone", "Choose the time zone the office hours are in, like Europe/London.")
	case name == "Local" || strings.EqualFold(name, "local"):
		p.Add("time_zone", "Name the time zone itself, like Europe/London: \"Local\" would depend on the server.")
	default:
		loc, err := time.LoadLocation(name)
		if err != nil {
			p.Add("time_zone", "%q is not a time zone we know. Use a name like Europe/London or America/New_York.", name)
		} else {
			c.loc = loc
		}
	}

	c.compileHours(&p)
	if c.loc != nil {
		c.compileHolidays(&p)
	}
	c.compileOnCall(&p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// MustNew is New for calendars written in code and tests; it panics on an
// invalid Config.
func MustNew(cfg Config) *Calendar {
	c, err := New(cfg)
	if err != nil {
		panic(err)
	}
	return c
}

// Config returns the configuration the calendar was built from.
func (c *Calendar) Config() Config { return clone(c.cfg) }

// clone copies cfg's lists, so a Calendar never shares them with a caller.
func clone(cfg Config) Config {
	cfg.Hours = slices.Clone(cfg.Hours)
	cfg.Holidays = slices.Clone(cfg.Holidays)
	cfg.OnCall = slices.Clone(cfg.OnCall)
	return cfg
}

// Location returns the calendar's time zone. Instants the calendar returns
// are in it.
func (c *Calendar) Location() *time.Location { return c.loc }

// dayNames reads "monday" and "mon" alike.
var dayNames = func() map[string]time.Weekday {
	m := make(map[string]time.Weekday, 14)
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		m[name], m[name[:3]] = d, d
	}
	return m
}()

// parseClock reads "HH:MM" (24:00 allowed when end is true) as minutes.
func parseClock(s string, end bool) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 {
		return 0, false
	}
	if hh == 24 && mm == 0 && end {
		return minutesPerDay, true
	}
	if hh > 23 {
		return 0, false
	}
	return hh*60 + mm, true
}

func clockString(min int) string {
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

func (c *Calendar) compileHours(p *rapport.Problems) {
	type entry struct {
		shift
		i int
	}
	var byDay [7][]entry
	for i, h := range c.cfg.Hours {
		field := fmt.Sprintf("hours[%d]", i)
		day, ok := dayNames[strings.ToLower(strings.TrimSpace(h.Day))]
		if !ok {
			p.Add(field+".day", "%q is not a day of the week; use Monday to Sunday.", h.Day)
		}
		from, okFrom := parseClock(h.From, false)
		if !okFrom {
			p.Add(field+".from", "%q is not a time of day; write it like 08:30.", h.From)
		}
		to, okTo := parseClock(h.To, true)
		if !okTo {
			p.Add(field+".to", "%q is not a time of day; write it like 17:00, or 24:00 for midnight at the end of the day.", h.To)
		}
		if !ok || !okFrom || !okTo {
			continue
		}
		if to == from {
			p.Add(field+".to", "The office cannot open and close at the same time (%s). For a whole day, use 00:00 to 24:00.", clockString(from))
			continue
		}
		if to < from {
			to += minutesPerDay // overnight: closes the next day
		}
		byDay[day] = append(byDay[day], entry{shift{from, to}, i})
	}
	for d := range byDay {
		slices.SortFunc(byDay[d], func(a, b entry) int { return a.start - b.start })
		for k := 1; k < len(byDay[d]); k++ {
			prev, cur := byDay[d][k-1], byDay[d][k]
			if cur.start < prev.end {
				p.Add(fmt.Sprintf("hours[%d]", cur.i), "%s %s–%s overlaps %s–%s on the same day; join them or shorten one.",
					time.Weekday(d), clockString(cur.start), clockString(cur.end%minutesPerDay),
					clockString(prev.start), clockString(prev.end%minutesPerDay))
			}
		}
	}
	// An overnight shift must end before the next day's first stretch opens.
	for d := range byDay {
		n := len(byDay[d])
		if n == 0 {
			continue
		}
		last := byDay[d][n-1]
		next := byDay[(d+1)%7]
		if last.end > minutesPerDay && len(next) > 0 && next[0].start < last.end-minutesPerDay {
			p.Add(fmt.Sprintf("hours[%d]", last.i), "%s's overnight stretch %s–%s runs into %s's %s–%s; join them or shorten one.",
				time.Weekday(d), clockString(last.start), clockString(last.end-minutesPerDay),
				time.Weekday((d+1)%7), clockString(next[0].start), clockString(next[0].end%minutesPerDay))
		}
	}
	for d := range byDay {
		for _, e := range byDay[d] {
			c.week[d] = append(c.week[d], e.shift)
			c.weekly += e.end - e.start
		}
	}
	if len(c.cfg.Hours) == 0 {
		p.Add("hours", "Add the office hours, at least one day. For a desk that never closes, use 00:00 to 24:00 on every day.")
	}
}

func parseDate(s string) (int64, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil || t.Year() < minYear || t.Year() > maxYear {
		return 0, false
	}
	return dayNumber(t.Date()), true
}

func inRange(t time.Time) bool {
	return t.Year() >= minYear && t.Year() <= maxYear
}

func (c *Calendar) compileHolidays(p *rapport.Problems) {
	for i, h := range c.cfg.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		timed := !h.Start.IsZero() || !h.End.IsZero()
		dated := h.Date != "" || h.Until != "" || h.From != "" || h.To != ""
		switch {
		case timed && dated:
			p.Add(field, "Give either a date (with optional times) or a start and end, not both.")
			continue
		case !timed && !dated:
			p.Add(field+".date", "Give the date of the holiday, like 2026-12-25.")
			continue
		case timed:
			switch {
			case h.Start.IsZero():
				p.Add(field+".start", "Give the moment the closure starts.")
			case h.End.IsZero():
				p.Add(field+".end", "Give the moment the closure ends.")
			case !inRange(h.Start) || !inRange(h.End):
				p.Add(field+".start", "The closure must fall between the years %d and %d.", minYear, maxYear)
			case !h.End.After(h.Start):
				p.Add(field+".end", "The closure must end after it starts.")
			default:
				c.named = append(c.named, closure{Span{Start: h.Start.In(c.loc), End: h.End.In(c.loc)}, h.Name})
			}
			continue
		}
		first, ok := parseDate(h.Date)
		if !ok {
			p.Add(field+".date", "%q is not a date we can use; write it like 2026-12-25.", h.Date)
			continue
		}
		last := first
		if h.Until != "" {
			if h.From != "" || h.To != "" {
				p.Add(field+".until", "A closure of part of a day is on one date; leave the last day empty, or the times.")
				continue
			}
			if last, ok = parseDate(h.Until); !ok {
				p.Add(field+".until", "%q is not a date we can use; write it like 2026-12-26.", h.Until)
				continue
			}
			if last < first {
				p.Add(field+".until", "The last day cannot come before the first (%s).", h.Date)
				continue
			}
		}
		from, to := 0, minutesPerDay
		if h.From != "" {
			if from, ok = parseClock(h.From, false); !ok {
				p.Add(field+".from", "%q is not a time of day; write it like 12:00.", h.From)
				continue
			}
		}
		if h.To != "" {
			if to, ok = parseClock(h.To, true); !ok {
				p.Add(field+".to", "%q is not a time of day; write it like 17:00, or 24:00 for the end of the day.", h.To)
				continue
			}
		}
		if to <= from {
			p.Add(field+".to", "The closure must end after it starts on %s.", h.Date)
			continue
		}
		if last == first {
			c.named = append(c.named, closure{Span{Start: wallInstant(c.loc, first, from), End: wallInstant(c.loc, first, to)}, h.Name})
		} else {
			c.named = append(c.named, closure{Span{Start: wallInstant(c.loc, first, 0), End: wallInstant(c.loc, last+1, 0)}, h.Name})
		}
	}
	slices.SortStableFunc(c.named, func(a, b closure) int { return a.Start.Compare(b.Start) })
	spans := make([]Span, 0, len(c.named))
	for _, n := range c.named {
		if n.End.After(n.Start) { // a holiday wholly inside a skipped hour closes nothing
			spans = append(spans, n.Span)
		}
	}
	c.closures = mergeSpans(spans)
}

func (c *Calendar) compileOnCall(p *rapport.Problems) {
	spans := make([]Span, 0, len(c.cfg.OnCall))
	for i, s := range c.cfg.OnCall {
		field := fmt.Sprintf("on_call[%d]", i)
		switch {
		case s.Start.IsZero():
			p.Add(field+".start", "Give the moment the on-call period starts.")
		case s.End.IsZero():
			p.Add(field+".end", "Give the moment the on-call period ends.")
		case !inRange(s.Start) || !inRange(s.End):
			p.Add(field+".start", "The on-call period must fall between the years %d and %d.", minYear, maxYear)
		case !s.End.After(s.Start):
			p.Add(field+".end", "The on-call period must end after it starts.")
		default:
			spans = append(spans, s)
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start.Compare(b.Start) })
	c.onCall = mergeSpans(spans)
}

// mergeSpans joins overlapping or touching spans of a list sorted by start.
func mergeSpans(spans []Span) []Span {
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && !s.Start.After(out[n-1].End) {
			if s.End.After(out[n-1].End) {
				out[n-1].End = s.End
			}
			continue
		}
		out = append(out, s)
	}
	return out
}
