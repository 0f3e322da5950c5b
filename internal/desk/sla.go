package desk

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
	"github.com/rapportdesk/rapport/internal/sla"
)

// Service levels: every ticket change syncs the ticket's SLA clock in its
// own transaction (see save and CreateTicket), a periodic check tells of
// warnings and breaches (CheckSLAs), and reads carry where each ticket
// stands (slaStore).

// The SLA notices and live alerts.
const (
	NoticeSLAWarning NoticeKind = "sla-warning" // to the assignee and supervisors: a target is near
	NoticeSLABreach  NoticeKind = "sla-breach"  // to the assignee and supervisors: a target has passed
	AlertSLAWarning             = "sla_warning"
	AlertSLABreach              = "sla_breach"
	// AlertHoldPassed is to the assignee: a hold's expected date passed
	// without news, so the requester is owed an update.
	AlertHoldPassed = "hold_passed"
)

// calendarCache keeps compiled calendars by id and version, so a read does
// not compile a calendar's holidays again.
type calendarCache struct {
	mu sync.Mutex
	m  map[int64]cachedCalendar
}

type cachedCalendar struct {
	updated time.Time
	cal     *bizhours.Calendar
}

func (cc *calendarCache) compile(c *rapport.Calendar) (*bizhours.Calendar, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if got, ok := cc.m[c.ID]; ok && got.updated.Equal(c.UpdatedAt) {
		return got.cal, nil
	}
	cal, err := bizhours.New(c.Config)
	if err != nil {
		return nil, err
	}
	if cc.m == nil {
		cc.m = map[int64]cachedCalendar{}
	}
	cc.m[c.ID] = cachedCalendar{c.UpdatedAt, cal}
	return cal, nil
}

// pick returns calendar id of cals, or the default when it is gone.
func pick(cals []*rapport.Calendar, id int64) *rapport.Calendar {
	var def *rapport.Calendar
	for _, c := range cals {
		if c.ID == id {
			return c
		}
		if c.Default {
			def = c
		}
	}
	return def
}

// txCalendar reads clock c's calendar (the default when its own was
// deleted) inside tx, compiled.
func (d *Desk) txCalendar(ctx context.Context, tx rapport.Tx, id int64) (*bizhours.Calendar, error) {
	var c *rapport.Calendar
	var err error
	if id != 0 {
		c, err = tx.FindCalendar(ctx, id)
	}
	if id == 0 || rapport.ErrorCode(err) == rapport.ENOTFOUND {
		c, err = tx.FindDefaultCalendar(ctx)
	}
	if err != nil {
		return nil, err
	}
	return d.calendars.compile(c)
}

// policyFor returns the policy of priority p, or nil when there is none
// (SLAs not set up).
func policyFor(ctx context.Context, tx rapport.Tx, p rapport.Priority) (*rapport.SLAPolicy, error) {
	pols, err := tx.FindSLAPolicies(ctx)
	if err != nil {
		return nil, err
	}
	for _, pol := range pols {
		if pol.Priority == p {
			return pol, nil
		}
	}
	return nil, nil
}

// startSLA starts the clock of new ticket t, under its priority's policy.
func (d *Desk) startSLA(ctx context.Context, tx rapport.Tx, t *rapport.Ticket) error {
	pol, err := policyFor(ctx, tx, t.Priority)
	if err != nil || pol == nil {
		return err
	}
	c := sla.Start(t, pol)
	cal, err := d.txCalendar(ctx, tx, c.CalendarID)
	if err != nil {
		return err
	}
	if err := sla.Sync(c, cal, t, t.CreatedAt); err != nil {
		return err
	}
	return tx.SaveSLAClock(ctx, c)
}

// syncSLA brings t's clock up to date after a change to t, in the change's
// transaction. An active ticket from before SLAs were set up gets its
// clock now (see backfillSLA); a done one gets none.
func (d *Desk) syncSLA(ctx context.Context, tx rapport.Tx, t *rapport.Ticket) error {
	c, err := tx.FindSLAClock(ctx, t.ID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		if !t.Status.Active() {
			return nil
		}
		pol, err := policyFor(ctx, tx, t.Priority)
		if err != nil || pol == nil {
			return err
		}
		_, err = d.catchUpSLA(ctx, tx, t, pol, d.now())
		return err
	} else if err != nil {
		return err
	}
	if c.Priority != t.Priority { // triaged again: the other priority's targets
		pol, err := policyFor(ctx, tx, t.Priority)
		if err != nil {
			return err
		}
		if pol != nil {
			sla.Retarget(c, pol)
		}
	}
	cal, err := d.txCalendar(ctx, tx, c.CalendarID)
	if err != nil {
		return err
	}
	if err := sla.Sync(c, cal, t, d.now()); err != nil {
		return err
	}
	return tx.SaveSLAClock(ctx, c)
}

// Catching up (CatchUpSLAs): batches of slaCatchUpBatch tickets, each in
// its own transaction so that a million old tickets never make one giant
// one, and at most maxSLACatchUps batches that found something per run;
// the next run goes on.
const (
	slaCatchUpBatch  = 200
	slaCatchUpWindow = 5000 // ticket ids one batch looks through at most
	maxSLACatchUps   = 50
)

