package ui

import (
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// Inbound mail (mailin): administrators see every mail that reached the
// help desk with what became of it, the quarantine first of all; staff
// read one mail and download its original.

const mailPageSize = 50

var mailOutcomes = []option{
	{string(rapport.MailQuarantined), "Quarantined: kept for an administrator"},
	{"", "All mail"},
	{string(rapport.MailTicket), "Made a ticket"},
	{string(rapport.MailReply), "Added to a ticket"},
	{string(rapport.MailIgnored), "Ignored: automatic mail"},
}

var outcomeTitles = map[rapport.MailOutcome]string{
	rapport.MailQuarantined: "Quarantined",
	rapport.MailTicket:      "New ticket",
	rapport.MailReply:       "Added to a ticket",
	rapport.MailIgnored:     "Ignored",
}

type mailListPage struct {
	Outcome         selectField
	Mail            []*rapport.InboundMail
	Titles          map[rapport.MailOutcome]string
	Next, FirstPage string
	Later           bool
	Error           string
}

// mailList serves GET /mail: received mail by outcome, the quarantine by
// default, newest first.
func (u *UI) mailList(w http.ResponseWriter, r *http.Request) error {
	if !isAdmin(r) {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only administrators can see the mail the help desk received.")
	}
	qs := r.URL.Query()
	outcome := string(rapport.MailQuarantined)
	if qs.Has("outcome") {
		outcome = qs.Get("outcome")
	}
	p := &mailListPage{Titles: outcomeTitles, Later: qs.Get("cursor") != "",
		Outcome: selectField{ID: "outcome", Label: "Show", Value: outcome, Options: mailOutcomes}}
	status := http.StatusOK
	if !known(mailOutcomes, outcome) {
		p.Outcome.Error, status = "Choose what to show from the list.", http.StatusUnprocessableEntity
	} else {
		ms, next, err := u.desk.Mail(r.Context(), rapport.MailFilter{Outcome: rapport.MailOutcome(outcome), After: qs.Get("cursor"), Limit: mailPageSize})
		switch rapport.ErrorCode(err) {
		case "":
			p.Mail, p.Next = ms, web.SetNext(w, r, next)
		case rapport.EINVALID:
			p.Error, status = "This page link is damaged. Start again from the first page.", http.StatusUnprocessableEntity
		default:
			return err
		}
	}
	if p.Later {
		first := r.URL.Query()
		first.Del("cursor")
		p.FirstPage = pageURL(r.URL.Path, first)
	}
	u.render(w, r, status, "mail", "Mail", p)
	return nil
}

type mailMessagePage struct {
	Mail  *rapport.InboundMail
	Title string
	Admin bool
}

func (u *UI) findMail(r *http.Request) (*rapport.InboundMail, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no mail %q.", r.PathValue("id"))
	}
	return u.desk.MailMessage(r.Context(), id)
}

// mailMessage serves GET /mail/{id}: one mail, its text, its HTML as
// sanitized and shown in a sandbox, and a link to the original.
func (u *UI) mailMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := u.findMail(r)
	if err != nil {
		return err
	}
	title := m.Subject
	if title == "" {
		title = "Mail " + strconv.FormatInt(m.ID, 10)
	}
	u.render(w, r, http.StatusOK, "mail_message", title, &mailMessagePage{Mail: m, Title: outcomeTitles[m.Outcome], Admin: isAdmin(r)})
	return nil
}

// mailRaw serves GET /mail/{id}/raw: the original, byte for byte, as a
// plain-text download that a browser never renders as a page.
func (u *UI) mailRaw(w http.ResponseWriter, r *http.Request) error {
	m, err := u.findMail(r)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="mail-`+strconv.FormatInt(m.ID, 10)+`.eml"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(m.Raw)
	return err
}
