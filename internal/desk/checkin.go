package desk

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
)

// Check-ins after resolution (issue 9): resolving a ticket schedules one
// (Desk.FollowUpAfter later, or the agent's choice), in the transaction of
// the resolve; reopening or closing the ticket before it is due cancels
// it; SendDueCheckins asks "Is everything still working?" once, by mail
// and on the ticket page, with a satisfaction survey alongside.

// The notices and live alerts of the follow-through.
const (
	NoticeCheckin        NoticeKind = "checkin"         // to the requester: is everything still working? and the survey
	NoticeComplaint      NoticeKind = "complaint"       // to supervisors and admins: a survey scored 1 or 2
	NoticeFeedbackThanks NoticeKind = "feedback-thanks" // to the requester: thanks for a complaint, and what happens next
	AlertComplaint                  = "complaint"       // to supervisors: a survey scored 1 or 2
	AlertKudos                      = "kudos"           // to one member of staff: someone thanked them
)

// maxCheckinSends bounds one SendDueCheckins run; the next run goes on.
const maxCheckinSends = 10000

// Resolution is a resolve request with its optional parts.
type Resolution struct {
	Text  string
	Files []File
	// CheckinAfter is the agent's choice of check-in: "" for the site's
	// default (Desk.FollowUpAfter), "none" for no check-in, or a delay
	// such as 24h or 5d (see rapport.ParseFollowUpAfter).
	CheckinAfter string
}

// ResolveWith resolves a ticket and schedules its check-in, in one
// transaction. A requester resolving their own ticket gets no check-in:
// they just told us it is fixed.
func (d *Desk) ResolveWith(ctx context.Context, id int64, in Resolution) (*rapport.Ticket, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	after, ask, err := rapport.ParseFollowUpAfter("checkin_after", in.CheckinAfter, d.FollowUpAfter)
	if err != nil {
		return nil, err
	}
	if in.CheckinAfter != "" && !me.IsStaff() {
		return nil, rapport.Invalid("checkin_after", "Only help desk staff choose when the check-in follows.")
	}
	kept, err := d.storeFiles(ctx, in.Files)
	if err != nil {
		return nil, err
	}
	var resolved *rapport.Ticket
	return d.changeThen(ctx, id, func(_ rapport.Tx, me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		resolved = t
		return t.Resolve(me, in.Text, d.now())
	}, func(tx rapport.Tx, ev *rapport.Event) error {
		if err := attachTx(ctx, tx, ev, kept); err != nil {
			return err
		}
		if !ask || !me.IsStaff() {
			return nil
		}
		_, err := scheduleCheckin(ctx, tx, resolved, me.ID, d.now(), after)
		return err
	})
}

func scheduleCheckin(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, agent int64, now time.Time, after time.Duration) (*rapport.Checkin, error) {
	due := now.Add(after)
	if t.ResolvedAt != nil {
		due = t.ResolvedAt.Add(after)
	}
	if due.Before(now) {
		due = now
	}
	c := &rapport.Checkin{TicketID: t.ID, AgentID: &agent, DueAt: due, CreatedAt: now}
	return c, tx.CreateCheckin(ctx, c)
}

// cancelCheckins cancels the check-ins not yet sent when ev ends the
// resolved state early: a reopened or closed ticket needs no "still
// working?". It runs in the transaction of every saved change.
func cancelCheckins(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, ev *rapport.Event) error {
	switch ev.Type {
	case rapport.EventReopened, rapport.EventClosed, rapport.EventFollowUp:
		_, err := tx.CancelCheckins(ctx, t.ID, ev.CreatedAt)
		return err
	}
	return nil
}

