package desk

import (
	"context"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/jobs"
)

// NoticeKind names a mail notice (internal/notice writes and sends them).
type NoticeKind string

// The notices. Requesters hear about their own tickets; staff about
// critical tickets, tickets given to them and requesters' replies.
const (
	NoticeReceived         NoticeKind = "received"          // to the requester: we have it, your place and wait
	NoticeReply            NoticeKind = "reply"             // to the requester: a staff reply, their words
	NoticeWaiting          NoticeKind = "waiting"           // to the requester: on hold, why and until when
	NoticeWaitingChanged   NoticeKind = "waiting-changed"   // to the requester: the expected date moved
	NoticeWaitingNear      NoticeKind = "waiting-near"      // to the requester: the expected date is close
	NoticeResolved         NoticeKind = "resolved"          // to the requester: fixed, and how to reopen
	NoticeReopened         NoticeKind = "reopened"          // to the requester: back to work
	NoticeCritical         NoticeKind = "critical"          // to every member of staff: a critical ticket arrived
	NoticeAssigned         NoticeKind = "assigned"          // to the assignee: someone gave you a ticket
	NoticeRequesterReplied NoticeKind = "requester-replied" // to the assignee: the requester wrote
	NoticeHoldPassed       NoticeKind = "hold-passed"       // to the assignee: the expected date passed without news
)

// Automatic reports whether the notice is written by Rapport rather than
// carrying a person's words: only those count towards the per-address
// rate limit and carry Auto-Submitted.
func (k NoticeKind) Automatic() bool { return k != NoticeReply && k != NoticeBoundary }

// Notice is the payload of a notice job, queued in the transaction of the
// change it tells about.
type Notice struct {
	Kind     NoticeKind `json:"kind"`
	TicketID int64      `json:"ticket_id"`
	// To is the user told; 0 for every member of staff (NoticeCritical).
	To int64 `json:"to"`
	// Key is stable per notice and names its Message-ID, so a retried job
	// sends the same message, once.
	Key string `json:"key"`
	// Body is the words the notice carries: a staff reply or a requester's
	// reply, the hold's reason, the resolution, the reopen reason. Never
	// an internal note.
	Body string `json:"body,omitempty"`
	// By names who made the change ("" for Rapport itself); ByPhone is
	// their phone number, when they gave one, for the signature of a
	// staff reply or resolution.
	By      string `json:"by,omitempty"`
	ByPhone string `json:"by_phone,omitempty"`
	// Until is the hold's expected date; Before the one it replaced.
	Until  *time.Time `json:"until,omitempty"`
	Before *time.Time `json:"before,omitempty"`
	// Channel is the ticket's channel when it arrived (NoticeReceived): a
	// notice answering a mail is an auto-reply in RFC 3834's terms.
	Channel rapport.Channel `json:"channel,omitempty"`
	// Step is the strike's step (NoticeStrike, NoticeBoundary).
	Step int `json:"step,omitempty"`
	// CheckinToken and SurveyToken sign the one-click links of a
	// check-in mail (NoticeCheckin); Score is a survey's score
	// (NoticeComplaint).
	CheckinToken string `json:"checkin_token,omitempty"`
	SurveyToken  string `json:"survey_token,omitempty"`
	Score        int    `json:"score,omitempty"`
}

// NoticeJob is the job kind of notices. Twelve attempts with the default
// backoff ride out about three and a half hours of a mail server outage.
var NoticeJob = jobs.Kind[Notice]{Name: "notice", MaxAttempts: 12}

// HoldReminder is how long before a hold's expected date the requester is
// reminded that it is near when there is no calendar to count business
// days on; with one, the reminder comes at the opening of the business
// day HoldReminderDays before the date (holdReminderAt).
const HoldReminder = 24 * time.Hour

// HoldReminderDays is how many business days before a hold's expected date
// the requester is reminded: time to say if something changed on their
// side, and for the desk to chase the third party.
const HoldReminderDays = 2

