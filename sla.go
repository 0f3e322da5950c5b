package rapport

import (
	"context"
	"strings"
	"time"
)

// Service levels (PRODUCT.md, principle 3; issue 9): each priority has a
// first response and a resolution target in business time, counted on a
// calendar of office hours. The clock runs while the ticket waits on the
// desk and pauses while it waits on the requester or a third party.
// internal/sla does the arithmetic; these are the values it works on.

// Calendar is a named business-hours calendar: a site's office hours.
// Exactly one calendar is the default, used where nothing else is chosen.
type Calendar struct {
	ID        int64
	Name      string
	Default   bool
	Config    CalendarConfig
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MaxCalendarName bounds a calendar's name.
const MaxCalendarName = 100

// CleanName trims c's name and checks it; the time zone, hours and
// holidays are checked by internal/bizhours, which compiles them.
func (c *Calendar) CleanName(p *Problems) {
	c.Name = strings.TrimSpace(c.Name)
	switch {
	case c.Name == "":
		p.Add("name", "Give the calendar a name, like \"London office\".")
	case len([]rune(c.Name)) > MaxCalendarName:
		p.Add("name", "The name can be at most %d characters.", MaxCalendarName)
	}
}

// SLATarget names one of a ticket's two service-level targets.
type SLATarget string

// The targets.
const (
	SLAFirstResponse SLATarget = "first_response" // a public staff reply
	SLAResolution    SLATarget = "resolution"     // resolved
)

// SLAPolicy is the service level of one priority: how much business time,
// on which calendar, the desk allows for the first response and for the
// resolution, and at which share of it the people responsible are warned.
type SLAPolicy struct {
	Priority      Priority
	CalendarID    int64
	FirstResponse time.Duration
	Resolution    time.Duration
	// WarnPercent is the share of a target, in percent (1-99), after which
	// the assignee and the supervisors are warned.
	WarnPercent int
	UpdatedAt   time.Time
}

// DefaultWarnPercent is the share of a target at which the warning goes
// out unless a policy says otherwise.
const DefaultWarnPercent = 75

// MaxSLATarget bounds a target: a year of business time is no promise.
const MaxSLATarget = 365 * 24 * time.Hour

// Validate checks p, each problem against its field.
func (p *SLAPolicy) Validate() error {
	var pr Problems
	if !p.Priority.Valid() {
		pr.Add("priority", "The priority must be critical or normal.")
	}
	if p.CalendarID <= 0 {
		pr.Add("calendar_id", "Choose the calendar whose office hours the targets count in.")
	}
	for _, f := range []struct {
		field, what string
		d           time.Duration
	}{{"first_response", "The first response target", p.FirstResponse}, {"resolution", "The resolution target", p.Resolution}} {
		switch {
		case f.d < time.Minute:
			pr.Add(f.field, "%s must be at least one minute of business time.", f.what)
		case f.d > MaxSLATarget:
			pr.Add(f.field, "%s can be at most a year of business time.", f.what)
		}
	}
	if p.FirstResponse > p.Resolution && p.Resolution >= time.Minute {
		pr.Add("first_response", "The first response target cannot be longer than the resolution target.")
	}
	if p.WarnPercent < 1 || p.WarnPercent > 99 {
		pr.Add("warn_percent", "The warning share must be a whole percentage from 1 to 99.")
	}
	return pr.Err()
}

// SLAGoal is the stored state of one target of a ticket's clock.
type SLAGoal struct {
	// Target is the business time allowed.
	Target time.Duration
	// Due is when the target is reached while the clock runs; nil while it
	// is paused short of it (tickets.sla_*_due).
	Due *time.Time
	// Met is nil until decided, true when met in time, false from the
	// moment of breach (tickets.sla_*_met).
	Met *bool
	// WarnedAt and BreachedAt are when the warning and the breach notice
	// went out; each goes once.
	WarnedAt   *time.Time
	BreachedAt *time.Time
}

// SLAClock is a ticket's service-level clock as stored: the spans in which
// it ran (the last one open while it runs) and its two targets.
type SLAClock struct {
	TicketID   int64
	Priority   Priority
	CalendarID int64 // 0 when its calendar was deleted: the default calendar counts
	// WarnPercent is the policy's share when the clock started or the
	// ticket was triaged again.
	WarnPercent   int
	Runs          []Span
	FirstResponse SLAGoal
	Resolution    SLAGoal
	// NextCheck is when a warning or a breach falls due next; nil when
	// none can (the clock is paused or every target is decided).
	NextCheck *time.Time
}

// Running reports whether the clock runs: its last span is open.
func (c *SLAClock) Running() bool {
	return len(c.Runs) > 0 && c.Runs[len(c.Runs)-1].End.IsZero()
}

// Goal returns the state of target t.
func (c *SLAClock) Goal(t SLATarget) *SLAGoal {
	if t == SLAResolution {
		return &c.Resolution
	}
	return &c.FirstResponse
}

// SLAStatus is where a ticket stands against its targets at one instant,
// as staff see it (Ticket.SLA).
type SLAStatus struct {
	FirstResponse SLAProgress
	Resolution    SLAProgress
}

// SLAProgress is one target at one instant.
type SLAProgress struct {
	Target time.Duration
	// Due is when the target is or was reached; nil while paused short
	// of it.
	Due *time.Time
	// Breached is true once the due time has gone by without the target
	// being met.
	Breached bool
	// Remaining is the business time left: negative when over, frozen
	// once the target is decided (met or resolved late).
	Remaining time.Duration
	// Paused is true while the clock waits on the requester or a third
	// party, with the target still open.
	Paused bool
	// Met is nil until decided.
	Met *bool
}

// SLAStore reads calendars, policies and clocks.
type SLAStore interface {
	// FindCalendars returns every calendar, the default first, then by name.
	FindCalendars(ctx context.Context) ([]*Calendar, error)
	// FindCalendar returns one calendar; ENOTFOUND when there is none.
	FindCalendar(ctx context.Context, id int64) (*Calendar, error)
	// FindSLAPolicies returns the policies by priority, critical first.
	FindSLAPolicies(ctx context.Context) ([]*SLAPolicy, error)
	// FindSLAClocks returns the clocks of the tickets, by ticket id;
	// tickets without one are left out.
	FindSLAClocks(ctx context.Context, ticketIDs []int64) (map[int64]*SLAClock, error)
}

// SLATx changes calendars, policies and clocks inside a transaction.
type SLATx interface {
	FindCalendar(ctx context.Context, id int64) (*Calendar, error)
	// FindDefaultCalendar returns the default calendar; ENOTFOUND when there
	// is no calendar yet.
	FindDefaultCalendar(ctx context.Context) (*Calendar, error)
	FindCalendars(ctx context.Context) ([]*Calendar, error)
	// CreateCalendar stores c and sets its ID; a name taken is ECONFLICT.
	// When c is the default, the previous default stops being it.
	CreateCalendar(ctx context.Context, c *Calendar) error
	// UpdateCalendar saves c (as CreateCalendar for the name and default).
	UpdateCalendar(ctx context.Context, c *Calendar) error
	// DeleteCalendar deletes a calendar; the caller checks it is unused.
	DeleteCalendar(ctx context.Context, id int64) error
	FindSLAPolicies(ctx context.Context) ([]*SLAPolicy, error)
	// SaveSLAPolicy creates or replaces the policy of p.Priority.
	SaveSLAPolicy(ctx context.Context, p *SLAPolicy) error
	// FindSLAClock returns a ticket's clock; ENOTFOUND when it has none.
	FindSLAClock(ctx context.Context, ticketID int64) (*SLAClock, error)
	// SaveSLAClock creates or replaces a ticket's clock and its outcome
	// columns on the ticket.
	SaveSLAClock(ctx context.Context, c *SLAClock) error
	// LockDueSLATicket locks the ticket of a clock whose next check is at
	// or before now, one no other transaction holds, and returns its id;
	// ENOTFOUND when there is none. The ticket row is the lock, as for
	// every ticket change, so a check and a change take turns.
	LockDueSLATicket(ctx context.Context, now time.Time) (int64, error)
	// LockStaleSLATickets locks up to limit active tickets with an id in
	// (after, upTo], in id order, whose clock is missing or disagrees
	// with their priority's policy on a target still undecided (other
	// nodes skip them), and returns their ids.
	LockStaleSLATickets(ctx context.Context, after, upTo int64, limit int) ([]int64, error)
	// LastTicketID returns the highest ticket id, 0 when there is none.
	LastTicketID(ctx context.Context) (int64, error)
	// RecheckSLAClocks makes the running clocks on calendar id (and, when
	// orDefault, those whose calendar was deleted) due for a check at now,
	// so the next periodic check recomputes them after the calendar
	// changed. It returns how many.
	RecheckSLAClocks(ctx context.Context, id int64, orDefault bool, now time.Time) (int, error)
	// FindStaffIDs returns the enabled users of the roles, by id.
	FindStaffIDs(ctx context.Context, roles ...Role) ([]int64, error)
}
