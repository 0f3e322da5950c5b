package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// mailJSON is a received mail as the API shows it. HTML is the sanitized
// HTML part; the raw original is at /api/v1/mail/{id}/raw.
type mailJSON struct {
	ID          int64                    `json:"id"`
	MessageID   string                   `json:"message_id"`
	Source      string                   `json:"source"`
	From        string                   `json:"from"`
	FromName    string                   `json:"from_name"`
	Subject     string                   `json:"subject"`
	Outcome     string                   `json:"outcome"`
	Reason      string                   `json:"reason"`
	TicketID    *int64                   `json:"ticket_id"`
	ReceivedAt  time.Time                `json:"received_at"`
	Body        string                   `json:"body"`
	Text        string                   `json:"text,omitempty"`
	HTML        string                   `json:"html,omitempty"`
	Attachments []rapport.MailAttachment `json:"attachments"`
}

func toMail(m *rapport.InboundMail, full bool) *mailJSON {
	out := &mailJSON{ID: m.ID, MessageID: m.MessageID, Source: m.Source, From: m.FromAddr, FromName: m.FromName,
		Subject: m.Subject, Outcome: string(m.Outcome), Reason: m.Reason, TicketID: m.TicketID, ReceivedAt: m.ReceivedAt,
		Body: m.Body, Attachments: m.Attachments}
	if out.Attachments == nil {
		out.Attachments = []rapport.MailAttachment{}
	}
	if full {
		out.Text, out.HTML = m.Text, m.HTML
	}
	return out
}

func (h *Handler) listMail(w http.ResponseWriter, r *http.Request) error {
	outcome := rapport.MailOutcome(r.URL.Query().Get("outcome"))
	return h.mailPage(w, r, outcome)
}

// mailQuarantine lists the mail kept for an administrator: unreadable,
// refused, or over the per-address limit.
func (h *Handler) mailQuarantine(w http.ResponseWriter, r *http.Request) error {
	return h.mailPage(w, r, rapport.MailQuarantined)
}

func (h *Handler) mailPage(w http.ResponseWriter, r *http.Request, outcome rapport.MailOutcome) error {
	limit, cursor, err := web.Page(r)
	if err != nil {
		return err
	}
	if outcome != "" && !outcome.Valid() {
		return rapport.Invalid("outcome", "The outcome must be one of ticket, reply, ignored or quarantined.")
	}
	mails, next, err := h.desk.Mail(r.Context(), rapport.MailFilter{Outcome: outcome, After: cursor, Limit: limit})
	if err != nil {
		return err
	}
	out := make([]*mailJSON, len(mails))
	for i, m := range mails {
		out[i] = toMail(m, false)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"mail": out, "next": nullable(web.SetNext(w, r, next))})
}

func mailID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no mail %q: mail numbers are whole numbers like 42.", r.PathValue("id"))
	}
	return id, nil
}

func (h *Handler) getMail(w http.ResponseWriter, r *http.Request) error {
	id, err := mailID(r)
	if err != nil {
		return err
	}
	m, err := h.desk.MailMessage(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toMail(m, true))
}

// rawMail answers the original message, byte for byte, as a download of
// plain text: a browser never renders the HTML inside it.
func (h *Handler) rawMail(w http.ResponseWriter, r *http.Request) error {
	id, err := mailID(r)
	if err != nil {
		return err
	}
	m, err := h.desk.MailMessage(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="mail-`+strconv.FormatInt(id, 10)+`.eml"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(m.Raw)
	return err
}
