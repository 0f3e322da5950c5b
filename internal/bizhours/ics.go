package bizhours

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/rapportdesk/rapport"
	"github.com/teambition/rrule-go"
)

// Limits of ParseICS. Public holiday calendars are a few kilobytes to a few
// hundred; anything far larger is not a holiday calendar.
const (
	DefaultMaxICSBytes = 2 << 20 // 2 MiB
	maxHolidays        = 10000   // holidays one file may produce
	maxRecurSteps      = 200000  // recurrence steps one file may take
	maxImportYears     = 50
	// importBudget bounds the time spent expanding rules: a rule that can
	// never match (the 30th of February, daily) makes the recurrence
	// library search to the year 9999, about 0.2 s each.
	importBudget = 3 * time.Second
)

// ImportOptions say how ParseICS reads a file.
type ImportOptions struct {
	// TimeZone reads "floating" times (no zone given), as the calendar that
	// will hold the holidays does. Empty means UTC.
	TimeZone string
	// From and To bound the occurrences of recurring events (a yearly
	// holiday with no end): those starting in [From, To) are kept. To must
	// be after From and at most 50 years later. One-off events are kept
	// whenever they are.
	From, To time.Time
	// MaxBytes caps the file's size; zero means DefaultMaxICSBytes.
	MaxBytes int64
}

func icsError(format string, args ...any) error {
	return &rapport.Error{Code: rapport.EINVALID, Message: fmt.Sprintf(format, args...)}
}

// ParseICS reads the events (VEVENT) of an iCalendar file as holidays:
// all-day events as whole days, timed ones as spans, recurring ones
// (RRULE, RDATE, EXDATE, RECURRENCE-ID) expanded within the options'
// window. Cancelled events are skipped. The error says in plain words what
// is wrong with the file; nothing is returned from a bad file.
func ParseICS(r io.Reader, opt ImportOptions) ([]Holiday, error) {
	max := opt.MaxBytes
	if max <= 0 {
		max = DefaultMaxICSBytes
	}
	if opt.From.IsZero() || opt.To.IsZero() || !opt.To.After(opt.From) {
		return nil, errors.New("bizhours: ParseICS needs a window with To after From")
	}
	if opt.To.Sub(opt.From) > maxImportYears*366*24*time.Hour {
		return nil, icsError("Recurring holidays can be filled in for at most %d years at a time.", maxImportYears)
	}
	floating := time.UTC
	if opt.TimeZone != "" {
		loc, err := time.LoadLocation(opt.TimeZone)
		if err != nil {
			return nil, icsError("%q is not a time zone we know.", opt.TimeZone)
		}
		floating = loc
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("bizhours: read calendar file: %w", err)
	}
	if int64(len(data)) > max {
		return nil, &rapport.Error{Code: rapport.ETOOLARGE, Message: fmt.Sprintf("This calendar file is larger than %s, too large for a list of holidays.", sizeString(max))}
	}
	cal, err := decode(data)
	if err != nil {
		return nil, icsError("This is not an iCalendar (.ics) file we can read: %s.", strings.TrimPrefix(err.Error(), "ical: "))
	}
	im := importer{floating: floating, from: opt.From, to: opt.To, overrides: map[string]map[int64]bool{},
		deadline: time.Now().Add(importBudget)}
	events := cal.Events()
	for _, ev := range events {
		if p := ev.Props.Get(ical.PropRecurrenceID); p != nil {
			uid, _ := ev.Props.Text(ical.PropUID)
			t, err := im.dateTime(p)
			if err != nil {
				return nil, icsError("The event %s has a RECURRENCE-ID we cannot read: %s.", eventName(ev), err)
			}
			if im.overrides[uid] == nil {
				im.overrides[uid] = map[int64]bool{}
			}
			im.overrides[uid][t.Unix()] = true
		}
	}
	for _, ev := range events {
		if err := im.event(ev); err != nil {
			return nil, err
		}
	}
	return im.out, nil
}