// queueNotices queues the notices ev calls for, in tx: they exist exactly
// when the change commits. prev is the ticket's hold before the change.
// Nothing is queued unless d.Notices is set (mail is configured).
func (d *Desk) queueNotices(ctx context.Context, tx rapport.Tx, me *rapport.User, t *rapport.Ticket, ev *rapport.Event, prev *rapport.Hold) error {
	if !d.Notices || ev == nil || ev.Internal {
		return nil
	}
	key := string(ev.Type) + ":" + strconv.FormatInt(ev.ID, 10)
	var by, byPhone string
	if me != nil {
		by = me.Name
		if me.IsStaff() {
			byPhone = me.Phone
		}
	}
	var out []Notice
	// toRequester queues a notice to the requester, unless they made the
	// change themselves (they know); a receipt and a reopening are told
	// anyway, as confirmation. It returns the notice to fill in, or nil.
	toRequester := func(k NoticeKind, body string) *Notice {
		if t.Requester == nil || me != nil && me.ID == t.Requester.ID && k != NoticeReopened && k != NoticeReceived {
			return nil
		}
		out = append(out, Notice{Kind: k, TicketID: t.ID, To: t.Requester.ID, Key: key + ":" + string(k), Body: body, By: by, ByPhone: byPhone})
		return &out[len(out)-1]
	}
	switch ev.Type {
	case rapport.EventCreated:
		if n := toRequester(NoticeReceived, ""); n != nil {
			n.Channel = t.Channel
		}
		if t.Priority == rapport.PriorityCritical {
			out = append(out, Notice{Kind: NoticeCritical, TicketID: t.ID, Key: key + ":critical", By: by})
		}
	case rapport.EventMessage:
		if me.IsStaff() {
			toRequester(NoticeReply, ev.Body)
		} else if t.Assignee != nil && t.Assignee.ID != me.ID {
			out = append(out, Notice{Kind: NoticeRequesterReplied, TicketID: t.ID, To: t.Assignee.ID,
				Key: key + ":requester-replied", Body: ev.Body, By: by})
		}
	case rapport.EventWaiting:
		until := t.Hold.Until
		switch {
		case prev != nil && sameTime(prev.Until, until):
			// Still waiting for the same date: nothing new to tell.
		case prev != nil && prev.Until != nil && until != nil:
			if n := toRequester(NoticeWaitingChanged, ev.Body); n != nil {
				n.Until, n.Before = until, prev.Until
			}
		default:
			if n := toRequester(NoticeWaiting, ev.Body); n != nil {
				n.Until = until
			}
		}
		if until != nil && t.Requester != nil {
			// A reminder two business days before; its job checks the date
			// still holds.
			at, err := d.holdReminderAt(ctx, tx, *until)
			if err != nil {
				return err
			}
			n := Notice{Kind: NoticeWaitingNear, TicketID: t.ID, To: t.Requester.ID, Until: until,
				Key: "near:" + strconv.FormatInt(t.ID, 10) + ":" + strconv.FormatInt(until.Unix(), 10)}
			if at.After(d.now()) {
				if _, err := NoticeJob.EnqueueInGroup(ctx, tx, noticeGroup(t.ID), n, at); err != nil {
					return err
				}
			}
		}
	case rapport.EventResolved:
		toRequester(NoticeResolved, ev.Body)
	case rapport.EventReopened:
		toRequester(NoticeReopened, ev.Body)
	case rapport.EventAssigned:
		if t.Assignee != nil && (me == nil || t.Assignee.ID != me.ID) {
			out = append(out, Notice{Kind: NoticeAssigned, TicketID: t.ID, To: t.Assignee.ID, Key: key + ":assigned", By: by})
		}
	}
	for _, n := range out {
		if _, err := NoticeJob.EnqueueInGroup(ctx, tx, noticeGroup(t.ID), n, time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// noticeGroup makes a ticket's notices go out in the order of the changes
// (a reply before the "resolved" that followed it).
func noticeGroup(ticket int64) string { return "ticket:" + strconv.FormatInt(ticket, 10) }

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// NoticeTicket returns ticket id as a notice tells it: with its place in
// the queue and expected wait. It is for background work, where nobody is
// signed in; never answer a request with it.
func (d *Desk) NoticeTicket(ctx context.Context, id int64) (*rapport.Ticket, error) {
	return d.store.FindTicketByID(ctx, id)
}

// Jobs lists background jobs, newest first: state "dead" for those that
// ran out of attempts. It checks no one: for the CLI, which has the
// database already; requests go through JobsAsAdmin.
func (d *Desk) Jobs(ctx context.Context, f rapport.JobFilter) ([]*rapport.Job, error) {
	if f.State != "" && !f.State.Valid() {
		return nil, rapport.Invalid("state", "The state must be ready, running or dead.")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return d.store.FindJobs(ctx, f)
}

// JobsAsAdmin is Jobs for the signed-in administrator.
func (d *Desk) JobsAsAdmin(ctx context.Context, f rapport.JobFilter) ([]*rapport.Job, error) {
	if _, err := admin(ctx, "see background jobs"); err != nil {
		return nil, err
	}
	return d.Jobs(ctx, f)
}

// RetryJob gives a dead job a fresh set of attempts, due now; ENOTFOUND
// when there is no dead job id. Like Jobs, it checks no one.
func (d *Desk) RetryJob(ctx context.Context, id int64) (*rapport.Job, error) {
	var j *rapport.Job
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		j, err = tx.ReviveJob(ctx, id, d.now())
		return err
	})
	return j, err
}

// RetryJobAsAdmin is RetryJob for the signed-in administrator.
func (d *Desk) RetryJobAsAdmin(ctx context.Context, id int64) (*rapport.Job, error) {
	if _, err := admin(ctx, "retry background jobs"); err != nil {
		return nil, err
	}
	return d.RetryJob(ctx, id)
}

// holdOf copies t's hold before a change, for queueNotices to compare
// with after it.
func holdOf(t *rapport.Ticket) *rapport.Hold {
	if t.Hold == nil {
		return nil
	}
	h := *t.Hold
	return &h
}
