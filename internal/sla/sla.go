// Package sla runs a ticket's service-level clock: when it runs and
// pauses, when each target falls due, when a warning or a breach is to be
// told, and where the ticket stands at any instant. It is pure (no clock,
// no store): the desk calls it inside the transaction of each ticket
// change and of each periodic check, with the time it read, so every node
// computes the same.
//
// The rules:
//   - The clock starts when the ticket is created and runs while the ticket
//     waits on the desk (new or open). It pauses while the ticket waits on
//     the requester or a third party (waiting) and stops at resolution;
//     the requester's reply, the end of a hold, or a reopen restart it.
//   - Time counts only while the calendar is open (internal/bizhours).
//   - First response is met by the first public staff reply
//     (Ticket.FirstResponseAt) within the target; resolution by resolving
//     within it. A reopen resumes the resolution clock and undoes a met
//     resolution; a breach stays a breach.
//   - A target is decided when met, or at the moment it is breached (Check
//     finds it): Met stays nil until then.
package sla

import (
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
)

// Default targets, in business time (README: "Service levels").
const (
	DefaultCriticalResponse   = time.Hour
	DefaultCriticalResolution = 8 * time.Hour     // one business day
	DefaultNormalResponse     = 8 * time.Hour     // one business day
	DefaultNormalResolution   = 5 * 8 * time.Hour // five business days
)

// DefaultPolicies are the policies a fresh install starts with, on
// calendar calendarID.
func DefaultPolicies(calendarID int64, now time.Time) []*rapport.SLAPolicy {
	return []*rapport.SLAPolicy{
		{Priority: rapport.PriorityCritical, CalendarID: calendarID, FirstResponse: DefaultCriticalResponse,
			Resolution: DefaultCriticalResolution, WarnPercent: rapport.DefaultWarnPercent, UpdatedAt: now},
		{Priority: rapport.PriorityNormal, CalendarID: calendarID, FirstResponse: DefaultNormalResponse,
			Resolution: DefaultNormalResolution, WarnPercent: rapport.DefaultWarnPercent, UpdatedAt: now},
	}
}

// DefaultCalendar is the calendar a fresh install starts with: Monday to
// Friday, 09:00 to 17:00, in zone.
func DefaultCalendar(zone string, now time.Time) *rapport.Calendar {
	var hours []rapport.OfficeHours
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		hours = append(hours, rapport.OfficeHours{Day: d, From: "09:00", To: "17:00"})
	}
	return &rapport.Calendar{Name: "Office hours", Default: true, CreatedAt: now, UpdatedAt: now,
		Config: rapport.CalendarConfig{TimeZone: zone, Hours: hours}}
}

// Running reports whether the clock runs for a ticket in status s: while
// it waits on the desk.
func Running(s rapport.Status) bool { return s == rapport.StatusNew || s == rapport.StatusOpen }

// Start returns the clock of a new ticket t under policy p, running from
// t's creation unless t is created waiting or done.
func Start(t *rapport.Ticket, p *rapport.SLAPolicy) *rapport.SLAClock {
	c := &rapport.SLAClock{TicketID: t.ID}
	Retarget(c, p)
	if Running(t.Status) {
		c.Runs = []rapport.Span{{Start: t.CreatedAt}}
	}
	return c
}

// Retarget puts c under policy p: its priority, calendar, targets and
// warning share. Runs and decisions stay; a warning or breach already told
// is not told again.
func Retarget(c *rapport.SLAClock, p *rapport.SLAPolicy) {
	c.Priority, c.CalendarID, c.WarnPercent = p.Priority, p.CalendarID, p.WarnPercent
	c.FirstResponse.Target, c.Resolution.Target = p.FirstResponse, p.Resolution
}

// Sync brings c up to date with t at now, after a change to t: the clock
// starts or stops with t's status, targets are decided by a first reply
// or a resolution (and a met resolution undone by a reopen), and the due
// times and the next check are computed again.
func Sync(c *rapport.SLAClock, cal *bizhours.Calendar, t *rapport.Ticket, now time.Time) error {
	switch run := Running(t.Status); {
	case run && !c.Running():
		c.Runs = append(c.Runs, rapport.Span{Start: now})
	case !run && c.Running():
		last := &c.Runs[len(c.Runs)-1]
		last.End = now
		if now.Before(last.Start) {
			last.End = last.Start
		}
	}
	if g := &c.FirstResponse; g.Met == nil && t.FirstResponseAt != nil {
		el, err := cal.Elapsed(c.Runs, *t.FirstResponseAt)
		if err != nil {
			return err
		}
		g.Met = ptr(el <= g.Target)
	}
	done := t.Status == rapport.StatusResolved || t.Status == rapport.StatusClosed
	if g := &c.Resolution; done && g.Met == nil {
		el, err := cal.Elapsed(c.Runs, now)
		if err != nil {
			return err
		}
		g.Met = ptr(el <= g.Target)
	} else if !done && g.Met != nil && *g.Met {
		g.Met = nil // reopened: the resolution was not the end
	}
	for _, g := range []*rapport.SLAGoal{&c.FirstResponse, &c.Resolution} {
		due, ok, err := cal.Due(c.Runs, g.Target)
		if err != nil {
			return err
		}
		switch {
		case ok:
			g.Due = ptr(due)
		case g.Met == nil:
			g.Due = nil // paused short of the target: no due time until it runs
		}
	}
	return next(c, cal, t)
}

