package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// ticketPage is one ticket as its page shows it, to its requester or to
// staff. The desk decides what each may see (internal notes only for
// staff); the page only chooses how to say it.
type ticketPage struct {
	Ticket *rapport.Ticket
	Events []*rapport.Event
	Staff  bool
	Me     *rapport.User
	// Earlier and Later link to the timeline's neighbouring pages, ""
	// when there is none.
	Earlier, Later string

	// Hold is the hold's reason and expected date in one sentence.
	Hold string
	// Triage is the latest change of priority by staff, with its reason.
	Triage *rapport.Event
	// FollowUp is the ticket that continues this one, 0 when none does.
	FollowUp int64
	// Window is the reopen window in words ("30 days"); WindowPassed says
	// a reopen now opens a linked follow-up instead.
	Window       string
	WindowPassed bool

	// Others are the requester's other recent tickets; Staffers are who
	// the ticket can be given to (staff view only).
	Others   []*rapport.Ticket
	Staffers []*rapport.User
	// Presence is the collision notice as the page opens (staff only).
	Presence string
	// Acknowledgement is the suggested opening of a reply, matched to the
	// requester's mood (staff only; "" when they read calm).
	Acknowledgement string
	// Person is the requester with their profile and notes (staff only).
	Person *rapport.User
	// Templates is the "Insert template" control (staff only).
	Templates *replyTemplates
	// Strikes: Three Strikes and the handover note (staff only; strikes.go).
	Strikes ticketStrikes
	// Follow: the check-in and kudos (followup.go).
	Follow ticketFollow

	// Form is the form sent back with a mistake: what was typed, kept,
	// and the errors beside their fields.
	Form ticketForm
}

// ticketForm is one of the ticket page's forms after a mistake.
type ticketForm struct {
	Name   string // "reply", "reopen", "triage", "hold", "assign"
	Values map[string]string
	Error  string
	Errors formErrors
}

// Value is what was typed into field of form, when form is the one sent.
func (f ticketForm) Value(form, field string) string {
	if f.Name != form {
		return ""
	}
	return f.Values[field]
}

// Err is field's error in form; field "" is the form's own error when
// no field has one.
func (f ticketForm) Err(form, field string) string {
	if f.Name != form {
		return ""
	}
	if field == "" {
		if len(f.Errors) > 0 {
			return ""
		}
		return f.Error
	}
	return f.Errors[field]
}

// Sent reports whether form is the one sent back.
func (f ticketForm) Sent(form string) bool { return f.Name == form }

// timelinePage is how many timeline steps one page shows. Longer
// timelines are paged with the store's cursor: the URL carries the cursor
// of each page walked so far (?after=c1&after=c2), the last one being this
// page's start, so "Show earlier messages" is the same list without its
// last cursor and works as a plain link, without JavaScript or a cursor
// that runs backwards.
const timelinePage = 200

// maxTimelineTrail bounds how many cursors a timeline URL may carry.
const maxTimelineTrail = 1000

// ticket serves GET /tickets/{id}. Someone else's ticket is 404 to a
// requester, exactly as if it did not exist.
func (u *UI) ticket(w http.ResponseWriter, r *http.Request) error {
	id, err := ticketID(r)
	if err != nil {
		return err
	}
	p, err := u.ticketPage(r, id, ticketForm{})
	if err != nil {
		return err
	}
	u.render(w, r, http.StatusOK, "ticket", p.Ticket.Subject, p)
	return nil
}

// ticketID reads the ticket number from the path.
func ticketID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no ticket %q.", r.PathValue("id"))
	}
	return id, nil
}

