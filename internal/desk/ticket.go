package desk

import (
	"context"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
)

// NewTicket is a request for help as it arrives from any channel.
type NewTicket struct {
	rapport.TicketInput
	// RequesterEmail lets staff log a request on someone's behalf (a phone
	// call, a walk-up). A person not yet known gets a requester account.
	RequesterEmail string
	// RequesterName names that new account; guessed from the email if empty.
	RequesterName string
	// DraftToken, when set, names the sitting at the "Ask for help" form
	// this was written in (rapport.Draft): the author's draft is cleared in
	// the same transaction, so it is gone exactly when the request is in.
	DraftToken string
	// Files go with the request (see File), on its first timeline entry.
	Files []File
}

// CreateTicket stores a new ticket in the queue and returns it with its
// place in the queue.
func (d *Desk) CreateTicket(ctx context.Context, in NewTicket) (*rapport.Ticket, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	onBehalf := in.RequesterEmail != ""
	var addr string
	if onBehalf {
		var why string
		if addr, why = rapport.NormalizeEmail(in.RequesterEmail); why != "" {
			return nil, rapport.Invalid("requester", "%s", why)
		}
		onBehalf = addr != me.Email
		if onBehalf && !me.IsStaff() {
			return nil, rapport.Errorf(rapport.EFORBIDDEN, "You can ask for help for yourself; help desk staff can log requests for others.")
		}
	}
	if in.Channel == "" {
		in.Channel = rapport.ChannelAPI
		if onBehalf {
			in.Channel = rapport.ChannelPhone
		}
	}
	if in.DraftToken != "" && !rapport.ValidDraftToken(in.DraftToken) {
		return nil, rapport.Invalid("draft", "The form's draft token is malformed; reload the page and send it again.")
	}
	now := d.now()
	if len(in.Files) > 0 {
		// Validate first, so that bad input stores no file.
		if _, _, err := rapport.NewTicket(in.TicketInput, me, nil, now); err != nil {
			return nil, err
		}
	}
	kept, err := d.storeFiles(ctx, in.Files)
	if err != nil {
		return nil, err
	}
	if onBehalf {
		// Validate before looking anyone up, so bad input costs nothing.
		if _, _, err := rapport.NewTicket(in.TicketInput, me, nil, now); err != nil {
			return nil, err
		}
	}
	var t *rapport.Ticket
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		requester := me
		if onBehalf {
			u, err := d.findOrAddRequester(ctx, tx, addr, in.RequesterName, now)
			if err != nil {
				return err
			}
			requester = u
		}
		tk, ev, err := rapport.NewTicket(in.TicketInput, requester, me, now)
		if err != nil {
			return err
		}
		if err := d.readMood(ctx, tx, tk, ev, false); err != nil {
			return err
		}
		if err := tx.CreateTicket(ctx, tk); err != nil {
			return err
		}
		if err := d.startSLA(ctx, tx, tk); err != nil {
			return err
		}
		ev.TicketID = tk.ID
		t = tk
		if in.DraftToken != "" {
			if err := tx.SendDraft(ctx, me.ID, rapport.DraftNewRequest, in.DraftToken, now); err != nil {
				return err
			}
		}
		if err := tx.AddEvent(ctx, ev); err != nil {
			return err
		}
		if err := attachTx(ctx, tx, ev, kept); err != nil {
			return err
		}
		return d.queueNotices(ctx, tx, me, tk, ev, nil)
	})
	if err != nil {
		return nil, err
	}
	d.notify(ctx, t, true)
	// The place in the queue is read from committed data, never inside
	// the write: see store/position.go.
	t, err = d.store.FindTicketByID(ctx, t.ID)
	return t, afterCommit(err)
}

func (d *Desk) findOrAddRequester(ctx context.Context, tx rapport.Tx, addr, name string, now time.Time) (*rapport.User, error) {
	u, err := tx.FindUserByEmail(ctx, addr)
	if rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return u, err
	}
	if name == "" {
		name = rapport.NameFromEmail(addr)
	}
	if u, err = rapport.NewUser(addr, name, rapport.RoleRequester, now); err != nil {
		return nil, err
	}
	return u, tx.CreateUser(ctx, u)
}

// Ticket returns a ticket the caller may see; others' tickets are
// ENOTFOUND to a requester, exactly as if they did not exist.
func (d *Desk) Ticket(ctx context.Context, id int64) (*rapport.Ticket, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := d.store.FindTicketByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.CanView(me) {
		return nil, notFound(id)
	}
	return t, nil
}