// SetCheckin changes a resolved ticket's check-in from its page (staff):
// after is as Resolution.CheckinAfter, counted from the resolution; "none"
// cancels it. It returns the check-in now scheduled, nil for none. A
// check-in already sent stays as it is.
func (d *Desk) SetCheckin(ctx context.Context, ticketID int64, after string) (*rapport.Checkin, error) {
	me, err := staff(ctx, "schedule check-ins")
	if err != nil {
		return nil, err
	}
	delay, ask, err := rapport.ParseFollowUpAfter("after", after, d.FollowUpAfter)
	if err != nil {
		return nil, err
	}
	var c *rapport.Checkin
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		t, err := d.lockVisible(ctx, tx, me, ticketID)
		if err != nil {
			return err
		}
		if t.Status != rapport.StatusResolved {
			return rapport.Errorf(rapport.ECONFLICT, "Ticket %d is %s: a check-in follows a resolved ticket only.", t.ID, t.Status)
		}
		now := d.now()
		if _, err := tx.CancelCheckins(ctx, t.ID, now); err != nil {
			return err
		}
		if !ask {
			return nil
		}
		c, err = scheduleCheckin(ctx, tx, t, me.ID, now, delay)
		return err
	})
	if err != nil {
		return nil, err
	}
	if c != nil {
		return d.store.FindCheckin(ctx, c.ID)
	}
	return nil, nil
}

// Checkins returns a ticket's check-ins, oldest first: to staff, and to
// the ticket's requester.
func (d *Desk) Checkins(ctx context.Context, ticketID int64) ([]*rapport.Checkin, error) {
	if _, err := d.Ticket(ctx, ticketID); err != nil {
		return nil, err
	}
	return d.store.FindCheckins(ctx, ticketID)
}

// OpenCheckin returns the ticket's check-in waiting for an answer, nil
// when there is none: the ticket page asks its question.
func (d *Desk) OpenCheckin(ctx context.Context, ticketID int64) (*rapport.Checkin, error) {
	cs, err := d.Checkins(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].Open() {
			return cs[i], nil
		}
	}
	return nil, nil
}

// SendDueCheckins sends every check-in that is due: it marks it sent,
// opens the ticket's survey and queues the mail, all in one transaction
// under a row lock other nodes skip, so each is sent exactly once however
// many nodes run this. A ticket no longer resolved has its check-in
// cancelled instead. It returns how many were sent.
func (d *Desk) SendDueCheckins(ctx context.Context) (int, error) {
	// The secret is read before any transaction: making it at first use
	// is a write of its own.
	key, err := d.store.Secret(ctx, LinkSecret)
	if err != nil {
		return 0, err
	}
	n := 0
	for n < maxCheckinSends {
		now := d.now()
		var t *rapport.Ticket
		sent := false
		err := d.store.Update(ctx, func(tx rapport.Tx) error {
			c, err := tx.LockDueCheckin(ctx, now)
			if err != nil {
				return err
			}
			if t, err = tx.LockTicket(ctx, c.TicketID); err != nil {
				return err
			}
			if t.Status != rapport.StatusResolved || t.Requester == nil {
				c.CancelledAt = &now
				return tx.UpdateCheckin(ctx, c)
			}
			sent, c.SentAt = true, &now
			if err := tx.UpdateCheckin(ctx, c); err != nil {
				return err
			}
			s := &rapport.Survey{TicketID: t.ID, Requester: t.Requester, CreatedAt: now, ExpiresAt: now.Add(d.SurveyExpiry)}
			if c.AgentID != nil {
				s.Agent = &rapport.UserRef{ID: *c.AgentID}
			}
			if err := tx.CreateSurvey(ctx, s); err != nil {
				return err
			}
			if !d.Notices {
				return nil
			}
			links := followUpLinks(key, c.ID, s.ID, s.ExpiresAt)
			return enqueueNotices(ctx, tx, t.ID, []Notice{{Kind: NoticeCheckin, TicketID: t.ID, To: t.Requester.ID,
				Key: "checkin:" + strconv.FormatInt(c.ID, 10), CheckinToken: links.Checkin, SurveyToken: links.Survey, Until: &s.ExpiresAt}})
		})
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return n, nil
		} else if err != nil {
			return n, err
		}
		if sent {
			d.notify(ctx, t, false) // the portal page shows the question
			n++
		}
	}
	return n, nil
}

// AnswerCheckin answers a check-in as the signed-in requester.
func (d *Desk) AnswerCheckin(ctx context.Context, id int64, answer rapport.CheckinAnswer, words string) (*rapport.Ticket, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return d.answerCheckin(ctx, me, id, answer, words)
}

