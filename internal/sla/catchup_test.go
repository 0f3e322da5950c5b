package sla_test

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/sla"
)

// TestBackfill: an open ticket without a clock gets one counted from its
// creation; what is already past is recorded (breached, warned) but Check
// tells nothing of it afterwards, and what is still to come is told.
func TestBackfill(t *testing.T) {
	mon := at(23, "09:00")
	for _, tc := range []struct {
		name    string
		created time.Time
		status  rapport.Status
		updated time.Time
		replied *time.Time
		now     time.Time
		// want: first response and resolution met (nil undecided), whether
		// the first response warning counts as told, the next check.
		fMet, rMet *bool
		fWarned    bool
		next       *time.Time
		paused     bool
	}{
		{name: "long past: both breached", created: at(16, "10:00"), status: rapport.StatusOpen, now: mon,
			fMet: bp(false), rMet: bp(false), fWarned: true},
		{name: "within the warning share", created: mon, status: rapport.StatusNew, now: mon.Add(30 * time.Minute),
			next: tp(mon.Add(45 * time.Minute))},
		{name: "past the warning point, before the target", created: mon, status: rapport.StatusNew, now: mon.Add(50 * time.Minute),
			fWarned: true, next: tp(mon.Add(time.Hour + time.Microsecond))},
		{name: "first reply in time, resolution running", created: mon, status: rapport.StatusOpen, replied: tp(mon.Add(20 * time.Minute)),
			now: mon.Add(2 * time.Hour), fMet: bp(true), next: tp(mon.Add(6 * time.Hour))},
		{name: "waiting: ran until its last change", created: mon, status: rapport.StatusWaiting, updated: mon.Add(40 * time.Minute),
			now: at(24, "09:00"), paused: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := &rapport.Ticket{ID: 7, Status: tc.status, Priority: rapport.PriorityCritical, CreatedAt: tc.created,
				UpdatedAt: tc.updated, FirstResponseAt: tc.replied}
			c, err := sla.Backfill(tk, policy, office, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if !eqBool(c.FirstResponse.Met, tc.fMet) || !eqBool(c.Resolution.Met, tc.rMet) {
				t.Fatalf("met = %v/%v, want %v/%v", fmtBool(c.FirstResponse.Met), fmtBool(c.Resolution.Met), fmtBool(tc.fMet), fmtBool(tc.rMet))
			}
			if got := c.FirstResponse.WarnedAt != nil; got != tc.fWarned {
				t.Fatalf("first response warned = %v, want %v", got, tc.fWarned)
			}
			if !eqTime(c.NextCheck, tc.next) {
				t.Fatalf("next check %v, want %v", c.NextCheck, tc.next)
			}
			if c.Running() == tc.paused {
				t.Fatalf("running = %v, want %v", c.Running(), !tc.paused)
			}
			if alerts, err := sla.Check(c, office, tk, tc.now.Add(time.Second)); err != nil || len(alerts) != 0 {
				t.Fatalf("Check after the back-fill = %v, %v; want nothing told", alerts, err)
			}
			if tc.paused {
				st, err := sla.Status(c, office, tk, tc.now)
				if err != nil {
					t.Fatal(err)
				}
				if st.FirstResponse.Remaining != 20*time.Minute || !st.FirstResponse.Paused {
					t.Fatalf("waiting: %+v, want 20m left, paused", st.FirstResponse)
				}
			}
		})
	}
}