// slaCaughtUp is how far this node's CatchUpSLAs got: every active ticket
// up to id seen had a clock in line with the policies as they were at
// version (every policy's priority, calendar, targets and share). A run
// walks only the tickets after seen, or all of them again once a policy
// changed: the pass every minute reads only new tickets, not every open
// one.
type slaCaughtUp struct {
	mu      sync.Mutex
	seen    int64
	version string
}

// CatchUpSLAs brings the clocks of active tickets in line with the
// policies: a ticket without a clock (open before SLAs existed, or
// written by plain SQL) gets one counted from its creation, and a clock
// whose policy changed takes the new targets (sla.Apply). What is already
// past is recorded, breached or warned, without a notice (see
// internal/sla, catchup.go). It returns how many clocks it started or
// moved. It walks the tickets in id order under their row locks, which
// other nodes skip, so several nodes may run it at once. A node walks
// every active ticket at its first run and after a policy change, and
// only tickets new since its last run otherwise.
func (d *Desk) CatchUpSLAs(ctx context.Context) (int, error) {
	pols, err := d.store.FindSLAPolicies(ctx)
	if err != nil || len(pols) == 0 {
		return 0, err
	}
	// The policies as they stand, whole: any change walks every ticket.
	version := fmt.Sprint(len(pols))
	for _, p := range pols {
		version += fmt.Sprintf(";%s,%d,%d,%d,%d", p.Priority, p.CalendarID, p.FirstResponse, p.Resolution, p.WarnPercent)
	}
	cu := &d.caughtUp
	cu.mu.Lock()
	after := cu.seen
	if cu.version != version {
		after = 0
	}
	cu.mu.Unlock()
	// It walks up to the newest ticket when it began (last), a window of
	// ids at a time, so that each batch reads a bounded range of tickets
	// however many are left.
	last := int64(-1)
	n, batches := 0, 0
	for batches < maxSLACatchUps && (last < 0 || after < last) {
		now := d.now()
		var ids []int64
		var upTo int64
		done := 0
		err := d.store.Update(ctx, func(tx rapport.Tx) error {
			done, ids = 0, nil
			var err error
			if last < 0 {
				if last, err = tx.LastTicketID(ctx); err != nil {
					last = -1
					return err
				}
			}
			if upTo = min(last, after+slaCatchUpWindow); upTo <= after {
				return nil
			}
			if ids, err = tx.LockStaleSLATickets(ctx, after, upTo, slaCatchUpBatch); err != nil || len(ids) == 0 {
				return err
			}
			pols, err := tx.FindSLAPolicies(ctx)
			if err != nil {
				return err
			}
			for _, id := range ids {
				t, err := tx.LockTicket(ctx, id)
				if err != nil {
					return err
				}
				for _, pol := range pols {
					if pol.Priority != t.Priority {
						continue
					}
					changed, err := d.catchUpSLA(ctx, tx, t, pol, now)
					if err != nil {
						return fmt.Errorf("SLA clock of ticket %d: %w", id, err)
					}
					if changed {
						done++
					}
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += done
		if len(ids) > 0 {
			batches++
		}
		if len(ids) == slaCatchUpBatch {
			after = ids[len(ids)-1]
		} else {
			after = max(after, upTo)
		}
	}
	cu.mu.Lock()
	cu.seen, cu.version = after, version
	cu.mu.Unlock()
	return n, nil
}

// catchUpSLA starts the clock of active ticket t under pol when it has
// none, or applies pol to it, inside tx; it reports whether it saved one.
func (d *Desk) catchUpSLA(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, pol *rapport.SLAPolicy, now time.Time) (bool, error) {
	c, err := tx.FindSLAClock(ctx, t.ID)
	switch {
	case rapport.ErrorCode(err) == rapport.ENOTFOUND:
		cal, err := d.txCalendar(ctx, tx, pol.CalendarID)
		if err != nil {
			return false, err
		}
		if c, err = sla.Backfill(t, pol, cal, now); err != nil {
			return false, err
		}
	case err != nil:
		return false, err
	default:
		if !sla.Stale(c, t, pol) {
			return false, nil // caught up meanwhile (another node, a change)
		}
		cal, err := d.txCalendar(ctx, tx, pol.CalendarID)
		if err != nil {
			return false, err
		}
		if _, err := sla.Apply(c, pol, cal, t, now); err != nil {
			return false, err
		}
	}
	return true, tx.SaveSLAClock(ctx, c)
}

// maxSLAChecks bounds one CheckSLAs run; the next run goes on.
const maxSLAChecks = 10000

// CheckSLAs tells of every SLA warning and breach due now: a notice to
// the assignee and to each supervisor and admin, and a live alert. It
// returns how many alerts it raised. Each clock is checked in its own
// transaction under the ticket's row lock, which other nodes skip, and
// what was told is saved in that transaction with the notices: several
// nodes may run it at once and each alert goes exactly once.
func (d *Desk) CheckSLAs(ctx context.Context) (int, error) {
	n := 0
	for range maxSLAChecks {
		now := d.now()
		var t *rapport.Ticket
		var alerts []sla.Alert
		var staff []int64
		err := d.store.Update(ctx, func(tx rapport.Tx) error {
			id, err := tx.LockDueSLATicket(ctx, now)
			if err != nil {
				return err
			}
			if t, err = tx.LockTicket(ctx, id); err != nil {
				return err
			}
			c, err := tx.FindSLAClock(ctx, id)
			if err != nil {
				return err
			}
			if c.NextCheck == nil || c.NextCheck.After(now) {
				return nil // changed since: nothing due any more
			}
			cal, err := d.txCalendar(ctx, tx, c.CalendarID)
			if err != nil {
				return err
			}
			if alerts, err = sla.Check(c, cal, t, now); err != nil {
				return err
			}
			if err := tx.SaveSLAClock(ctx, c); err != nil {
				return err
			}
			if len(alerts) == 0 {
				return nil
			}
			if staff, err = tx.FindStaffIDs(ctx, rapport.RoleSupervisor, rapport.RoleAdmin); err != nil {
				return err
			}
			return d.queueSLANotices(ctx, tx, t, alerts, staff)
		})
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return n, nil
		} else if err != nil {
			return n, err
		}
		for _, a := range alerts {
			kind := AlertSLAWarning
			if a.Kind == sla.Breach {
				kind = AlertSLABreach
			}
			if t.Assignee != nil {
				d.alert(ctx, kind, t.ID, t.Assignee.ID)
			}
			d.alert(ctx, kind, t.ID, 0)
			n++
		}
		if len(alerts) > 0 {
			d.notify(ctx, t, false)
		}
	}
	return n, nil
}

// queueSLANotices queues a notice of each alert to the assignee and to
// each of staff, once per person. The key names ticket, target and kind,
// so a retried job sends the same message.
func (d *Desk) queueSLANotices(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, alerts []sla.Alert, staff []int64) error {
	if !d.Notices {
		return nil
	}
	to := staff
	if t.Assignee != nil {
		to = append([]int64{t.Assignee.ID}, staff...)
	}
	now := d.now()
	for _, a := range alerts {
		kind := NoticeSLAWarning
		if a.Kind == sla.Breach {
			kind = NoticeSLABreach
		}
		seen := map[int64]bool{}
		for _, id := range to {
			if seen[id] {
				continue
			}
			seen[id] = true
			due := a.Due
			n := Notice{Kind: kind, TicketID: t.ID, To: id, Body: string(a.Target), Until: &due,
				Key: string(kind) + ":" + string(a.Target) + ":" + strconv.FormatInt(id, 10)}
			if _, err := NoticeJob.Enqueue(ctx, tx, n, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// slaStore fills in where each ticket the desk reads stands against its
// SLA targets (Ticket.SLA), the way waitStore fills in expected waits.
type slaStore struct {
	rapport.Store
	d *Desk
}

func (s *slaStore) FindTicketByID(ctx context.Context, id int64) (*rapport.Ticket, error) {
	t, err := s.Store.FindTicketByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return t, s.fill(ctx, t)
}

func (s *slaStore) FindTickets(ctx context.Context, f rapport.TicketFilter) ([]*rapport.Ticket, string, error) {
	ts, next, err := s.Store.FindTickets(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return ts, next, s.fill(ctx, ts...)
}

func (s *slaStore) FindQueue(ctx context.Context, after rapport.QueueCursor, limit int) ([]*rapport.Ticket, error) {
	ts, err := s.Store.FindQueue(ctx, after, limit)
	if err != nil {
		return nil, err
	}
	return ts, s.fill(ctx, ts...)
}

func (s *slaStore) fill(ctx context.Context, ts ...*rapport.Ticket) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i], t.SLA = t.ID, nil
	}
	clocks, err := s.Store.FindSLAClocks(ctx, ids)
	if err != nil || len(clocks) == 0 {
		return err
	}
	cals, err := s.Store.FindCalendars(ctx)
	if err != nil {
		return err
	}
	now := s.d.now()
	for _, t := range ts {
		c := clocks[t.ID]
		if c == nil {
			continue
		}
		rc := pick(cals, c.CalendarID)
		if rc == nil {
			continue
		}
		cal, err := s.d.calendars.compile(rc)
		if err != nil {
			return err
		}
		if t.SLA, err = sla.Status(c, cal, t, now); err != nil {
			return err
		}
	}
	return nil
}

// holdReminderAt is when a requester waiting until until hears that the
// date is near: the opening of the business day HoldReminderDays before
// it on the default calendar, or HoldReminder before it when there is no
// calendar (or it has no such day).
func (d *Desk) holdReminderAt(ctx context.Context, tx rapport.Tx, until time.Time) (time.Time, error) {
	cal, err := d.txCalendar(ctx, tx, 0)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return until.Add(-HoldReminder), nil
	} else if err != nil {
		return time.Time{}, err
	}
	if at, ok := sla.ReminderAt(cal, until, HoldReminderDays); ok {
		return rapport.Truncate(at), nil
	}
	return until.Add(-HoldReminder), nil
}