// TicketQuery asks for a page of tickets, naming people as a person would.
type TicketQuery struct {
	rapport.TicketFilter
	// Assignee is "me", "none", an email address or a user id; "" for anyone.
	Assignee string
	// Requester is an email address or a user id; "" for anyone. Staff only:
	// a requester may name only themselves.
	Requester string
}

// Tickets returns a page of tickets and the cursor of the next one.
// Requesters only ever see their own, and their searches never match
// internal notes.
func (d *Desk) Tickets(ctx context.Context, q TicketQuery) ([]*rapport.Ticket, string, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	f := q.TicketFilter
	switch q.Assignee {
	case "":
	case "none":
		f.Unassigned = true
	case "me":
		f.AssigneeID = &me.ID
	default:
		u, err := d.person(ctx, "assignee", q.Assignee)
		if err != nil {
			return nil, "", err
		}
		f.AssigneeID = &u.ID
	}
	if err := moodFilter(me, q); err != nil {
		return nil, "", err
	}
	if !me.IsStaff() {
		if q.Requester != "" && !isMe(me, q.Requester) {
			return nil, "", rapport.Errorf(rapport.EFORBIDDEN, "You can list your own tickets; only help desk staff can list other people's.")
		}
		f.RequesterID, f.SearchNotes = &me.ID, false
		return d.store.FindTickets(ctx, f)
	}
	if q.Requester != "" {
		u, err := d.person(ctx, "requester", q.Requester)
		if err != nil {
			return nil, "", err
		}
		f.RequesterID = &u.ID
	}
	f.SearchNotes = true
	return d.store.FindTickets(ctx, f)
}

// person finds the user named by ref, an email address or a user id, for
// the filter field; someone unknown is a plain field error.
func (d *Desk) person(ctx context.Context, field, ref string) (*rapport.User, error) {
	var u *rapport.User
	var err error
	if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil && id > 0 {
		u, err = d.store.FindUserByID(ctx, id)
	} else if addr, why := rapport.NormalizeEmail(ref); why != "" {
		return nil, rapport.Invalid(field, "Name someone by email address or user number: %s", why)
	} else {
		u, err = d.store.FindUserByEmail(ctx, addr)
	}
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Invalid(field, "There is no one with the account %q.", ref)
	}
	return u, err
}

// isMe reports whether ref (an email address or a user id) names me.
func isMe(me *rapport.User, ref string) bool {
	if addr, why := rapport.NormalizeEmail(ref); why == "" && addr == me.Email {
		return true
	}
	return ref == strconv.FormatInt(me.ID, 10)
}

// Queue lists up to limit tickets waiting to be picked up, in serving
// order, after the cursor (the zero cursor starts at the front).
func (d *Desk) Queue(ctx context.Context, after rapport.QueueCursor, limit int) ([]*rapport.Ticket, error) {
	if _, err := staff(ctx, "see the queue"); err != nil {
		return nil, err
	}
	return d.store.FindQueue(ctx, after, limit)
}

// ClaimNext gives the caller the next ticket in serving order. It returns
// nil when the queue is empty. Two agents never get the same ticket.
func (d *Desk) ClaimNext(ctx context.Context) (*rapport.Ticket, error) {
	me, err := staff(ctx, "pick up tickets")
	if err != nil {
		return nil, err
	}
	var t *rapport.Ticket
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		if t, err = tx.LockNextQueued(ctx); err != nil {
			return err
		}
		return d.apply(ctx, tx, t, func() (*rapport.Event, error) { return t.Claim(me, d.now()) })
	})
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	d.notify(ctx, t, true)
	return t, nil
}

// Timeline returns a page of a ticket's events, oldest first, and the
// cursor of the next page; internal ones only for staff.
func (d *Desk) Timeline(ctx context.Context, id int64, after string, limit int) ([]*rapport.Event, string, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	if _, err := d.Ticket(ctx, id); err != nil {
		return nil, "", err
	}
	evs, next, err := d.store.FindEvents(ctx, rapport.EventFilter{TicketID: id, IncludeInternal: me.IsStaff(), After: after, Limit: limit})
	return forViewer(me, evs...), next, err
}

// AddMessage adds a reply, or for staff an internal note, to a ticket.
func (d *Desk) AddMessage(ctx context.Context, id int64, body string, internal bool) (*rapport.Event, error) {
	return d.AddMessageWithFiles(ctx, id, body, internal, nil)
}

