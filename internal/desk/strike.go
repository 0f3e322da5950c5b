package desk

import (
	"context"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
)

// The notices of Three Strikes and asking a colleague.
const (
	NoticeBoundary NoticeKind = "boundary" // to the requester: a strike's text, from the agent
	NoticeStrike   NoticeKind = "strike"   // to supervisors and admins: a strike was given
	NoticeInvited  NoticeKind = "invited"  // to a colleague: please join this ticket
	NoticeHandover NoticeKind = "handover" // to the new assignee: the ticket and its handover note
)

// The live alerts (see Alerter).
const (
	AlertStrike   = "strike"   // to supervisors: a strike was given on the ticket
	AlertInvited  = "invited"  // to one colleague: asked to join the ticket
	AlertHandover = "handover" // to one colleague: handed the ticket
)

// Alerter is a Notifier that can also tell particular staff about news
// that is more than a page update: live.Broker implements it. to is the
// user meant, 0 for every supervisor and admin.
type Alerter interface {
	Alert(ctx context.Context, kind string, ticketID, to int64)
}

// alert tells d.Notifier, when it is an Alerter, after commit.
func (d *Desk) alert(ctx context.Context, kind string, ticketID, to int64) {
	if a, ok := d.Notifier.(Alerter); ok {
		a.Alert(context.WithoutCancel(ctx), kind, ticketID, to)
	}
}

// Strike marks the requester's message eventID on ticket id as
// discourteous, with the agent's optional note (internal). The next of the
// three steps happens in one transaction: its text goes on the timeline
// and to the requester, the supervisors are told, and the third closes
// the ticket. It returns the strike and the ticket after it.
func (d *Desk) Strike(ctx context.Context, id, eventID int64, note string) (*rapport.Strike, *rapport.Ticket, error) {
	return d.StrikeAsShown(ctx, id, eventID, note, 0)
}

// StrikeAsShown is Strike for someone who was shown what strike step
// sends (0: whichever is next): if a colleague's strike or a withdrawal
// moved the ticket to another step meanwhile, it is refused (ECONFLICT),
// since another text would go out than the one they confirmed.
func (d *Desk) StrikeAsShown(ctx context.Context, id, eventID int64, note string, step int) (*rapport.Strike, *rapport.Ticket, error) {
	me, err := staff(ctx, "mark a message as discourteous")
	if err != nil {
		return nil, nil, err
	}
	if eventID <= 0 {
		return nil, nil, rapport.Invalid("event_id", "Say which message: event_id is the number of one of the requester's messages on the timeline.")
	}
	var s *rapport.Strike
	var t *rapport.Ticket
	var queued bool
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if t, err = d.lockVisible(ctx, tx, me, id); err != nil {
			return err
		}
		queued = t.Queued()
		msg, err := tx.FindEvent(ctx, eventID)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			msg = nil
		} else if err != nil {
			return err
		}
		if msg != nil && msg.TicketID == t.ID {
			prev, err := tx.FindStrikeByEvent(ctx, eventID)
			if err == nil {
				return alreadyStruck(prev)
			} else if rapport.ErrorCode(err) != rapport.ENOTFOUND {
				return err
			}
		}
		if step != 0 && t.Strikes+1 != step && t.Strikes < rapport.MaxStrikes {
			return rapport.Errorf(rapport.ECONFLICT, "The ticket's strikes changed while you were reading: this would now be strike %d of %d, "+
				"which sends a different text. Please read it and confirm again.", t.Strikes+1, rapport.MaxStrikes)
		}
		text, requester, err := d.nextText(ctx, tx, t)
		if err != nil {
			return err
		}
		now := d.now()
		var evs []*rapport.Event
		if s, evs, err = t.Strike(me, msg, note, text, requester, now); err != nil {
			return err
		}
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		if err := d.syncSLA(ctx, tx, t); err != nil {
			return err
		}
		if err := tx.CreateStrike(ctx, s); err != nil {
			return err
		}
		for _, ev := range evs {
			ev.TicketID = t.ID
			if ev.Type != rapport.EventClosed {
				ev.Data["strike_id"] = strconv.FormatInt(s.ID, 10)
			}
			if err := tx.AddEvent(ctx, ev); err != nil {
				return err
			}
		}
		return d.queueStrikeNotices(ctx, tx, me, t, s, evs[0])
	})
	if err != nil {
		return nil, nil, err
	}
	d.notify(ctx, t, queued || t.Queued())
	d.alert(ctx, AlertStrike, t.ID, 0)
	t, err = d.store.FindTicketByID(ctx, id)
	return s, t, afterCommit(err)
}

