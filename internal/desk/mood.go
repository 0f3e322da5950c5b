package desk

import (
	"context"
	"maps"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/mood"
)

// Event data keys for how a requester's message reads (see package mood):
// staff only, like the ticket's Mood and MoodReason.
const (
	DataMood       = "mood"
	DataMoodReason = "mood_reason"
)

// The windows the history of a requester's contact is counted over.
const (
	recentMessagesWindow = time.Hour
	recentTicketsWindow  = 7 * 24 * time.Hour
)

// readMood reads the mood of ev, a message that has just reached t, and
// keeps it on ev (staff-only data) and on t, for the caller to save in the
// same transaction. Only the requester's words are read: a new request
// (theirs, or logged for them), their replies and their reopen reasons.
// Staff messages leave the mood as it was. waiting says the ticket's wait
// is on the help desk, so a long silence from staff counts; false when it
// was on hold (waiting on the requester or a third party) or done.
func (d *Desk) readMood(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, ev *rapport.Event, waiting bool) error {
	if ev.Internal || t.Requester == nil {
		return nil
	}
	switch ev.Type {
	case rapport.EventCreated:
	case rapport.EventMessage, rapport.EventReopened:
		if ev.Actor == nil || ev.Actor.ID != t.Requester.ID {
			return nil
		}
	default:
		return nil
	}
	now := ev.CreatedAt
	hist, err := tx.FindContactHistory(ctx, t.Requester.ID, t.ID, now.Add(-recentMessagesWindow), now.Add(-recentTicketsWindow))
	if err != nil {
		return err
	}
	// The requester's zone names the days in cues ("since Monday").
	requester, err := tx.FindUserByEmail(ctx, t.Requester.Email)
	if err != nil {
		return err
	}
	h := mood.History{Now: now, RecentMessages: hist.Messages, RecentTickets: hist.Tickets,
		Reopen: ev.Type == rapport.EventReopened, Location: requester.Location(d.Location)}
	if waiting && t.ID != 0 && ev.Type == rapport.EventMessage {
		h.Asked = t.CreatedAt
		if hist.LastStaffReply != nil {
			h.LastStaffReply = *hist.LastStaffReply
		}
	}
	r := mood.Read(ev.Body, h)
	t.Mood, t.MoodReason = r.Mood, r.Reason
	if ev.Data == nil {
		ev.Data = map[string]string{}
	}
	ev.Data[DataMood] = string(r.Mood)
	if r.Reason != "" {
		ev.Data[DataMoodReason] = r.Reason
	}
	return nil
}

// onUs reports whether t waits on the help desk: active and not on hold.
func onUs(t *rapport.Ticket) bool { return t.Status.Active() && t.Status != rapport.StatusWaiting }

// forViewer returns events as me may see them: a requester never sees how
// their messages were read. The events given are left unchanged.
func forViewer(me *rapport.User, events ...*rapport.Event) []*rapport.Event {
	if me.IsStaff() {
		return events
	}
	out := make([]*rapport.Event, len(events))
	for i, e := range events {
		out[i] = e
		if _, ok := e.Data[DataMood]; !ok {
			continue
		}
		c := *e
		c.Data = maps.Clone(e.Data)
		delete(c.Data, DataMood)
		delete(c.Data, DataMoodReason)
		if len(c.Data) == 0 {
			c.Data = nil
		}
		out[i] = &c
	}
	return out
}

// moodFilter checks a list's mood filter: staff only, as the mood is, and
// beside a filter with an index to walk (status, assignee, requester or a
// search). Alone it would read every ticket to find a rare mood; beside
// one, the mood is checked on the few rows that one yields.
func moodFilter(me *rapport.User, q TicketQuery) error {
	f := q.TicketFilter
	switch {
	case f.Mood == "":
		return nil
	case !me.IsStaff():
		return rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can list tickets by mood.")
	case len(f.Statuses) > 0 || q.Assignee != "" || q.Requester != "" || f.RequesterID != nil ||
		f.AssigneeID != nil || f.Unassigned || f.Query != "":
		return nil
	}
	return rapport.Invalid("mood", "Filter by mood together with status, assignee, requester or q: for example status=new,open&mood=angry for the open tickets of angry requesters.")
}

// Acknowledgement suggests how an agent may open a reply on t, matched to
// the mood of the requester's latest message and its cues; "" when it
// reads calm. Staff only.
func Acknowledgement(t *rapport.Ticket) string {
	return mood.Acknowledge(t.Mood, t.MoodReason)
}
