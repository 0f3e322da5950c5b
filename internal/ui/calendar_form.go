package ui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
)

// A calendar's hours, holidays and on-call periods are edited as lines of
// text, one entry a line, so that any number of stretches, overnight
// shifts and imported holidays round-trip without a form per entry:
//
//	hours:     monday 09:00-17:00
//	holidays:  2026-12-25 Christmas Day
//	           2026-12-24 13:00-24:00 Christmas Eve afternoon
//	           2026-12-28..2026-12-31 Closing week
//	           2026-12-24T13:00:00Z/2026-12-24T17:00:00Z Staff party
//	on call:   2026-12-26T00:00:00Z/2026-12-27T00:00:00Z

var (
	hoursLine   = regexp.MustCompile(`^(\S+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$`)
	dayHoliday  = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?(?:\s+(\d{1,2}:\d{2})?-(\d{1,2}:\d{2})?)?(?:\s+(.*))?$`)
	spanHoliday = regexp.MustCompile(`^(\S+)/(\S+)(?:\s+(.*))?$`)
)

// lines are the non-blank lines of s, trimmed, with their numbers.
func lines(s string) (out []string, numbers []int) {
	for i, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out, numbers = append(out, l), append(numbers, i+1)
		}
	}
	return out, numbers
}

// parseCalendarText reads the three texts into cfg's lists. Problems name
// the field and the line; lineNumbers maps each entry back to its line,
// for the problems the calendar's own checks find.
func parseCalendarText(cfg *rapport.CalendarConfig, hours, holidays, onCall string, p *rapport.Problems) (lineNumbers map[string][]int) {
	lineNumbers = map[string][]int{}
	ls, ns := lines(hours)
	lineNumbers["hours"] = ns
	for i, l := range ls {
		m := hoursLine.FindStringSubmatch(l)
		if m == nil {
			p.Add("hours", "Line %d (%q): write a day and its hours, like: monday 09:00-17:00.", ns[i], l)
			continue
		}
		cfg.Hours = append(cfg.Hours, rapport.OfficeHours{Day: m[1], From: m[2], To: m[3]})
	}
	ls, ns = lines(holidays)
	lineNumbers["holidays"] = ns
	for i, l := range ls {
		if m := dayHoliday.FindStringSubmatch(l); m != nil {
			cfg.Holidays = append(cfg.Holidays, rapport.Holiday{Date: m[1], Until: m[2], From: m[3], To: m[4], Name: m[5]})
			continue
		}
		if m := spanHoliday.FindStringSubmatch(l); m != nil {
			start, err1 := time.Parse(time.RFC3339, m[1])
			end, err2 := time.Parse(time.RFC3339, m[2])
			if err1 == nil && err2 == nil {
				cfg.Holidays = append(cfg.Holidays, rapport.Holiday{Start: start, End: end, Name: m[3]})
				continue
			}
		}
		p.Add("holidays", "Line %d (%q): start with the date, like: 2026-12-25 Christmas Day.", ns[i], l)
	}
	ls, ns = lines(onCall)
	lineNumbers["on_call"] = ns
	for i, l := range ls {
		m := spanHoliday.FindStringSubmatch(l)
		var start, end time.Time
		var err1, err2 error
		if m != nil {
			start, err1 = time.Parse(time.RFC3339, m[1])
			end, err2 = time.Parse(time.RFC3339, m[2])
		}
		if m == nil || m[3] != "" || err1 != nil || err2 != nil {
			p.Add("on_call", "Line %d (%q): write the start and end, like: 2026-12-26T00:00:00Z/2026-12-27T00:00:00Z.", ns[i], l)
			continue
		}
		cfg.OnCall = append(cfg.OnCall, rapport.Span{Start: start, End: end})
	}
	return lineNumbers
}

var entryField = regexp.MustCompile(`^(hours|holidays|on_call)\[(\d+)\]`)

// lineProblems turns the calendar checks' "hours[2].from" into the
// "hours" field with the line number the entry came from.
func lineProblems(fields []rapport.FieldError, lineNumbers map[string][]int) rapport.Problems {
	var out rapport.Problems
	for _, f := range fields {
		if m := entryField.FindStringSubmatch(f.Field); m != nil {
			i, _ := strconv.Atoi(m[2])
			if ns := lineNumbers[m[1]]; i < len(ns) {
				out.Add(m[1], "Line %d: %s", ns[i], f.Message)
				continue
			}
			out.Add(m[1], "%s", f.Message)
			continue
		}
		out = append(out, f)
	}
	return out
}

// hoursText, holidaysText and onCallText write a calendar's lists as the
// form shows them.
func hoursText(hs []rapport.OfficeHours) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%s %s-%s\n", strings.ToLower(h.Day), h.From, h.To)
	}
	return b.String()
}

func holidaysText(hs []rapport.Holiday) string {
	var b strings.Builder
	for _, h := range hs {
		if !h.Start.IsZero() {
			b.WriteString(h.Start.Format(time.RFC3339) + "/" + h.End.Format(time.RFC3339))
		} else {
			b.WriteString(h.Date)
			if h.Until != "" {
				b.WriteString(".." + h.Until)
			}
			if h.From != "" || h.To != "" {
				b.WriteString(" " + h.From + "-" + h.To)
			}
		}
		if h.Name != "" {
			b.WriteString(" " + h.Name)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func onCallText(ss []rapport.Span) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.Start.Format(time.RFC3339) + "/" + s.End.Format(time.RFC3339) + "\n")
	}
	return b.String()
}