// Kind is what an alert tells.
type Kind string

// The alerts.
const (
	Warning Kind = "warning" // the warning share of the target has passed
	Breach  Kind = "breach"  // the target has passed unmet
)

// Alert is one notice Check calls for.
type Alert struct {
	Target rapport.SLATarget
	Kind   Kind
	// Due is the target's due time.
	Due time.Time
}

// open reports whether target g of c is still undecided for t: a first
// response not yet given, a resolution not yet reached.
func open(c *rapport.SLAClock, t *rapport.Ticket, target rapport.SLATarget) bool {
	g := c.Goal(target)
	if target == rapport.SLAFirstResponse && t.FirstResponseAt != nil {
		return false
	}
	return g.Met == nil
}

var targets = []rapport.SLATarget{rapport.SLAFirstResponse, rapport.SLAResolution}

// warnAt is the business time after which the warning goes out.
func warnAt(c *rapport.SLAClock, g *rapport.SLAGoal) time.Duration {
	return time.Duration(int64(g.Target) / 100 * int64(c.WarnPercent))
}

// Check finds the warnings and breaches due at now, marks each as told (so
// each goes once per target and kind), decides breached targets as not
// met, and moves the next check on. A target found already breached gets
// the breach notice only: its warning would say less, late.
func Check(c *rapport.SLAClock, cal *bizhours.Calendar, t *rapport.Ticket, now time.Time) ([]Alert, error) {
	var out []Alert
	for _, target := range targets {
		if !open(c, t, target) {
			continue
		}
		g := c.Goal(target)
		due, ok, err := cal.Due(c.Runs, g.Target)
		if err != nil {
			return nil, err
		}
		switch { // keep the stored due time true after a calendar change
		case ok:
			g.Due = ptr(due)
		case g.Met == nil:
			g.Due = nil
		}
		if ok && now.After(due) {
			g.Met = ptr(false)
			if g.BreachedAt == nil {
				out = append(out, Alert{Target: target, Kind: Breach, Due: due})
				g.BreachedAt = ptr(now)
			}
			if g.WarnedAt == nil {
				g.WarnedAt = ptr(now)
			}
			continue
		}
		if g.WarnedAt != nil {
			continue
		}
		warn, wok, err := cal.Due(c.Runs, warnAt(c, g))
		if err != nil {
			return nil, err
		}
		if wok && !now.Before(warn) {
			out = append(out, Alert{Target: target, Kind: Warning, Due: due})
			g.WarnedAt = ptr(now)
		}
	}
	return out, next(c, cal, t)
}

// next sets c.NextCheck: the earliest instant a warning or a breach of an
// open target falls due; nil while the clock is paused (nothing can fall
// due) or when nothing is left to tell. A breach falls due just after the
// due time, at the store's precision (a microsecond), since the target is
// still met at it.
func next(c *rapport.SLAClock, cal *bizhours.Calendar, t *rapport.Ticket) error {
	c.NextCheck = nil
	if !c.Running() {
		return nil
	}
	consider := func(at time.Time) {
		if c.NextCheck == nil || at.Before(*c.NextCheck) {
			c.NextCheck = ptr(at.UTC())
		}
	}
	for _, target := range targets {
		if !open(c, t, target) {
			continue
		}
		g := c.Goal(target)
		if g.WarnedAt == nil {
			at, ok, err := cal.Due(c.Runs, warnAt(c, g))
			if err != nil {
				return err
			}
			if ok {
				consider(at)
			}
		}
		if g.BreachedAt == nil {
			at, ok, err := cal.Due(c.Runs, g.Target)
			if err != nil {
				return err
			}
			if ok {
				consider(at.Add(time.Microsecond))
			}
		}
	}
	return nil
}

// Status is where t stands against c's targets at now, as staff see it.
func Status(c *rapport.SLAClock, cal *bizhours.Calendar, t *rapport.Ticket, now time.Time) (*rapport.SLAStatus, error) {
	var st rapport.SLAStatus
	for _, target := range targets {
		g := c.Goal(target)
		p := &st.FirstResponse
		if target == rapport.SLAResolution {
			p = &st.Resolution
		}
		stop := now
		if target == rapport.SLAFirstResponse && t.FirstResponseAt != nil && t.FirstResponseAt.Before(now) {
			stop = *t.FirstResponseAt
		}
		pr, err := cal.Track(c.Runs, g.Target, stop)
		if err != nil {
			return nil, err
		}
		p.Target, p.Remaining, p.Met = g.Target, pr.Remaining, g.Met
		if !pr.Due.IsZero() {
			p.Due = ptr(pr.Due.UTC())
		} else if g.Due != nil {
			p.Due = ptr(g.Due.UTC())
		}
		undecided := open(c, t, target)
		switch {
		case g.Met != nil:
			p.Breached = !*g.Met
		case undecided && p.Due != nil:
			p.Breached = now.After(*p.Due)
		}
		p.Paused = undecided && !c.Running()
	}
	return &st, nil
}

func ptr[T any](v T) *T { return &v }