// decode runs the parser, turning a panic on malformed input into an error.
func decode(data []byte) (cal *ical.Calendar, err error) {
	defer func() {
		if r := recover(); r != nil {
			cal, err = nil, fmt.Errorf("malformed content (%v)", r)
		}
	}()
	cal, err = ical.NewDecoder(bytes.NewReader(data)).Decode()
	if errors.Is(err, io.EOF) {
		err = errors.New("the file ends before the calendar does")
	}
	return cal, err
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func eventName(ev ical.Event) string {
	if s, err := ev.Props.Text(ical.PropSummary); err == nil && s != "" {
		return fmt.Sprintf("%q", s)
	}
	if s, err := ev.Props.Text(ical.PropUID); err == nil && s != "" {
		return fmt.Sprintf("with UID %q", s)
	}
	return "without a name"
}

type importer struct {
	floating  *time.Location
	from, to  time.Time
	overrides map[string]map[int64]bool // UID -> replaced occurrences
	steps     int
	deadline  time.Time
	out       []Holiday
}

func isDate(p *ical.Prop) bool {
	return p.ValueType() == ical.ValueDate || (p.ValueType() == ical.ValueDefault && len(p.Value) == len("20060102"))
}

// dateTime reads a DATE or DATE-TIME property; dates are midnight UTC.
func (im *importer) dateTime(p *ical.Prop) (time.Time, error) {
	if isDate(p) {
		return time.ParseInLocation("20060102", p.Value, time.UTC)
	}
	if strings.HasSuffix(p.Value, "Z") {
		t, err := time.Parse("20060102T150405Z", p.Value)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a date and time", p.Value)
		}
		return t, nil
	}
	loc := im.floating
	if tzid := p.Params.Get(ical.PropTimezoneID); tzid != "" {
		l, err := loadTZID(tzid)
		if err != nil {
			return time.Time{}, err
		}
		loc = l
	}
	t, err := time.ParseInLocation("20060102T150405", p.Value, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date and time", p.Value)
	}
	return t, nil
}

func loadTZID(tzid string) (*time.Location, error) {
	if tzid == "Local" || tzid == "" {
		return nil, fmt.Errorf("time zone %q is not a zone name", tzid)
	}
	l, err := time.LoadLocation(strings.TrimPrefix(tzid, "/"))
	if err != nil {
		return nil, fmt.Errorf("the time zone %q is not one we know; export the calendar with zone names like Europe/London, or in UTC", tzid)
	}
	return l, nil
}