// AnswerCheckinByLink answers the check-in a signed link from the mail
// names, as the ticket's requester, without signing in.
func (d *Desk) AnswerCheckinByLink(ctx context.Context, token string, answer rapport.CheckinAnswer, words string) (*rapport.Ticket, error) {
	c, t, err := d.CheckinByLink(ctx, token)
	if err != nil {
		return nil, err
	}
	if t.Requester == nil {
		return nil, errBadLink
	}
	u, err := d.store.FindUserByID(ctx, t.Requester.ID)
	if err != nil {
		return nil, err
	}
	return d.answerCheckin(rapport.NewContextWithUser(ctx, u), u, c.ID, answer, words)
}

// CheckinByLink returns the check-in a signed link names, and its ticket.
func (d *Desk) CheckinByLink(ctx context.Context, token string) (*rapport.Checkin, *rapport.Ticket, error) {
	id, err := d.readLink(ctx, linkCheckin, token)
	if err != nil {
		return nil, nil, err
	}
	c, err := d.store.FindCheckin(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil, errBadLink
	} else if err != nil {
		return nil, nil, err
	}
	t, err := d.store.FindTicketByID(ctx, c.TicketID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil, errBadLink
	}
	return c, t, err
}

// answerCheckin records me's answer: "fixed" closes the ticket if it is
// still resolved; "back" reopens it with words, exactly as Reopen does
// (past the reopen window, a linked follow-up). A check-in is answered
// once; the ticket itself can always be reopened from its page.
func (d *Desk) answerCheckin(ctx context.Context, me *rapport.User, id int64, answer rapport.CheckinAnswer, words string) (*rapport.Ticket, error) {
	if !answer.Valid() {
		return nil, rapport.Invalid("answer", "Choose \"Yes, all good\" or \"No, it's back\".")
	}
	record := func(ctx context.Context, tx rapport.Tx, t *rapport.Ticket) error {
		c, err := tx.LockCheckin(ctx, id)
		if err != nil {
			return err
		}
		if c.TicketID != t.ID {
			return rapport.Errorf(rapport.ENOTFOUND, "There is no check-in %d on ticket %d.", id, t.ID)
		}
		switch {
		case c.AnsweredAt != nil:
			return rapport.Errorf(rapport.ECONFLICT, "This check-in was answered already (%s). If something is wrong now, reopen the ticket from its page.", answerWords(c.Answer))
		case c.CancelledAt != nil || c.SentAt == nil:
			return rapport.Errorf(rapport.ECONFLICT, "This check-in is no longer open: the ticket changed since we asked.")
		}
		now := d.now()
		c.Answer, c.AnsweredAt = answer, &now
		return tx.UpdateCheckin(ctx, c)
	}
	c, err := d.store.FindCheckin(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no check-in %d, or you do not have access to it.", id)
	} else if err != nil {
		return nil, err
	}
	t, err := d.store.FindTicketByID(ctx, c.TicketID)
	if err != nil {
		return nil, err
	}
	if t.Requester == nil || t.Requester.ID != me.ID {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no check-in %d, or you do not have access to it.", id)
	}
	if answer == rapport.CheckinBack {
		if strings.TrimSpace(words) == "" {
			return nil, rapport.Invalid("words", "Say what is happening, in a few words, so whoever picks it up knows where to start.")
		}
		t, _, err := d.reopenThen(ctx, me, t.ID, words, record)
		return t, err
	}
	var changed *rapport.Ticket
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		t, err := d.lockVisible(ctx, tx, me, c.TicketID)
		if err != nil {
			return err
		}
		changed = t
		if err := record(ctx, tx, t); err != nil {
			return err
		}
		if ev := t.ConfirmFixed(me, d.now()); ev != nil {
			return d.save(ctx, tx, t, ev)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.notify(ctx, changed, false)
	t, err = d.store.FindTicketByID(ctx, changed.ID)
	return t, afterCommit(err)
}

func answerWords(a rapport.CheckinAnswer) string {
	if a == rapport.CheckinBack {
		return "\"No, it's back\""
	}
	return "\"Yes, all good\""
}
