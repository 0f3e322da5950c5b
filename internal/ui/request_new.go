package ui

import (
	"fmt"
	"net/http"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// newRequestPage is the "Ask for help" form: what was typed, kept in full
// after a mistake, and the errors beside their fields. Draft is the token
// of this sitting at the form (rapport.Draft), SentDraft the token of the
// one last sent, and Source where the words came from, for draft.js:
// "new" (nothing), "saved" (the server's draft) or "submitted" (a send
// that needs fixing).
type newRequestPage struct {
	Subject, Description string
	Impact               rapport.Impact
	Error                string
	Errors               formErrors
	Draft, SentDraft     string
	Source               string
	Restored             *time.Time  // when the restored draft was last saved
	Closed               *deskClosed // the desk's next opening while it is closed
}

// newRequestForm serves GET /requests/new, with the person's draft in it
// when they left one (a closed tab, a crash, a session that expired).
func (u *UI) newRequestForm(w http.ResponseWriter, r *http.Request) error {
	p := &newRequestPage{Errors: formErrors{}, Draft: rapport.NewDraftToken(), Source: "new"}
	dr, err := u.desk.Draft(r.Context(), rapport.DraftNewRequest)
	if err != nil {
		return err
	}
	switch {
	case dr == nil:
	case dr.Sent:
		p.SentDraft = dr.Token
	case !dr.Empty():
		p.Subject, p.Description, p.Impact, p.Source = dr.Subject, dr.Description, dr.Impact, "saved"
		p.Restored = &dr.UpdatedAt
	}
	if p.Closed, err = u.closedNote(r); err != nil {
		return err
	}
	u.render(w, r, http.StatusOK, "request_new", "Ask for help", p)
	return nil
}

// readRequestForm reads the form's fields, as typed.
func readRequestForm(r *http.Request) rapport.Draft {
	return rapport.Draft{
		Form:        rapport.DraftNewRequest,
		Token:       r.PostFormValue("draft"),
		Subject:     r.PostFormValue("subject"),
		Description: r.PostFormValue("description"),
		Impact: rapport.Impact{
			Outage:     r.PostFormValue("outage") != "",
			CostsMoney: r.PostFormValue("costs_money") != "",
			BlocksWork: r.PostFormValue("blocks_work") != "",
		},
	}
}

// maxFormBytes bounds a posted form: a draft's longest description,
// percent-encoded, fits.
const maxFormBytes = 2 << 20

// createRequest serves POST /requests: the ticket goes in the queue
// (channel portal), the draft is cleared with it, and its page opens,
// showing the place in the queue. A mistake re-renders the form with every
// word and keeps them as the draft too.
func (u *UI) createRequest(w http.ResponseWriter, r *http.Request) error {
	files, done, err := u.readForm(w, r, maxFormBytes)
	defer done()
	if rapport.ErrorCode(err) == rapport.ETOOLARGE {
		return rapport.Errorf(rapport.ETOOLARGE, "The request was too large to read. Please shorten the description and send it again.")
	}
	in := readRequestForm(r)
	if !rapport.ValidDraftToken(in.Token) {
		in.Token = "" // a form from before drafts, or a tampered one: no draft to clear
	}
	var t *rapport.Ticket
	if err == nil {
		t, err = u.desk.CreateTicket(r.Context(), desk.NewTicket{DraftToken: in.Token, Files: files, TicketInput: rapport.TicketInput{
			Subject: in.Subject, Body: in.Description, Impact: in.Impact, Channel: rapport.ChannelPortal,
		}})
	}
	if rapport.ErrorCode(err) == rapport.EINVALID {
		if in.Token == "" {
			in.Token = rapport.NewDraftToken()
		}
		// Best effort: the words are on the page in any case.
		if _, err := u.desk.SaveDraft(r.Context(), in); err != nil {
			u.log.Info("draft not kept after a failed send", "request_id", web.RequestID(r.Context()), "err", err)
		}
		p := &newRequestPage{Subject: in.Subject, Description: in.Description, Impact: in.Impact,
			Draft: in.Token, Source: "submitted", Error: rapport.ErrorMessage(err), Errors: fieldErrors(err)}
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

// saveDraft serves POST /requests/draft, draft.js's autosave: 204 when
// kept; otherwise a problem document (401 signed out, 409 already sent,
// 400 refused, naming the field), which draft.js explains beside the form.
// It answers 401 itself instead of redirecting to the sign-in page, which
// a script could not tell from success.
func (u *UI) saveDraft(w http.ResponseWriter, r *http.Request) error {
	if rapport.UserFromContext(r.Context()) == nil {
		web.Error(u.log, w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "You are signed out. Sign in again and your draft will be saved."))
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		web.Error(u.log, w, r, rapport.Errorf(rapport.ETOOLARGE, "The draft is too large to keep. Please shorten the description."))
		return nil
	}
	in := readRequestForm(r)
	in.Form = r.PostFormValue("form")
	if _, err := u.desk.SaveDraft(r.Context(), in); err != nil {
		web.Error(u.log, w, r, err)
		return nil
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
