package sla

import (
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
)

// Two catch-ups (README, "Service levels"): an open ticket that has no
// clock gets one (Backfill), and a clock whose policy changed takes the
// new targets (Apply). Both record what is already past at now without
// telling it: a breach found there is an old fact or an administrator's
// own decision, not news, and an upgrade must not flood the supervisors
// with notices. Warnings and breaches that fall due after now are told
// by Check as usual.

// Backfill returns the clock of active ticket t, which has none, under
// policy p at now. It counts from t's creation: a ticket waiting now is
// taken to have run from its creation until its last change, when it
// most likely began waiting.
func Backfill(t *rapport.Ticket, p *rapport.SLAPolicy, cal *bizhours.Calendar, now time.Time) (*rapport.SLAClock, error) {
	c := &rapport.SLAClock{TicketID: t.ID}
	Retarget(c, p)
	switch {
	case Running(t.Status):
		c.Runs = []rapport.Span{{Start: t.CreatedAt}}
	case t.Status == rapport.StatusWaiting:
		end := t.UpdatedAt
		if end.Before(t.CreatedAt) {
			end = t.CreatedAt
		}
		c.Runs = []rapport.Span{{Start: t.CreatedAt, End: end}}
	}
	if err := Sync(c, cal, t, now); err != nil {
		return nil, err
	}
	return c, settle(c, cal, t, now)
}

// Stale reports whether clock c of ticket t differs from policy p in a
// way Apply would change: a target still undecided, or the priority,
// calendar or warning share while any is. Decided targets keep theirs.
func Stale(c *rapport.SLAClock, t *rapport.Ticket, p *rapport.SLAPolicy) bool {
	fr, res := open(c, t, rapport.SLAFirstResponse), open(c, t, rapport.SLAResolution)
	if !fr && !res {
		return false
	}
	return c.Priority != p.Priority || c.CalendarID != p.CalendarID || c.WarnPercent != p.WarnPercent ||
		(fr && c.FirstResponse.Target != p.FirstResponse) || (res && c.Resolution.Target != p.Resolution)
}

// Apply puts running or paused clock c of t under policy p at now, after
// the policy changed, and reports whether anything changed. Undecided
// targets take the new targets, calendar and warning share; decided ones
// (met or breached) keep their target and outcome. A warning already
// told is told again only if the new target moves its warning point
// after now (the ticket is back under the share: it re-arms); a target
// the new policy puts in the past is recorded as breached without a
// notice, like a warning point it puts in the past.
func Apply(c *rapport.SLAClock, p *rapport.SLAPolicy, cal *bizhours.Calendar, t *rapport.Ticket, now time.Time) (bool, error) {
	if !Stale(c, t, p) {
		return false, nil
	}
	c.Priority, c.CalendarID, c.WarnPercent = p.Priority, p.CalendarID, p.WarnPercent
	for _, target := range targets {
		if !open(c, t, target) {
			continue
		}
		g := c.Goal(target)
		g.Target = p.FirstResponse
		if target == rapport.SLAResolution {
			g.Target = p.Resolution
		}
		if g.WarnedAt == nil {
			continue
		}
		warn, ok, err := cal.Due(c.Runs, warnAt(c, g))
		if err != nil {
			return false, err
		}
		if !ok || warn.After(now) {
			g.WarnedAt = nil // re-armed: told again when the new point comes
		}
	}
	if err := Sync(c, cal, t, now); err != nil {
		return false, err
	}
	return true, settle(c, cal, t, now)
}

// settle records as told, without telling, every warning and breach of c
// due at now.
func settle(c *rapport.SLAClock, cal *bizhours.Calendar, t *rapport.Ticket, now time.Time) error {
	_, err := Check(c, cal, t, now)
	return err
}
