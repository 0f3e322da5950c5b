package desk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
)

// Mail limits: one address may make at most DefaultMailTickets tickets by
// mail within DefaultMailTicketWindow; more mail from it is kept in the
// quarantine for an administrator. A loop or a flood that slipped past the
// automatic-mail checks then costs a handful of tickets, not hundreds.
const (
	DefaultMailTickets      = 10
	DefaultMailTicketWindow = time.Hour
)

// MailLimit bounds the tickets one address makes by mail.
type MailLimit struct {
	Tickets int
	Per     time.Duration
}

// ReceiveMail files a mail that reached the help desk, once: the mail is
// stored with its outcome in the same transaction as what it does, and a
// mail already stored (the same Message-ID from the same sender, or the
// same bytes when it has none) does nothing again and reports dup.
//
//   - Unreadable mail is quarantined; automatic mail (m.Noise) is ignored:
//     neither makes a ticket nor is answered.
//   - A reply naming one of Rapport's signed Message-IDs, or else a
//     ticket's subject tag, is added to that ticket when it comes from the
//     ticket's requester or from staff. From anyone else it makes a new
//     ticket: knowing a ticket number is no key to someone's ticket.
//   - The requester's reply to a resolved or closed ticket reopens it with
//     their words as the reason, as Reopen does (past the reopen window, a
//     linked follow-up); staff replies by mail are public replies.
//   - Mail from anyone else makes a ticket (channel email), making the
//     sender a requester if they are new, within the per-address limit.
//
// m's Outcome, Reason, TicketID and ID are set on return.
func (d *Desk) ReceiveMail(ctx context.Context, m *rapport.InboundMail) (dup bool, err error) {
	m.ReceivedAt = d.now()
	files, left, err := d.storeMailFiles(ctx, m)
	if err != nil {
		return false, fmt.Errorf("receive mail: %w", err)
	}
	var changed []*rapport.Ticket
	for attempt := 0; ; attempt++ {
		err = d.store.Update(ctx, func(tx rapport.Tx) error {
			// Update may run this twice (see rapport.Store): start clean.
			m.ID, m.Outcome, m.Reason, m.TicketID = 0, rapport.MailQuarantined, "", nil
			dup, changed = false, nil
			created, err := tx.CreateInboundMail(ctx, m)
			if err != nil {
				return err
			} else if !created {
				dup = true
				return nil
			}
			if changed, err = d.fileMail(ctx, tx, m, files); err != nil {
				return err
			}
			if left != "" && m.TicketID != nil {
				m.Reason += "; " + left
			}
			return tx.SetMailOutcome(ctx, m)
		})
		// Two mails from one new address at once may both try to add
		// them as a requester; the second try finds the account.
		if rapport.ErrorCode(err) != rapport.ECONFLICT || attempt > 0 {
			break
		}
	}
	if err != nil {
		return false, fmt.Errorf("receive mail: %w", err)
	}
	for _, t := range changed {
		d.notify(ctx, t, true)
	}
	return dup, nil
}

// fileMail decides what m does and does it, inside tx. It returns the
// tickets it changed, for notices after commit.
func (d *Desk) fileMail(ctx context.Context, tx rapport.Tx, m *rapport.InboundMail, files []stored) ([]*rapport.Ticket, error) {
	switch {
	case m.Unreadable != "":
		m.Outcome, m.Reason = rapport.MailQuarantined, m.Unreadable
		return nil, nil
	case m.Noise != "":
		m.Outcome, m.Reason = rapport.MailIgnored, m.Noise
		return nil, nil
	}
	sender, err := tx.FindUserByEmail(ctx, m.FromAddr)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		sender = nil
	} else if err != nil {
		return nil, err
	}
	now := d.now()
	var refused []string
	try := func(id int64, how string) (*rapport.Ticket, error) {
		t, err := tx.LockTicket(ctx, id)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			refused = append(refused, fmt.Sprintf("%s names ticket %d, which does not exist", how, id))
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if !mayReplyByMail(sender, t) {
			refused = append(refused, fmt.Sprintf("%s names ticket %d, which is not the sender's", how, id))
			return nil, nil
		}
		return t, nil
	}
	for i := len(m.RefTickets) - 1; i >= 0; i-- {
		t, err := try(m.RefTickets[i], "References")
		if err != nil {
			return nil, err
		}
		if t != nil {
			return d.mailReply(ctx, tx, m, files, sender, t, "threaded by References", now)
		}
	}
	if m.TagTicket != 0 {
		t, err := try(m.TagTicket, "the subject tag")
		if err != nil {
			return nil, err
		}
		if t != nil {
			return d.mailReply(ctx, tx, m, files, sender, t, "threaded by the subject tag", now)
		}
	}
	return d.mailTicket(ctx, tx, m, files, sender, strings.Join(refused, "; "), now)
}