// alreadyStruck says why a message cannot take a second strike.
func alreadyStruck(s *rapport.Strike) error {
	if s.Withdrawn() {
		return rapport.Errorf(rapport.ECONFLICT, "This message had strike %d, which %s withdrew: %q. A withdrawn strike stays withdrawn; mark a later message if the behaviour goes on.",
			s.Step, refName(s.WithdrawnBy), s.WithdrawReason)
	}
	return rapport.Errorf(rapport.ECONFLICT, "This message already has a strike (strike %d of %d, by %s). Each message counts once.",
		s.Step, rapport.MaxStrikes, refName(s.By))
}

func refName(r *rapport.UserRef) string {
	if r == nil {
		return "someone"
	}
	return r.Name
}

// nextText returns the text of t's next strike and the account of t's
// requester it is filled in for. After the third there is none: Strike
// refuses it.
func (d *Desk) nextText(ctx context.Context, tx rapport.Tx, t *rapport.Ticket) (*rapport.StrikeText, *rapport.User, error) {
	if t.Strikes >= rapport.MaxStrikes {
		return nil, nil, nil
	}
	text, err := tx.FindStrikeText(ctx, t.Strikes+1)
	if err != nil {
		return nil, nil, err
	}
	var requester *rapport.User
	if t.Requester != nil {
		if requester, err = tx.FindUserByEmail(ctx, t.Requester.Email); err != nil {
			return nil, nil, err
		}
	}
	return text, requester, nil
}

// queueStrikeNotices queues the boundary statement to the requester and
// the news to the supervisors, in tx.
func (d *Desk) queueStrikeNotices(ctx context.Context, tx rapport.Tx, me *rapport.User, t *rapport.Ticket, s *rapport.Strike, boundary *rapport.Event) error {
	if !d.Notices {
		return nil
	}
	key := "strike:" + strconv.FormatInt(s.ID, 10)
	out := []Notice{{Kind: NoticeStrike, TicketID: t.ID, Key: key + ":supervisors", Body: s.Note, By: me.Name, Step: s.Step}}
	if t.Requester != nil {
		out = append(out, Notice{Kind: NoticeBoundary, TicketID: t.ID, To: t.Requester.ID, Key: key + ":boundary",
			Body: boundary.Body, By: me.Name, Step: s.Step})
	}
	return enqueueNotices(ctx, tx, t.ID, out)
}

func enqueueNotices(ctx context.Context, tx rapport.Tx, ticket int64, out []Notice) error {
	for _, n := range out {
		if _, err := NoticeJob.EnqueueInGroup(ctx, tx, noticeGroup(ticket), n, time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// WithdrawStrike withdraws strike strikeID on ticket id with a
// supervisor's reason, internal: the count goes down. A ticket the third
// strike closed stays closed (see rapport.Ticket.WithdrawStrike); the
// supervisor reopens it if the conversation should go on.
func (d *Desk) WithdrawStrike(ctx context.Context, id, strikeID int64, reason string) (*rapport.Strike, *rapport.Ticket, error) {
	me, err := staff(ctx, "withdraw a strike")
	if err != nil {
		return nil, nil, err
	}
	if !me.CanSupervise() {
		return nil, nil, rapport.Errorf(rapport.EFORBIDDEN, "Only supervisors and administrators can withdraw a strike.")
	}
	var s *rapport.Strike
	var t *rapport.Ticket
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if t, err = d.lockVisible(ctx, tx, me, id); err != nil {
			return err
		}
		if s, err = tx.LockStrike(ctx, strikeID); rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return rapport.Errorf(rapport.ENOTFOUND, "Ticket %d has no strike %d.", id, strikeID)
		} else if err != nil {
			return err
		}
		ev, err := t.WithdrawStrike(me, s, reason, d.now())
		if err != nil {
			return err
		}
		if err := tx.WithdrawStrike(ctx, s); err != nil {
			return err
		}
		return d.save(ctx, tx, t, ev)
	})
	if err != nil {
		return nil, nil, err
	}
	d.notify(ctx, t, false)
	t, err = d.store.FindTicketByID(ctx, id)
	return s, t, afterCommit(err)
}

