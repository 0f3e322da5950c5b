package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
)

// slaCell is one SLA target as the queue and the ticket page show it:
// "2h 10m left", "over by 15m", "paused, 30m left", "met". Class colours
// it; the words alone say everything, for screen readers and without
// colour.
type slaCell struct {
	Label string // "first response" or "resolution"
	Text  string
	Class string // sla-ok, sla-warn, sla-over, sla-paused, sla-met
	Due   *time.Time
}

// slaCells are both targets of a ticket, nil when it has no SLA.
func slaCells(st *rapport.SLAStatus) []*slaCell {
	if st == nil {
		return nil
	}
	return []*slaCell{cell("first response", st.FirstResponse), cell("resolution", st.Resolution)}
}

// slaNext is the target that matters now: the first response until it is
// decided, then the resolution; nil when both are decided or there is no
// SLA.
func slaNext(st *rapport.SLAStatus) *slaCell {
	if st == nil {
		return nil
	}
	if st.FirstResponse.Met == nil {
		return cell("first response", st.FirstResponse)
	}
	if st.Resolution.Met == nil {
		return cell("resolution", st.Resolution)
	}
	return nil
}

func cell(label string, p rapport.SLAProgress) *slaCell {
	c := &slaCell{Label: label, Due: p.Due}
	switch {
	case p.Met != nil && *p.Met:
		c.Text, c.Class = "met", "sla-met"
	case p.Breached || p.Remaining < 0:
		c.Text, c.Class = "over by "+overTime(-p.Remaining), "sla-over"
		if p.Met != nil {
			c.Text = "missed, " + c.Text
		}
	case p.Paused:
		c.Text, c.Class = "paused, "+businessTime(p.Remaining)+" left", "sla-paused"
	default:
		c.Text, c.Class = businessTime(p.Remaining)+" left", "sla-ok"
		if p.Remaining*4 <= p.Target { // the last quarter: the default warning share
			c.Class = "sla-warn"
		}
	}
	return c
}

// overTime is businessTime for time over a target, to the whole minute
// gone by: "over by 15m" until the 16th minute is complete.
func overTime(d time.Duration) string {
	if d >= time.Minute {
		d = d.Truncate(time.Minute)
	}
	return businessTime(d)
}

// businessTime writes a span of business time to the minute: "45m",
// "2h", "2h 10m", "40h" (business hours, so no days).
func businessTime(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int((d + time.Minute - 1) / time.Minute) // round up: never promise more than there is
	if d > 0 && m == 0 {
		m = 1
	}
	h, m := m/60, m%60
	switch {
	case h == 0:
		return strconv.Itoa(m) + "m"
	case m == 0:
		return strconv.Itoa(h) + "h"
	}
	return strconv.Itoa(h) + "h " + strconv.Itoa(m) + "m"
}

// deskClosed is the portal's note while the help desk is closed: when it
// opens next, in the requester's time zone. Nil while it is open.
type deskClosed struct {
	Next *time.Time
}

// closedNote reads whether the desk is closed now, for the portal.
func (u *UI) closedNote(r *http.Request) (*deskClosed, error) {
	open, next, err := u.desk.DeskHours(r.Context())
	if err != nil || open {
		return nil, err
	}
	return &deskClosed{Next: next}, nil
}