// mayReplyByMail reports whether mail from sender may be added to t: they
// are its requester or enabled staff.
func mayReplyByMail(sender *rapport.User, t *rapport.Ticket) bool {
	if sender == nil {
		return false
	}
	if sender.IsStaff() && sender.DisabledAt == nil {
		return true
	}
	return t.Requester != nil && t.Requester.ID == sender.ID
}

// mailReply adds m to t as sender's reply; the requester's reply to a
// ticket no longer active reopens it (or opens its follow-up).
func (d *Desk) mailReply(ctx context.Context, tx rapport.Tx, m *rapport.InboundMail, files []stored, sender *rapport.User, t *rapport.Ticket, how string, now time.Time) ([]*rapport.Ticket, error) {
	body := mailBody(m)
	m.Outcome, m.Reason, m.TicketID = rapport.MailReply, how, &t.ID
	if sender.IsStaff() || t.Status.Active() {
		prev, waiting := holdOf(t), onUs(t)
		ev, err := t.AddMessage(sender, body, false, now)
		if err != nil {
			return d.quarantine(m, err)
		}
		if err := d.readMood(ctx, tx, t, ev, waiting); err != nil {
			return nil, err
		}
		if err := d.save(ctx, tx, t, mailEvent(ev, m)); err != nil {
			return nil, err
		}
		return []*rapport.Ticket{t}, d.mailed(ctx, tx, sender, t, ev, files, prev)
	}
	// Reopen's reason has a shorter limit than a message: a longer reply
	// reopens with its start and is added whole beside it.
	reason := rapport.Cut(body, rapport.MaxReasonLen)
	ev, err := t.Reopen(sender, reason, d.ReopenWindow, now)
	if err == nil {
		m.Reason = how + "; reopened the ticket"
		if err := d.readMood(ctx, tx, t, ev, false); err != nil {
			return nil, err
		}
		if err := d.save(ctx, tx, t, mailEvent(ev, m)); err != nil {
			return nil, err
		}
		if reason == body {
			return []*rapport.Ticket{t}, d.mailed(ctx, tx, sender, t, ev, files, nil)
		}
		if err := d.queueNotices(ctx, tx, sender, t, ev, nil); err != nil {
			return nil, err
		}
		msg, err := t.AddMessage(sender, body, false, now)
		if err != nil {
			return d.quarantine(m, err)
		}
		// The whole reply is read again: the reason was only its start.
		if err := d.readMood(ctx, tx, t, msg, false); err != nil {
			return nil, err
		}
		if err := d.save(ctx, tx, t, mailEvent(msg, m)); err != nil {
			return nil, err
		}
		return []*rapport.Ticket{t}, d.mailed(ctx, tx, sender, t, msg, files, nil)
	} else if err != rapport.ErrReopenWindowPassed {
		return d.quarantine(m, err)
	}
	// Past the window: the follow-up, as Reopen makes it. One made
	// already takes the reply if it is still open.
	f, err := tx.FindFollowUp(ctx, t.ID)
	if err == nil && f.Status.Active() {
		m.Reason, m.TicketID = how+"; added to the follow-up of a ticket past its reopen window", &f.ID
		prev, waiting := holdOf(f), onUs(f)
		ev, err := f.AddMessage(sender, body, false, now)
		if err != nil {
			return d.quarantine(m, err)
		}
		if err := d.readMood(ctx, tx, f, ev, waiting); err != nil {
			return nil, err
		}
		if err := d.save(ctx, tx, f, mailEvent(ev, m)); err != nil {
			return nil, err
		}
		return []*rapport.Ticket{f}, d.mailed(ctx, tx, sender, f, ev, files, prev)
	} else if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return nil, err
	} else if err == nil {
		return d.mailTicket(ctx, tx, m, files, sender, fmt.Sprintf("ticket %d and its follow-up %d are both done", t.ID, f.ID), now)
	}
	f, first := t.FollowUp(sender, reason, now)
	f.Channel = rapport.ChannelEmail
	if err := d.readMood(ctx, tx, f, first, false); err != nil {
		return nil, err
	}
	if err := tx.CreateTicket(ctx, f); err != nil {
		return nil, err
	}
	if err := d.startSLA(ctx, tx, f); err != nil {
		return nil, err
	}
	first.TicketID = f.ID
	if err := tx.AddEvent(ctx, mailEvent(first, m)); err != nil {
		return nil, err
	}
	if err := tx.AddEvent(ctx, &rapport.Event{TicketID: t.ID, Type: rapport.EventFollowUp, Actor: sender.Ref(),
		Body: "Continued in ticket " + strconv.FormatInt(f.ID, 10) + ".", CreatedAt: now,
		Data: map[string]string{"ticket_id": strconv.FormatInt(f.ID, 10)}}); err != nil {
		return nil, err
	}
	m.Outcome, m.Reason, m.TicketID = rapport.MailTicket, how+"; past the reopen window, opened a follow-up", &f.ID
	return []*rapport.Ticket{f, {ID: t.ID, Requester: t.Requester}}, d.mailed(ctx, tx, sender, f, first, files, nil)
}