// TicketStrikes lists the strikes on ticket id, withdrawn ones included,
// oldest first (staff only).
func (d *Desk) TicketStrikes(ctx context.Context, id int64) ([]*rapport.Strike, error) {
	if _, err := staff(ctx, "see strikes"); err != nil {
		return nil, err
	}
	if _, err := d.Ticket(ctx, id); err != nil {
		return nil, err
	}
	return d.store.FindStrikes(ctx, rapport.StrikeFilter{TicketID: id, Limit: 500})
}

// UserStrikes lists the strikes on a person's messages across their
// tickets, oldest first (staff only): their history, with what was
// withdrawn and why.
func (d *Desk) UserStrikes(ctx context.Context, userID int64) ([]*rapport.Strike, error) {
	me, err := staff(ctx, "see a person's strikes")
	if err != nil {
		return nil, err
	}
	if _, err := d.store.FindUserByID(ctx, userID); err != nil {
		return nil, err
	}
	ss, err := d.store.FindStrikes(ctx, rapport.StrikeFilter{RequesterID: userID, Limit: 500})
	if err != nil {
		return nil, err
	}
	if err := d.audit(ctx, me, userID, rapport.AuditStrikes, ""); err != nil {
		return nil, err
	}
	return ss, nil
}

// StrikeTexts returns what each strike sends (staff: agents read it
// before they confirm a strike).
func (d *Desk) StrikeTexts(ctx context.Context) ([]*rapport.StrikeText, error) {
	if _, err := staff(ctx, "see what strikes send"); err != nil {
		return nil, err
	}
	return d.store.FindStrikeTexts(ctx)
}

// SetStrikeText replaces what strike step sends (supervisors and admins).
func (d *Desk) SetStrikeText(ctx context.Context, step int, body string) (*rapport.StrikeText, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := rapport.NewStrikeText(me, step, body, d.now())
	if err != nil {
		return nil, err
	}
	err = d.store.Update(ctx, func(tx rapport.Tx) error { return tx.SaveStrikeText(ctx, t) })
	return t, err
}

// NextStrike says what marking a message on ticket id would do now: the
// step (1 to 3; 0 when the ticket has had its three) and the exact text
// the requester would receive, filled in for them and the caller. It
// changes nothing. A text that cannot be filled in (the caller has no
// phone number for {{agent.phone}}) is ECONFLICT saying what to do.
func (d *Desk) NextStrike(ctx context.Context, id int64) (int, string, error) {
	me, err := staff(ctx, "mark a message as discourteous")
	if err != nil {
		return 0, "", err
	}
	t, err := d.Ticket(ctx, id)
	if err != nil || t.Strikes >= rapport.MaxStrikes {
		return 0, "", err
	}
	texts, err := d.store.FindStrikeTexts(ctx)
	if err != nil {
		return 0, "", err
	}
	var requester *rapport.User
	if t.Requester != nil {
		if requester, err = d.store.FindUserByID(ctx, t.Requester.ID); err != nil {
			return 0, "", err
		}
	}
	for _, x := range texts {
		if x.Step == t.Strikes+1 {
			body, err := x.Render(rapport.TemplateContext{Ticket: t, Requester: requester, Agent: me})
			return x.Step, body, err
		}
	}
	return 0, "", rapport.Errorf(rapport.EINTERNAL, "no text for strike %d", t.Strikes+1)
}