// dates reads every value of a multi-valued EXDATE or RDATE property.
func (im *importer) dates(props []ical.Prop) ([]time.Time, error) {
	var out []time.Time
	for _, p := range props {
		if p.ValueType() == ical.ValuePeriod {
			return nil, errors.New("periods in RDATE are not supported")
		}
		for _, v := range strings.Split(p.Value, ",") {
			q := p
			q.Value = strings.TrimSpace(v)
			t, err := im.dateTime(&q)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}

func (im *importer) add(h Holiday) error {
	if len(im.out) >= maxHolidays {
		return icsError("This file holds more than %d holidays; that is more than a holiday calendar needs.", maxHolidays)
	}
	im.out = append(im.out, h)
	return nil
}

func (im *importer) event(ev ical.Event) error {
	name := eventName(ev)
	if st, err := ev.Props.Text(ical.PropStatus); err == nil && strings.EqualFold(st, "CANCELLED") {
		return nil
	}
	startProp := ev.Props.Get(ical.PropDateTimeStart)
	if startProp == nil {
		return icsError("The event %s has no start (DTSTART).", name)
	}
	allDay := isDate(startProp)
	start, err := im.dateTime(startProp)
	if err != nil {
		return icsError("The event %s has a start we cannot read: %s.", name, err)
	}
	var end time.Time
	switch {
	case ev.Props.Get(ical.PropDateTimeEnd) != nil:
		endProp := ev.Props.Get(ical.PropDateTimeEnd)
		if isDate(endProp) != allDay {
			return icsError("The event %s mixes a date and a date with time for its start and end.", name)
		}
		if end, err = im.dateTime(endProp); err != nil {
			return icsError("The event %s has an end we cannot read: %s.", name, err)
		}
	case ev.Props.Get(ical.PropDuration) != nil:
		d, err := ev.Props.Get(ical.PropDuration).Duration()
		if err != nil || d < 0 {
			return icsError("The event %s has a length (DURATION) we cannot read.", name)
		}
		end = start.Add(d)
	case allDay:
		end = start.AddDate(0, 0, 1)
	default:
		end = start // a timed event with no end takes no time
	}
	if end.Before(start) {
		return icsError("The event %s ends before it starts.", name)
	}
	if allDay && !end.After(start) {
		end = start.AddDate(0, 0, 1)
	}
	if !allDay && !end.After(start) {
		return nil // closes nothing
	}
	summary, _ := ev.Props.Text(ical.PropSummary)
	length := end.Sub(start)

	makeHoliday := func(s time.Time) Holiday {
		if allDay {
			last := s.Add(length).AddDate(0, 0, -1)
			h := Holiday{Name: summary, Date: s.Format("2006-01-02")}
			if last.After(s) {
				h.Until = last.Format("2006-01-02")
			}
			return h
		}
		return Holiday{Name: summary, Start: s, End: s.Add(length)}
	}

	rprop := ev.Props.Get(ical.PropRecurrenceRule)
	rdates := ev.Props.Values(ical.PropRecurrenceDates)
	if rprop == nil && len(rdates) == 0 {
		if !inRange(start) {
			return icsError("The event %s is outside the years %d to %d.", name, minYear, maxYear)
		}
		return im.add(makeHoliday(start))
	}
	if ev.Props.Get(ical.PropRecurrenceID) != nil {
		return icsError("The event %s both repeats and replaces an occurrence of another event.", name)
	}

	var set rrule.Set
	set.DTStart(start)
	if rprop != nil {
		ruleLoc := start.Location()
		opt, err := rrule.StrToROptionInLocation(rprop.Value, ruleLoc)
		if err != nil {
			return icsError("The event %s repeats by a rule (RRULE) we cannot read: %s.", name, err)
		}
		if opt.Freq > rrule.DAILY {
			return icsError("The event %s repeats more often than daily; holidays repeat by the day, week, month or year.", name)
		}
		opt.Dtstart = start
		if opt.Until.IsZero() || opt.Until.After(im.to) {
			opt.Until = im.to // stops rules with no end at the window
		}
		rule, err := rrule.NewRRule(*opt)
		if err != nil {
			return icsError("The event %s repeats by a rule (RRULE) we cannot use: %s.", name, err)
		}
		set.RRule(rule)
	}
	rd, err := im.dates(rdates)
	if err != nil {
		return icsError("The event %s has extra dates (RDATE) we cannot read: %s.", name, err)
	}
	for _, t := range rd {
		set.RDate(t)
	}
	ex, err := im.dates(ev.Props.Values(ical.PropExceptionDates))
	if err != nil {
		return icsError("The event %s has excluded dates (EXDATE) we cannot read: %s.", name, err)
	}
	for _, t := range ex {
		set.ExDate(t)
	}
	uid, _ := ev.Props.Text(ical.PropUID)
	replaced := im.overrides[uid]

	next := set.Iterator()
	for {
		im.steps++
		if im.steps > maxRecurSteps {
			return icsError("The repeating events in this file produce too many occurrences; import a shorter period.")
		}
		if time.Now().After(im.deadline) {
			return icsError("The repeating events in this file take too long to work out; some rules may never match (like the 30th of February). Check the rules, or import a shorter period.")
		}
		t, ok := next()
		if !ok || !t.Before(im.to) {
			return nil
		}
		if t.Before(im.from) || replaced[t.Unix()] {
			continue
		}
		if !inRange(t) {
			continue
		}
		if err := im.add(makeHoliday(t)); err != nil {
			return err
		}
	}
}