// mailTicket makes a new ticket of m, within the sender's limit. why says
// why it did not thread (for the record), "" when nothing was named.
func (d *Desk) mailTicket(ctx context.Context, tx rapport.Tx, m *rapport.InboundMail, files []stored, sender *rapport.User, why string, now time.Time) ([]*rapport.Ticket, error) {
	limit := d.MailLimit
	if limit.Tickets <= 0 {
		limit = MailLimit{Tickets: DefaultMailTickets, Per: DefaultMailTicketWindow}
	}
	if sender != nil {
		// Mail from one address is counted one at a time.
		if _, err := tx.LockUser(ctx, sender.ID); err != nil {
			return nil, err
		}
	}
	n, err := tx.CountMailTickets(ctx, m.FromAddr, now.Add(-limit.Per))
	if err != nil {
		return nil, err
	}
	if n >= limit.Tickets {
		m.Outcome = rapport.MailQuarantined
		m.Reason = fmt.Sprintf("rate_limited: this address made %d tickets by mail in the last %s", n, limit.Per)
		return nil, nil
	}
	requester := sender
	if requester == nil {
		if requester, err = d.findOrAddRequester(ctx, tx, m.FromAddr, mailName(m), now); err != nil {
			return nil, err
		}
	}
	subject := strings.TrimSpace(m.Subject)
	if subject == "" {
		subject = "(no subject)"
	}
	// The triage questions were not asked: normal priority, until an
	// agent re-triages it. Words in a mail are no measure of impact.
	t, ev, err := rapport.NewTicket(rapport.TicketInput{Subject: subject, Body: mailBody(m), Channel: rapport.ChannelEmail}, requester, nil, now)
	if err != nil {
		return d.quarantine(m, err)
	}
	if err := d.readMood(ctx, tx, t, ev, false); err != nil {
		return nil, err
	}
	if err := tx.CreateTicket(ctx, t); err != nil {
		return nil, err
	}
	if err := d.startSLA(ctx, tx, t); err != nil {
		return nil, err
	}
	ev.TicketID = t.ID
	if err := tx.AddEvent(ctx, mailEvent(ev, m)); err != nil {
		return nil, err
	}
	m.Outcome, m.Reason, m.TicketID = rapport.MailTicket, "new request", &t.ID
	if why != "" {
		m.Reason = "new request: " + why
	}
	return []*rapport.Ticket{t}, d.mailed(ctx, tx, requester, t, ev, files, nil)
}

// mailed finishes an event a mail made on t, in tx: the mail's files go
// with it, and the notices it calls for are queued, as for the same change
// from the web or the API.
func (d *Desk) mailed(ctx context.Context, tx rapport.Tx, who *rapport.User, t *rapport.Ticket, ev *rapport.Event, files []stored, prev *rapport.Hold) error {
	if err := attachTx(ctx, tx, ev, files); err != nil {
		return err
	}
	return d.queueNotices(ctx, tx, who, t, ev, prev)
}

// storeMailFiles puts the files of a mail that may make or join a ticket
// into blob storage, before its transaction (as storeFiles does for the
// other channels). Mail is never refused for its files: one over the size
// limit, or past the most one message takes, is left out and said so in
// the mail's record; its bytes stay in the raw message.
func (d *Desk) storeMailFiles(ctx context.Context, m *rapport.InboundMail) (files []stored, left string, err error) {
	if d.Files == nil || m.Unreadable != "" || m.Noise != "" {
		return nil, "", nil
	}
	var out []stored
	var names []string
	for _, a := range m.Attachments {
		name := rapport.CleanFileName(a.Name)
		if len(out) == rapport.MaxAttachmentsPerEvent {
			names = append(names, name)
			continue
		}
		b, err := d.Files.Put(ctx, bytes.NewReader(a.Content))
		if errors.Is(err, attach.ErrTooLarge) {
			names = append(names, name)
			continue
		} else if err != nil {
			return nil, "", fmt.Errorf("store file %q: %w", name, err)
		}
		out = append(out, stored{name: name, blob: b})
	}
	if len(names) > 0 {
		left = "files only in the original mail (over " + Size(d.Files.Max) + ", or past " +
			strconv.Itoa(rapport.MaxAttachmentsPerEvent) + " files): " + strings.Join(names, ", ")
	}
	return out, left, nil
}