// Resolve marks a ticket as fixed. The requester may resolve their own.
func (d *Desk) Resolve(ctx context.Context, id int64, resolution string) (*rapport.Ticket, error) {
	return d.ResolveWith(ctx, id, Resolution{Text: resolution})
}

// Close marks a resolved ticket as done.
func (d *Desk) Close(ctx context.Context, id int64) (*rapport.Ticket, error) {
	return d.change(ctx, id, func(me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		return t.Close(me, d.now())
	})
}

// Triage sets a ticket's priority by hand, with a reason the requester reads.
func (d *Desk) Triage(ctx context.Context, id int64, p rapport.Priority, reason string) (*rapport.Ticket, error) {
	return d.change(ctx, id, func(me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		return t.Triage(me, p, reason, d.now())
	})
}

// Wait puts a ticket on hold, with a reason and, if known, an expected date.
func (d *Desk) Wait(ctx context.Context, id int64, reason string, until *time.Time) (*rapport.Ticket, error) {
	return d.change(ctx, id, func(me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		return t.Wait(me, reason, until, d.now())
	})
}

// Assign gives a ticket to the staff member with email, or puts it back in
// the queue when email is empty.
func (d *Desk) Assign(ctx context.Context, id int64, email string) (*rapport.Ticket, error) {
	return d.changeTx(ctx, id, func(tx rapport.Tx, me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		var agent *rapport.User
		if email != "" {
			u, err := findUser(ctx, tx, email)
			if rapport.ErrorCode(err) == rapport.ENOTFOUND {
				return nil, rapport.Invalid("assignee", "%s", rapport.ErrorMessage(err))
			} else if err != nil {
				return nil, err
			}
			agent = u
		}
		return t.Assign(me, agent, d.now())
	})
}

// Reopen puts a resolved or closed ticket back to work. Past the reopen
// window it opens a linked follow-up instead; followUp says which happened
// and the returned ticket is the one now being worked on. A ticket has at
// most one follow-up: reopening it again (a double click, a retry) answers
// the follow-up already made and records nothing new.
func (d *Desk) Reopen(ctx context.Context, id int64, reason string) (t *rapport.Ticket, followUp bool, err error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, false, err
	}
	return d.reopenThen(ctx, me, id, reason, nil)
}

// reopenThen is Reopen with first, when not nil, run on the locked old
// ticket in the same transaction, before it reopens: a check-in's answer
// is recorded exactly when its reopening happens.
func (d *Desk) reopenThen(ctx context.Context, me *rapport.User, id int64, reason string,
	first func(ctx context.Context, tx rapport.Tx, old *rapport.Ticket) error) (t *rapport.Ticket, followUp bool, err error) {
	var created bool
	for attempt := 0; ; attempt++ {
		t, followUp, created, err = d.reopen(ctx, me, id, reason, first)
		// The lock on the old ticket makes repeats wait their turn, so the
		// unique index on follow_up_of should never refuse a follow-up; if
		// it does, a second attempt finds the one that won.
		if err == nil || !created || attempt > 0 {
			break
		}
	}
	if err != nil {
		return nil, false, err
	}
	d.notify(ctx, t, true)
	if followUp && t.FollowUpOf != nil { // the old ticket's timeline links to it
		d.notify(ctx, &rapport.Ticket{ID: *t.FollowUpOf, Requester: t.Requester}, false)
	}
	// Read back after commit: the queue position is counted from committed
	// data (see store/position.go).
	t, err = d.store.FindTicketByID(ctx, t.ID)
	return t, followUp, afterCommit(err)
}