// colleagueIn finds the colleague named by email for field, in tx.
func colleagueIn(ctx context.Context, tx rapport.Tx, email string) (*rapport.User, error) {
	if email == "" {
		return nil, rapport.Invalid("colleague", "Choose a colleague (their email address).")
	}
	u, err := findUser(ctx, tx, email)
	switch rapport.ErrorCode(err) {
	case rapport.ENOTFOUND, rapport.EINVALID:
		return nil, rapport.Invalid("colleague", "%s", firstMessage(err))
	}
	return u, err
}

// firstMessage is err's field message, or its message.
func firstMessage(err error) string {
	if fs := rapport.ErrorFields(err); len(fs) > 0 {
		return fs[0].Message
	}
	return rapport.ErrorMessage(err)
}

// Invite asks the colleague with email to join ticket id, with an optional
// message: an internal timeline event, a notice mail and a live alert to
// them. The ticket keeps its assignee.
func (d *Desk) Invite(ctx context.Context, id int64, email, message string) (*rapport.Event, error) {
	me, err := staff(ctx, "ask a colleague to join a ticket")
	if err != nil {
		return nil, err
	}
	var ev *rapport.Event
	var t *rapport.Ticket
	var c *rapport.User
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if t, err = d.lockVisible(ctx, tx, me, id); err != nil {
			return err
		}
		if c, err = colleagueIn(ctx, tx, email); err != nil {
			return err
		}
		now := d.now()
		if ev, err = t.Invite(me, c, message, now); err != nil {
			return err
		}
		t.UpdatedAt = now
		if err := d.save(ctx, tx, t, ev); err != nil {
			return err
		}
		if !d.Notices {
			return nil
		}
		return enqueueNotices(ctx, tx, t.ID, []Notice{{Kind: NoticeInvited, TicketID: t.ID, To: c.ID,
			Key: "invited:" + strconv.FormatInt(ev.ID, 10), Body: ev.Body, By: me.Name}})
	})
	if err != nil {
		return nil, err
	}
	d.notify(ctx, t, false)
	d.alert(ctx, AlertInvited, t.ID, c.ID)
	return ev, nil
}

// Handover gives ticket id to the colleague with email, with a handover
// note (internal) that they read first: the assignment is public, so the
// requester sees who has their request now.
func (d *Desk) Handover(ctx context.Context, id int64, email, note string) (*rapport.Ticket, error) {
	me, err := staff(ctx, "hand a ticket over")
	if err != nil {
		return nil, err
	}
	var t *rapport.Ticket
	var c *rapport.User
	var queued bool
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if t, err = d.lockVisible(ctx, tx, me, id); err != nil {
			return err
		}
		queued = t.Queued()
		if c, err = colleagueIn(ctx, tx, email); err != nil {
			return err
		}
		assigned, handover, err := t.Handover(me, c, note, d.now())
		if err != nil {
			return err
		}
		if err := d.save(ctx, tx, t, assigned); err != nil {
			return err
		}
		handover.TicketID = t.ID
		if err := tx.AddEvent(ctx, handover); err != nil {
			return err
		}
		if !d.Notices {
			return nil
		}
		return enqueueNotices(ctx, tx, t.ID, []Notice{{Kind: NoticeHandover, TicketID: t.ID, To: c.ID,
			Key: "handover:" + strconv.FormatInt(handover.ID, 10), Body: handover.Body, By: me.Name}})
	})
	if err != nil {
		return nil, err
	}
	d.notify(ctx, t, queued)
	d.alert(ctx, AlertHandover, t.ID, c.ID)
	t, err = d.store.FindTicketByID(ctx, id)
	return t, afterCommit(err)
}
