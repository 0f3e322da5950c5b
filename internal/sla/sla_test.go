package sla_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/bizhours"
	"github.com/rapportdesk/rapport/internal/sla"
)

// Monday 23 November 2026; the office is open Monday to Friday, 09:00 to
// 17:00 UTC.
func at(day int, hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-11-"+itoa(day)+" "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

func itoa(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

var office = bizhours.MustNew(sla.DefaultCalendar("UTC", time.Time{}).Config)

var policy = &rapport.SLAPolicy{Priority: rapport.PriorityCritical, CalendarID: 1,
	FirstResponse: time.Hour, Resolution: 8 * time.Hour, WarnPercent: 75}

// step is one thing that happens to a ticket.
type step struct {
	at     time.Time
	status rapport.Status
	reply  bool // the first public staff reply
}

// run creates a ticket at created and applies the steps through Sync.
func run(t *testing.T, created time.Time, steps ...step) (*rapport.SLAClock, *rapport.Ticket) {
	t.Helper()
	tk := &rapport.Ticket{ID: 1, Status: rapport.StatusNew, Priority: rapport.PriorityCritical, CreatedAt: created}
	c := sla.Start(tk, policy)
	if err := sla.Sync(c, office, tk, created); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if s.status != "" {
			tk.Status = s.status
		}
		if s.reply && tk.FirstResponseAt == nil {
			tk.FirstResponseAt = &s.at
		}
		if err := sla.Sync(c, office, tk, s.at); err != nil {
			t.Fatal(err)
		}
	}
	return c, tk
}

func tp(t time.Time) *time.Time { return &t }
func bp(b bool) *bool           { return &b }

func TestStatus(t *testing.T) {
	tests := []struct {
		name    string
		created time.Time
		steps   []step
		now     time.Time
		want    rapport.SLAStatus
	}{{
		name: "running in office hours", created: at(23, "09:00"), now: at(23, "09:30"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(23, "10:00")), Remaining: 30 * time.Minute},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(23, "17:00")), Remaining: 7*time.Hour + 30*time.Minute},
		},
	}, {
		name: "created on a Friday afternoon runs on Monday", created: at(27, "16:30"), now: at(28, "12:00"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(30, "09:30")), Remaining: 30 * time.Minute},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(30, "16:30")), Remaining: 7*time.Hour + 30*time.Minute},
		},
	}, {
		name: "over by a quarter of an hour", created: at(23, "09:00"), now: at(23, "10:15"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(23, "10:00")), Remaining: -15 * time.Minute, Breached: true},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(23, "17:00")), Remaining: 6*time.Hour + 45*time.Minute},
		},
	}, {
		name: "paused while waiting on the requester", created: at(23, "09:00"),
		steps: []step{{at: at(23, "09:30"), status: rapport.StatusWaiting}}, now: at(24, "12:00"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Remaining: 30 * time.Minute, Paused: true},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Remaining: 7*time.Hour + 30*time.Minute, Paused: true},
		},
	}, {
		name: "restarted by the reply, due pushed out by the pause", created: at(23, "09:00"),
		steps: []step{{at: at(23, "09:30"), status: rapport.StatusWaiting}, {at: at(23, "11:00"), status: rapport.StatusOpen}},
		now:   at(23, "11:10"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(23, "11:30")), Remaining: 20 * time.Minute},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(24, "10:30")), Remaining: 7*time.Hour + 20*time.Minute},
		},
	}, {
		name: "first response in time is met and frozen", created: at(23, "09:00"),
		steps: []step{{at: at(23, "09:45"), status: rapport.StatusOpen, reply: true}}, now: at(23, "13:00"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(23, "10:00")), Remaining: 15 * time.Minute, Met: bp(true)},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(23, "17:00")), Remaining: 4 * time.Hour},
		},
	}, {
		name: "late first response is not met", created: at(23, "09:00"),
		steps: []step{{at: at(23, "10:30"), status: rapport.StatusOpen, reply: true}}, now: at(23, "11:00"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(23, "10:00")), Remaining: -30 * time.Minute, Met: bp(false), Breached: true},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(23, "17:00")), Remaining: 6 * time.Hour},
		},
	}, {
		name: "resolved in time", created: at(23, "09:00"),
		steps: []step{{at: at(23, "09:20"), status: rapport.StatusOpen, reply: true}, {at: at(23, "15:00"), status: rapport.StatusResolved}},
		now:   at(25, "10:00"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(23, "10:00")), Remaining: 40 * time.Minute, Met: bp(true)},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(23, "17:00")), Remaining: 2 * time.Hour, Met: bp(true)},
		},
	}, {
		name: "reopen resumes the resolution clock", created: at(23, "09:00"),
		steps: []step{{at: at(23, "09:20"), status: rapport.StatusOpen, reply: true}, {at: at(23, "15:00"), status: rapport.StatusResolved},
			{at: at(25, "09:00"), status: rapport.StatusOpen}},
		now: at(25, "10:00"),
		want: rapport.SLAStatus{
			FirstResponse: rapport.SLAProgress{Target: time.Hour, Due: tp(at(23, "10:00")), Remaining: 40 * time.Minute, Met: bp(true)},
			Resolution:    rapport.SLAProgress{Target: 8 * time.Hour, Due: tp(at(25, "11:00")), Remaining: time.Hour},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, tk := run(t, tc.created, tc.steps...)
			got, err := sla.Status(c, office, tk, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tc.want, got); diff != "" {
				t.Fatalf("Status (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	type alert struct {
		at   time.Time
		want []sla.Kind // of the first response target, in order
	}
	tests := []struct {
		name    string
		created time.Time
		steps   []step
		checks  []alert
		met     *bool
	}{{
		name: "warning at 75%, then breach, each once", created: at(23, "09:00"),
		checks: []alert{{at(23, "09:44"), nil}, {at(23, "09:45"), []sla.Kind{sla.Warning}}, {at(23, "09:50"), nil},
			{at(23, "10:00"), nil}, {at(23, "10:01"), []sla.Kind{sla.Breach}}, {at(23, "11:00"), nil}},
		met: bp(false),
	}, {
		name: "found late: the breach only", created: at(23, "09:00"),
		checks: []alert{{at(23, "12:00"), []sla.Kind{sla.Breach}}, {at(23, "12:01"), nil}},
		met:    bp(false),
	}, {
		name: "no warning while paused", created: at(23, "09:00"),
		steps:  []step{{at: at(23, "09:30"), status: rapport.StatusWaiting}},
		checks: []alert{{at(23, "10:30"), nil}, {at(24, "10:30"), nil}},
	}, {
		name: "replied in time: nothing to tell", created: at(23, "09:00"),
		steps:  []step{{at: at(23, "09:10"), status: rapport.StatusOpen, reply: true}},
		checks: []alert{{at(23, "09:50"), nil}, {at(23, "10:30"), nil}},
		met:    bp(true),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, tk := run(t, tc.created, tc.steps...)
			for _, ch := range tc.checks {
				due := c.NextCheck != nil && !c.NextCheck.After(ch.at)
				alerts, err := sla.Check(c, office, tk, ch.at)
				if err != nil {
					t.Fatal(err)
				}
				var got []sla.Kind
				for _, a := range alerts {
					if a.Target == rapport.SLAFirstResponse {
						got = append(got, a.Kind)
					}
				}
				if diff := cmp.Diff(ch.want, got); diff != "" {
					t.Fatalf("alerts at %s (-want +got):\n%s", ch.at.Format("Mon 15:04"), diff)
				}
				if len(alerts) > 0 && !due {
					t.Fatalf("alerts at %s, but the next check was %v: the index would miss them", ch.at.Format("Mon 15:04"), c.NextCheck)
				}
				if c.NextCheck != nil && !c.NextCheck.After(ch.at) {
					t.Fatalf("next check %v is not after %v: the check would loop", c.NextCheck, ch.at)
				}
			}
			if diff := cmp.Diff(tc.met, c.FirstResponse.Met); diff != "" {
				t.Fatalf("first response met (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextCheckPaused: a paused clock has nothing to check, so the index
// skips it; the reply that restarts it brings the check back.
func TestNextCheckPaused(t *testing.T) {
	c, tk := run(t, at(23, "09:00"), step{at: at(23, "09:30"), status: rapport.StatusWaiting})
	if c.NextCheck != nil || c.FirstResponse.Due != nil {
		t.Fatalf("paused: next check %v, due %v; want none", c.NextCheck, c.FirstResponse.Due)
	}
	tk.Status = rapport.StatusOpen
	if err := sla.Sync(c, office, tk, at(23, "14:00")); err != nil {
		t.Fatal(err)
	}
	if want := at(23, "14:15"); c.NextCheck == nil || !c.NextCheck.Equal(want) {
		t.Fatalf("next check %v, want %v (the warning)", c.NextCheck, want)
	}
}
