package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// templateJSON is a response template as the API shows it. can_edit says
// whether the caller may change or delete it.
type templateJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Shared    bool      `json:"shared"`
	OwnerID   *int64    `json:"owner_id"`
	CanEdit   bool      `json:"can_edit"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toTemplate(t *rapport.Template, me *rapport.User) *templateJSON {
	out := &templateJSON{ID: t.ID, Name: t.Name, Subject: t.Subject, Body: t.Body, Shared: t.Shared(),
		CanEdit: t.CanEdit(me), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	if !t.Shared() {
		out.OwnerID = &t.OwnerID
	}
	return out
}

// templateVarJSON is a variable templates may use.
type templateVarJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Example     string `json:"example"`
}

// listTemplates answers the templates the caller may use, by name; q keeps
// those whose name, subject or text contains it.
func (h *Handler) listTemplates(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.desk.Templates(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	me := rapport.UserFromContext(r.Context())
	out := make([]*templateJSON, len(ts))
	for i, t := range ts {
		out[i] = toTemplate(t, me)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"templates": out})
}

// templateVariables lists the variables templates may use (staff).
func (h *Handler) templateVariables(w http.ResponseWriter, r *http.Request) error {
	if !rapport.UserFromContext(r.Context()).IsStaff() {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can use response templates.")
	}
	out := make([]templateVarJSON, len(rapport.TemplateVars))
	for i, v := range rapport.TemplateVars {
		out[i] = templateVarJSON{Name: v.Name, Description: v.Description, Example: v.Example}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"variables": out})
}

func (h *Handler) createTemplate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name    string `json:"name"`
		Subject string `json:"subject"`
		Body    string `json:"body"`
		Shared  bool   `json:"shared"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	t, err := h.desk.CreateTemplate(r.Context(), desk.NewTemplate{Shared: in.Shared,
		TemplateInput: rapport.TemplateInput{Name: in.Name, Subject: in.Subject, Body: in.Body}})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/templates/"+strconv.FormatInt(t.ID, 10))
	return web.JSON(w, http.StatusCreated, toTemplate(t, rapport.UserFromContext(r.Context())))
}

func (h *Handler) getTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := templateID(r)
	if err != nil {
		return err
	}
	t, err := h.desk.Template(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toTemplate(t, rapport.UserFromContext(r.Context())))
}

// updateTemplate changes any of name, subject, body and shared.
func (h *Handler) updateTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := templateID(r)
	if err != nil {
		return err
	}
	var in struct {
		Name    *string `json:"name"`
		Subject *string `json:"subject"`
		Body    *string `json:"body"`
		Shared  *bool   `json:"shared"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	t, err := h.desk.UpdateTemplate(r.Context(), id, desk.TemplateUpdate{Name: in.Name, Subject: in.Subject, Body: in.Body, Shared: in.Shared})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toTemplate(t, rapport.UserFromContext(r.Context())))
}

func (h *Handler) deleteTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := templateID(r)
	if err != nil {
		return err
	}
	if err := h.desk.DeleteTemplate(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// previewTemplate fills a template in with the real values of a ticket,
// the caller being the agent replying: the text to insert into a reply.
func (h *Handler) previewTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := templateID(r)
	if err != nil {
		return err
	}
	var in struct {
		TicketID int64 `json:"ticket_id"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	if in.TicketID <= 0 {
		return rapport.Invalid("ticket_id", "Say which ticket to fill the template in for: ticket_id is a ticket number like 42.")
	}
	out, err := h.desk.PreviewTemplate(r.Context(), id, in.TicketID)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"ticket_id": in.TicketID, "subject": out.Subject, "body": out.Body})
}

// templateID reads the {id} path segment of a template route.
func templateID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no template %q: template numbers are whole numbers like 7.", r.PathValue("id"))
	}
	return id, nil
}