// ticketPage gathers what the page of ticket id shows to the caller, with
// form as the form sent back, if any.
func (u *UI) ticketPage(r *http.Request, id int64, form ticketForm) (*ticketPage, error) {
	ctx := r.Context()
	t, err := u.desk.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	trail := r.URL.Query()["after"]
	if len(trail) > maxTimelineTrail {
		return nil, rapport.Invalid("after", "This page link is too long. Please start again from the ticket's first page.")
	}
	var after string
	if len(trail) > 0 {
		after = trail[len(trail)-1]
	}
	events, next, err := u.desk.Timeline(ctx, id, after, timelinePage)
	if err != nil {
		return nil, err
	}
	me := rapport.UserFromContext(ctx)
	now := u.desk.Now()
	p := &ticketPage{Ticket: t, Events: events, Staff: me.IsStaff(), Me: me, Form: form,
		Hold: holdText(t.Hold, now), Window: days(u.desk.ReopenWindow)}
	if len(trail) > 0 {
		p.Earlier = timelineURL(id, trail[:len(trail)-1])
	}
	if next != "" {
		p.Later = timelineURL(id, append(trail[:len(trail):len(trail)], next))
	}
	if t.ResolvedAt != nil {
		p.WindowPassed = now.Sub(*t.ResolvedAt) > u.desk.ReopenWindow
	}
	for _, e := range events {
		switch e.Type {
		case rapport.EventTriaged:
			p.Triage = e
		case rapport.EventFollowUp:
			p.FollowUp, _ = strconv.ParseInt(e.Data["ticket_id"], 10, 64)
		}
	}
	if err := u.loadFollow(ctx, p); err != nil {
		return nil, err
	}
	if !p.Staff {
		return p, nil
	}
	if p.Others, err = u.otherTickets(r, t); err != nil {
		return nil, err
	}
	if p.Staffers, err = u.staffers(r); err != nil {
		return nil, err
	}
	p.Presence = u.presenceNotice(id, me)
	p.Acknowledgement = desk.Acknowledgement(t)
	if t.Requester != nil {
		if p.Person, err = u.desk.TicketPerson(ctx, t.Requester.ID, t.ID); err != nil {
			return nil, err
		}
	}
	if p.Templates, _, err = u.replyTemplates(r, t, nil); err != nil {
		return nil, err
	}
	if err := u.loadStrikes(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// timelineURL is the ticket page starting after the last cursor of trail,
// opened at the timeline.
func timelineURL(id int64, trail []string) string {
	u := "/tickets/" + strconv.FormatInt(id, 10)
	if len(trail) > 0 {
		u += "?" + url.Values{"after": trail}.Encode()
	}
	return u + "#timeline-heading"
}

// otherTicketsShown is how many of the requester's other tickets the staff
// view lists.
const otherTicketsShown = 5

// otherTickets returns the requester's most recent tickets other than t.
func (u *UI) otherTickets(r *http.Request, t *rapport.Ticket) ([]*rapport.Ticket, error) {
	if t.Requester == nil {
		return nil, nil
	}
	ts, _, err := u.desk.Tickets(r.Context(), desk.TicketQuery{
		TicketFilter: rapport.TicketFilter{Limit: otherTicketsShown + 1},
		Requester:    strconv.FormatInt(t.Requester.ID, 10),
	})
	if err != nil {
		return nil, err
	}
	out := ts[:0]
	for _, o := range ts {
		if o.ID != t.ID && len(out) < otherTicketsShown {
			out = append(out, o)
		}
	}
	return out, nil
}

// staffers returns the enabled staff accounts a ticket can be given to.
func (u *UI) staffers(r *http.Request) ([]*rapport.User, error) {
	var out []*rapport.User
	for _, role := range []rapport.Role{rapport.RoleAgent, rapport.RoleSupervisor, rapport.RoleAdmin} {
		us, _, err := u.desk.Users(r.Context(), rapport.UserFilter{Role: role, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, s := range us {
			if s.DisabledAt == nil {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// holdText says why a ticket waits and until when, as the requester reads
// it: "Waiting for the supplier — expected by 30 November".
func holdText(h *rapport.Hold, now time.Time) string {
	if h == nil {
		return ""
	}
	if h.Until == nil {
		return h.Reason
	}
	return h.Reason + " — expected by " + dayText(*h.Until, now)
}

// dayText names the day of t as people say it: "30 November", with the
// year when it is not this year's.
func dayText(t, now time.Time) string {
	t = t.UTC()
	if t.Year() == now.UTC().Year() {
		return t.Format("2 January")
	}
	return t.Format("2 January 2006")
}

// days says a duration in whole days ("30 days"), or hours when shorter.
func days(d time.Duration) string {
	if d >= 24*time.Hour {
		return plural(int(d/(24*time.Hour)), "day")
	}
	return plural(max(1, int(d/time.Hour)), "hour")
}