// TestApply: a policy change moves the due times of undecided targets;
// a warning told re-arms only when the new warning point is still ahead;
// a target the new policy puts in the past is breached without a notice;
// decided targets keep their target and outcome.
func TestApply(t *testing.T) {
	mon := at(23, "09:00")
	with := func(first, resolve time.Duration, warn int) *rapport.SLAPolicy {
		p := *policy
		p.FirstResponse, p.Resolution, p.WarnPercent = first, resolve, warn
		return &p
	}
	for _, tc := range []struct {
		name     string
		replied  bool // first response met at 09:20
		pol      *rapport.SLAPolicy
		now      time.Time
		changed  bool
		fDue     time.Time
		fMet     *bool
		fWarned  bool
		next     *time.Time
		rTarget  time.Duration
		fTarget  time.Duration
		tellNext sla.Kind // what Check tells at the next check, "" for nothing
	}{
		{name: "same policy", pol: policy, now: mon.Add(50 * time.Minute),
			fDue: mon.Add(time.Hour), fWarned: true, next: tp(mon.Add(time.Hour + time.Microsecond)),
			fTarget: time.Hour, rTarget: 8 * time.Hour, tellNext: sla.Breach},
		{name: "longer: the warning re-arms", pol: with(2*time.Hour, 8*time.Hour, 75), now: mon.Add(50 * time.Minute), changed: true,
			fDue: mon.Add(2 * time.Hour), next: tp(mon.Add(90 * time.Minute)),
			fTarget: 2 * time.Hour, rTarget: 8 * time.Hour, tellNext: sla.Warning},
		{name: "a little longer: still past the warning point", pol: with(70*time.Minute, 8*time.Hour, 75), now: mon.Add(55 * time.Minute), changed: true,
			fDue: mon.Add(70 * time.Minute), fWarned: true, next: tp(mon.Add(70*time.Minute + time.Microsecond)),
			fTarget: 70 * time.Minute, rTarget: 8 * time.Hour, tellNext: sla.Breach},
		{name: "shorter: breached at once, untold", pol: with(30*time.Minute, 8*time.Hour, 75), now: mon.Add(50 * time.Minute), changed: true,
			fDue: mon.Add(30 * time.Minute), fMet: bp(false), fWarned: true, next: tp(mon.Add(6 * time.Hour)),
			fTarget: 30 * time.Minute, rTarget: 8 * time.Hour, tellNext: sla.Warning},
		{name: "met first response keeps its target", replied: true, pol: with(2*time.Hour, 4*time.Hour, 50), now: mon.Add(50 * time.Minute), changed: true,
			fDue: mon.Add(time.Hour), fMet: bp(true), next: tp(mon.Add(2 * time.Hour)),
			fTarget: time.Hour, rTarget: 4 * time.Hour, tellNext: sla.Warning},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var steps []step
			if tc.replied {
				steps = append(steps, step{at: mon.Add(20 * time.Minute), status: rapport.StatusOpen, reply: true})
			}
			c, tk := run(t, mon, steps...)
			// The warning of the first response went out at 09:45.
			if alerts, err := sla.Check(c, office, tk, mon.Add(45*time.Minute)); err != nil || len(alerts) != map[bool]int{false: 1, true: 0}[tc.replied] {
				t.Fatalf("warning at 09:45: %v, %v", alerts, err)
			}
			changed, err := sla.Apply(c, tc.pol, office, tk, tc.now)
			if err != nil || changed != tc.changed {
				t.Fatalf("Apply = %v, %v; want %v", changed, err, tc.changed)
			}
			if c.FirstResponse.Due == nil || !c.FirstResponse.Due.Equal(tc.fDue) {
				t.Fatalf("first response due %v, want %v", c.FirstResponse.Due, tc.fDue)
			}
			if !eqBool(c.FirstResponse.Met, tc.fMet) {
				t.Fatalf("first response met %v, want %v", fmtBool(c.FirstResponse.Met), fmtBool(tc.fMet))
			}
			if got := c.FirstResponse.WarnedAt != nil; got != tc.fWarned && !tc.replied {
				t.Fatalf("first response warned = %v, want %v", got, tc.fWarned)
			}
			if c.FirstResponse.Target != tc.fTarget || c.Resolution.Target != tc.rTarget {
				t.Fatalf("targets %v/%v, want %v/%v", c.FirstResponse.Target, c.Resolution.Target, tc.fTarget, tc.rTarget)
			}
			if !eqTime(c.NextCheck, tc.next) {
				t.Fatalf("next check %v, want %v", c.NextCheck, tc.next)
			}
			if alerts, err := sla.Check(c, office, tk, tc.now); err != nil || len(alerts) != 0 {
				t.Fatalf("Check at the change = %v, %v; want nothing told", alerts, err)
			}
			alerts, err := sla.Check(c, office, tk, *tc.next)
			if err != nil || len(alerts) != 1 || alerts[0].Kind != tc.tellNext {
				t.Fatalf("Check at the next check = %v, %v; want one %s", alerts, err, tc.tellNext)
			}
		})
	}
}

func eqBool(a, b *bool) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func fmtBool(b *bool) string {
	if b == nil {
		return "undecided"
	}
	if *b {
		return "true"
	}
	return "false"
}

func eqTime(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
