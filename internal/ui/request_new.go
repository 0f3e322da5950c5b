package ui

import (
	"fmt"
	"net/http"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// newRequestPage is the "Ask for help" form: what was typed, kept in full
// after a mistake, and the errors beside their fields.
type newRequestPage struct {
	Subject, Description string
	Impact               rapport.Impact
	Error                string
	Errors               formErrors
}

func (u *UI) newRequestForm(w http.ResponseWriter, r *http.Request) error {
	u.render(w, r, http.StatusOK, "request_new", "Ask for help", &newRequestPage{Errors: formErrors{}})
	return nil
}

// createRequest serves POST /requests: the ticket goes in the queue
// (channel portal) and its page opens, showing the place in the queue.
func (u *UI) createRequest(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return rapport.Errorf(rapport.ETOOLARGE, "The request was too large to read. Please shorten the description and send it again.")
	}
	p := &newRequestPage{
		Subject:     r.PostFormValue("subject"),
		Description: r.PostFormValue("description"),
		Impact: rapport.Impact{
			Outage:     r.PostFormValue("outage") != "",
			CostsMoney: r.PostFormValue("costs_money") != "",
			BlocksWork: r.PostFormValue("blocks_work") != "",
		},
	}
	t, err := u.desk.CreateTicket(r.Context(), desk.NewTicket{TicketInput: rapport.TicketInput{
		Subject: p.Subject, Body: p.Description, Impact: p.Impact, Channel: rapport.ChannelPortal,
	}})
	if rapport.ErrorCode(err) == rapport.EINVALID {
		p.Error, p.Errors = rapport.ErrorMessage(err), fieldErrors(err)
		// The domain calls the description "body".
		if m, ok := p.Errors["body"]; ok {
			p.Errors["description"] = m
		}
		u.render(w, r, http.StatusUnprocessableEntity, "request_new", "Ask for help", p)
		return nil
	} else if err != nil {
		return err
	}
	u.redirect(w, r, fmt.Sprintf("/tickets/%d", t.ID), "Thank you. Your request is in; we will be with you as soon as we can.")
	return nil
}