// quarantine keeps m for an administrator when the desk refuses what it
// says (a domain rule's error); other errors roll the mail back.
func (d *Desk) quarantine(m *rapport.InboundMail, err error) ([]*rapport.Ticket, error) {
	switch rapport.ErrorCode(err) {
	case rapport.EINVALID, rapport.ECONFLICT, rapport.EFORBIDDEN:
		m.Outcome, m.Reason, m.TicketID = rapport.MailQuarantined, "refused: "+rapport.ErrorMessage(err), nil
		return nil, nil
	}
	return nil, err
}

// mailBody is the text m puts on a timeline: the new part of the mail,
// else all of it, cut to the message limit (the original is kept whole).
func mailBody(m *rapport.InboundMail) string {
	body := strings.TrimSpace(m.Body)
	if body == "" {
		body = strings.TrimSpace(m.Text)
	}
	if body == "" {
		body = "(This email has no text.)"
		if len(m.Attachments) > 0 {
			body = "(This email has no text, only attachments.)"
		}
	}
	return rapport.Cut(body, rapport.MaxBodyLen)
}

// mailName is the name a new requester gets: the From display name, else
// one guessed from the address.
func mailName(m *rapport.InboundMail) string {
	name := strings.Trim(strings.TrimSpace(m.FromName), `"'`)
	if name == "" || strings.Contains(name, "@") || !utf8.ValidString(name) {
		return rapport.NameFromEmail(m.FromAddr)
	}
	return rapport.Cut(name, rapport.MaxNameLen)
}

// mailEvent marks ev as coming from mail m.
func mailEvent(ev *rapport.Event, m *rapport.InboundMail) *rapport.Event {
	if ev.Data == nil {
		ev.Data = map[string]string{}
	}
	ev.Data["mail_id"] = strconv.FormatInt(m.ID, 10)
	if len(m.Attachments) > 0 {
		names := make([]string, 0, len(m.Attachments))
		for _, a := range m.Attachments {
			if a.Name != "" {
				names = append(names, a.Name)
			}
		}
		if len(names) > 0 {
			ev.Data["attachments"] = strings.Join(names, ", ")
		}
	}
	return ev
}

// Mail returns a page of received mail for administrators, newest first.
func (d *Desk) Mail(ctx context.Context, f rapport.MailFilter) ([]*rapport.InboundMail, string, error) {
	if _, err := admin(ctx, "see received mail"); err != nil {
		return nil, "", err
	}
	return d.store.FindInboundMails(ctx, f)
}

// MailMessage returns one received mail with its raw original, for staff.
// The read is audited as the sender's data (their account's when they
// have one; else the log names the address).
func (d *Desk) MailMessage(ctx context.Context, id int64) (*rapport.InboundMail, error) {
	me, err := staff(ctx, "read the original of a mail")
	if err != nil {
		return nil, err
	}
	m, err := d.store.FindInboundMail(ctx, id)
	if err != nil {
		return nil, err
	}
	var sender int64
	ref := fmt.Sprintf("mail %d", m.ID)
	if m.FromAddr != "" {
		u, err := d.store.FindUserByEmail(ctx, m.FromAddr)
		switch rapport.ErrorCode(err) {
		case "":
			sender = u.ID
		case rapport.ENOTFOUND, rapport.EINVALID:
			ref += " from " + m.FromAddr
		default:
			return nil, err
		}
	} else {
		ref += " (sender unreadable)"
	}
	if err := d.audit(ctx, me, sender, rapport.AuditMail, ref); err != nil {
		return nil, err
	}
	return m, nil
}

// SaveMailCursor records how far the poller read a mailbox. It is its own
// small write, after the mail it covers committed: a crash in between
// only makes the next poll read those mails again, which the dedupe
// turns into nothing.
func (d *Desk) SaveMailCursor(ctx context.Context, c *rapport.MailCursor) error {
	return d.store.Update(ctx, func(tx rapport.Tx) error { return tx.SaveMailCursor(ctx, c) })
}

// MailCursor returns how far the poller read a mailbox.
func (d *Desk) MailCursor(ctx context.Context, mailbox string) (*rapport.MailCursor, error) {
	return d.store.FindMailCursor(ctx, mailbox)
}