// reopen is one attempt at Reopen. created reports that it created (or,
// on error, tried to create) a follow-up.
func (d *Desk) reopen(ctx context.Context, me *rapport.User, id int64, reason string,
	first func(ctx context.Context, tx rapport.Tx, old *rapport.Ticket) error) (t *rapport.Ticket, followUp, created bool, err error) {
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		t, followUp, created = nil, false, false
		old, err := d.lockVisible(ctx, tx, me, id)
		if err != nil {
			return err
		}
		if first != nil {
			if err := first(ctx, tx, old); err != nil {
				return err
			}
		}
		now := d.now()
		ev, err := old.Reopen(me, reason, d.ReopenWindow, now)
		if err == nil {
			t = old
			if err := d.readMood(ctx, tx, old, ev, false); err != nil {
				return err
			}
			if err := d.save(ctx, tx, old, ev); err != nil {
				return err
			}
			return d.queueNotices(ctx, tx, me, old, ev, nil)
		} else if err != rapport.ErrReopenWindowPassed {
			return err
		}
		followUp = true
		if t, err = tx.FindFollowUp(ctx, old.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return err
		}
		created = true
		var first *rapport.Event
		t, first = old.FollowUp(me, reason, now)
		if err := d.readMood(ctx, tx, t, first, false); err != nil {
			return err
		}
		if err := tx.CreateTicket(ctx, t); err != nil {
			return err
		}
		if err := d.startSLA(ctx, tx, t); err != nil {
			return err
		}
		first.TicketID = t.ID
		if err := tx.AddEvent(ctx, first); err != nil {
			return err
		}
		if err := d.queueNotices(ctx, tx, me, t, &rapport.Event{ID: first.ID, Type: rapport.EventReopened, Body: reason}, nil); err != nil {
			return err
		}
		link := &rapport.Event{TicketID: old.ID, Type: rapport.EventFollowUp, Actor: me.Ref(),
			Body: "Continued in ticket " + strconv.FormatInt(t.ID, 10) + ".", CreatedAt: now,
			Data: map[string]string{"ticket_id": strconv.FormatInt(t.ID, 10)}}
		if err := cancelCheckins(ctx, tx, old, link); err != nil {
			return err
		}
		return tx.AddEvent(ctx, link)
	})
	return t, followUp, created, err
}

// change runs fn on a locked ticket the caller may see, saves the ticket and
// the event fn returns, and reads the ticket back with its queue position.
func (d *Desk) change(ctx context.Context, id int64, fn func(me *rapport.User, t *rapport.Ticket) (*rapport.Event, error)) (*rapport.Ticket, error) {
	return d.changeTx(ctx, id, func(_ rapport.Tx, me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		return fn(me, t)
	})
}

func (d *Desk) changeTx(ctx context.Context, id int64, fn func(tx rapport.Tx, me *rapport.User, t *rapport.Ticket) (*rapport.Event, error)) (*rapport.Ticket, error) {
	return d.changeThen(ctx, id, fn, nil)
}

// changeThen is changeTx with then, when not nil, run in the same
// transaction after the event is saved (it has its ID): to record what
// belongs to the event, such as its files.
func (d *Desk) changeThen(ctx context.Context, id int64, fn func(tx rapport.Tx, me *rapport.User, t *rapport.Ticket) (*rapport.Event, error), then func(tx rapport.Tx, ev *rapport.Event) error) (*rapport.Ticket, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var changed *rapport.Ticket
	var queue bool
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		t, err := d.lockVisible(ctx, tx, me, id)
		if err != nil {
			return err
		}
		changed, queue = t, t.Queued()
		prev := holdOf(t)
		ev, err := fn(tx, me, t)
		if err != nil {
			return err
		}
		if err := d.save(ctx, tx, t, ev); err != nil {
			return err
		}
		if then != nil {
			if err := then(tx, ev); err != nil {
				return err
			}
		}
		return d.queueNotices(ctx, tx, me, t, ev, prev)
	})
	if err != nil {
		return nil, err
	}
	d.notify(ctx, changed, queue || changed.Queued())
	t, err := d.store.FindTicketByID(ctx, id)
	return t, afterCommit(err)
}

// apply runs a domain change on t and saves the result with its event.
func (d *Desk) apply(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, fn func() (*rapport.Event, error)) error {
	ev, err := fn()
	if err != nil {
		return err
	}
	return d.save(ctx, tx, t, ev)
}

func (d *Desk) save(ctx context.Context, tx rapport.Tx, t *rapport.Ticket, ev *rapport.Event) error {
	if err := tx.UpdateTicket(ctx, t); err != nil {
		return err
	}
	if err := d.syncSLA(ctx, tx, t); err != nil {
		return err
	}
	ev.TicketID = t.ID
	if err := tx.AddEvent(ctx, ev); err != nil {
		return err
	}
	return cancelCheckins(ctx, tx, t, ev)
}

// lockVisible locks a ticket the caller may see; others are ENOTFOUND.
func (d *Desk) lockVisible(ctx context.Context, tx rapport.Tx, me *rapport.User, id int64) (*rapport.Ticket, error) {
	t, err := tx.LockTicket(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.CanView(me) {
		return nil, notFound(id)
	}
	return t, nil
}

func notFound(id int64) error {
	return rapport.Errorf(rapport.ENOTFOUND, "There is no ticket %d, or you do not have access to it.", id)
}
