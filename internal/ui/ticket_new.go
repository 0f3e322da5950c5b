package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// logRequestPage is staff's "Log a request" form, for a request that came
// by phone or at the desk: typed in a few keystrokes (the email field has
// focus, Enter in any one-line field sends it).
type logRequestPage struct {
	Email, Name, Subject, Description string
	Channel                           rapport.Channel
	Impact                            rapport.Impact
	Error                             string
	Errors                            formErrors
}

// logRequestForm serves GET /tickets/new. A requester is sent to their
// own form.
func (u *UI) logRequestForm(w http.ResponseWriter, r *http.Request) error {
	if !rapport.UserFromContext(r.Context()).IsStaff() {
		http.Redirect(w, r, "/requests/new", http.StatusSeeOther)
		return nil
	}
	u.render(w, r, http.StatusOK, "ticket_new", "Log a request", &logRequestPage{Channel: rapport.ChannelPhone, Errors: formErrors{}})
	return nil
}

// logRequest serves POST /tickets: the ticket goes in the queue for the
// person named (an account is made for someone new, as the desk does) and
// its page opens.
func (u *UI) logRequest(w http.ResponseWriter, r *http.Request) error {
	if !rapport.UserFromContext(r.Context()).IsStaff() {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can log requests for others. To ask for help yourself, use Ask for help.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return rapport.Errorf(rapport.ETOOLARGE, "The request was too large to read. Please shorten the description and send it again.")
	}
	p := &logRequestPage{
		Email:       r.PostFormValue("email"),
		Name:        r.PostFormValue("name"),
		Subject:     r.PostFormValue("subject"),
		Description: r.PostFormValue("description"),
		Channel:     rapport.Channel(r.PostFormValue("channel")),
		Impact: rapport.Impact{
			Outage:     r.PostFormValue("outage") != "",
			CostsMoney: r.PostFormValue("costs_money") != "",
			BlocksWork: r.PostFormValue("blocks_work") != "",
		},
	}
	var err error
	switch {
	case strings.TrimSpace(p.Email) == "":
		// Without it the desk would log the request as the caller's own.
		err = rapport.Invalid("requester", "Give the email address of the person who needs help.")
	case p.Channel != rapport.ChannelPhone && p.Channel != rapport.ChannelWalkUp:
		err = rapport.Invalid("channel", "Choose how the request came in: by phone or at the desk.")
	}
	var t *rapport.Ticket
	if err == nil {
		t, err = u.desk.CreateTicket(r.Context(), desk.NewTicket{
			TicketInput:    rapport.TicketInput{Subject: p.Subject, Body: p.Description, Impact: p.Impact, Channel: p.Channel},
			RequesterEmail: p.Email, RequesterName: p.Name,
		})
	}
	if rapport.ErrorCode(err) == rapport.EINVALID {
		p.Error, p.Errors = rapport.ErrorMessage(err), fieldErrors(err)
		// The domain's names for the form's fields.
		for from, to := range map[string]string{"body": "description", "requester": "email", "email": "email"} {
			if m, ok := p.Errors[from]; ok {
				p.Errors[to] = m
			}
		}
		u.render(w, r, http.StatusUnprocessableEntity, "ticket_new", "Log a request", p)
		return nil
	} else if err != nil {
		return err
	}
	u.redirect(w, r, fmt.Sprintf("/tickets/%d", t.ID), fmt.Sprintf("Logged for %s as ticket %d.", t.Requester.Name, t.ID))
	return nil
}
