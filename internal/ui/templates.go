package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// Response templates: the Templates page (list, create, edit, delete) for
// staff, and the "Insert template" control of the ticket page's reply form
// (see replyTemplates and static/templates.js).

// templatesPage is the Templates list with the "New template" form.
type templatesPage struct {
	Q         string
	Templates []templateRow
	Vars      []rapport.TemplateVar
	New       templateForm
}

// templateRow is a template in the list, with the start of its text.
type templateRow struct {
	*rapport.Template
	Excerpt string
}

// templateForm is a template's form as typed, with its errors. CanShare
// offers the "Share with all staff" box.
type templateForm struct {
	Name, Subject, Body string
	Shared              bool
	CanShare            bool
	Error               string
	Errors              formErrors
}

// templatePage is one template: its edit form when the caller may edit
// it, else a read-only view.
type templatePage struct {
	Template *rapport.Template
	CanEdit  bool
	Vars     []rapport.TemplateVar
	Form     templateForm
}

// maxTemplateForm bounds a template form's body: the longest text in
// four-byte characters, and room for the rest.
const maxTemplateForm = 4*rapport.MaxTemplateBodyLen + 16<<10

// templates serves GET /templates.
func (u *UI) templates(w http.ResponseWriter, r *http.Request) error {
	return u.renderTemplates(w, r, http.StatusOK, templateForm{Errors: formErrors{}})
}

func (u *UI) renderTemplates(w http.ResponseWriter, r *http.Request, status int, f templateForm) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	ts, err := u.desk.Templates(r.Context(), q)
	if err != nil {
		return err
	}
	f.CanShare = rapport.UserFromContext(r.Context()).CanShareTemplates()
	p := &templatesPage{Q: q, Vars: rapport.TemplateVars, New: f}
	for _, t := range ts {
		p.Templates = append(p.Templates, templateRow{t, excerpt(t.Body)})
	}
	u.render(w, r, status, "templates", "Response templates", p)
	return nil
}

// readTemplateForm reads a template form's fields.
func readTemplateForm(w http.ResponseWriter, r *http.Request) (templateForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxTemplateForm)
	if err := r.ParseForm(); err != nil {
		return templateForm{}, rapport.Errorf(rapport.EINVALID, "The form could not be read; the text may be too long. Please try again.")
	}
	return templateForm{Name: r.PostFormValue("name"), Subject: r.PostFormValue("subject"), Body: r.PostFormValue("body"),
		Shared: r.PostFormValue("shared") != "", Errors: formErrors{}}, nil
}

// createTemplate serves POST /templates.
func (u *UI) createTemplate(w http.ResponseWriter, r *http.Request) error {
	f, err := readTemplateForm(w, r)
	if err != nil {
		return err
	}
	t, err := u.desk.CreateTemplate(r.Context(), desk.NewTemplate{Shared: f.Shared,
		TemplateInput: rapport.TemplateInput{Name: f.Name, Subject: f.Subject, Body: f.Body}})
	if formMistake(err) {
		f.Error, f.Errors = rapport.ErrorMessage(err), fieldErrors(err)
		return u.renderTemplates(w, r, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/templates", fmt.Sprintf("Template “%s” saved. %s", t.Name, whoSees(t)))
	return nil
}

// template serves GET /templates/{id}.
func (u *UI) template(w http.ResponseWriter, r *http.Request) error {
	id, err := pathTemplateID(r)
	if err != nil {
		return err
	}
	return u.renderTemplate(w, r, http.StatusOK, id, nil)
}

func (u *UI) renderTemplate(w http.ResponseWriter, r *http.Request, status int, id int64, f *templateForm) error {
	t, err := u.desk.Template(r.Context(), id)
	if err != nil {
		return err
	}
	me := rapport.UserFromContext(r.Context())
	p := &templatePage{Template: t, CanEdit: t.CanEdit(me), Vars: rapport.TemplateVars}
	if f != nil {
		p.Form = *f
	} else {
		p.Form = templateForm{Name: t.Name, Subject: t.Subject, Body: t.Body, Shared: t.Shared(), Errors: formErrors{}}
	}
	p.Form.CanShare = me.CanShareTemplates()
	u.render(w, r, status, "template", t.Name, p)
	return nil
}

// updateTemplate serves POST /templates/{id}.
func (u *UI) updateTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathTemplateID(r)
	if err != nil {
		return err
	}
	f, err := readTemplateForm(w, r)
	if err != nil {
		return err
	}
	up := desk.TemplateUpdate{Name: &f.Name, Subject: &f.Subject, Body: &f.Body}
	if me := rapport.UserFromContext(r.Context()); me.CanShareTemplates() {
		up.Shared = &f.Shared // the box is offered only to those who may share
	}
	t, err := u.desk.UpdateTemplate(r.Context(), id, up)
	if formMistake(err) {
		f.Error, f.Errors = rapport.ErrorMessage(err), fieldErrors(err)
		return u.renderTemplate(w, r, http.StatusUnprocessableEntity, id, &f)
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/templates/"+strconv.FormatInt(t.ID, 10), fmt.Sprintf("Template “%s” saved. %s", t.Name, whoSees(t)))
	return nil
}

// deleteTemplate serves POST /templates/{id}/delete.
func (u *UI) deleteTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathTemplateID(r)
	if err != nil {
		return err
	}
	t, err := u.desk.Template(r.Context(), id)
	if err != nil {
		return err
	}
	if err := u.desk.DeleteTemplate(r.Context(), id); err != nil {
		return err
	}
	u.redirect(w, r, "/templates", fmt.Sprintf("Template “%s” deleted.", t.Name))
	return nil
}

// formMistake reports whether err is one the person fixes in the form.
func formMistake(err error) bool {
	switch rapport.ErrorCode(err) {
	case rapport.EINVALID, rapport.ECONFLICT:
		return true
	case rapport.EFORBIDDEN:
		return len(rapport.ErrorFields(err)) > 0
	}
	return false
}

// excerpt is the start of a template's text after its greeting line, for
// the list.
func excerpt(body string) string {
	lines := strings.Split(body, "\n")
	if len(lines) > 1 && strings.HasPrefix(strings.TrimSpace(lines[0]), "Hi ") {
		lines = lines[1:]
	}
	return rapport.Cut(strings.Join(strings.Fields(strings.Join(lines, " ")), " "), 90)
}

func whoSees(t *rapport.Template) string {
	if t.Shared() {
		return "All staff can use it."
	}
	return "Only you can see it."
}

func pathTemplateID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no template %q.", r.PathValue("id"))
	}
	return id, nil
}

// replyTemplates is the "Insert template" control above the Reply box.
// Without JavaScript it works as part of the reply form, whose two buttons
// post that form to POST /tickets/{id}/templates (insertTemplate): Filter
// narrows the list by Q, Insert template fills the chosen template in and
// puts it into Reply after what was typed. (POST, not GET: the typed reply
// stays out of addresses and the browser's history.) With JavaScript
// (templates.js) the list narrows as one types and the text comes from
// templatePreview.
type replyTemplates struct {
	TicketID int64
	Q        string
	Options  []templateOption
	Size     int // rows the list shows
	Chosen   int64
	Open     bool
	Inserted bool
	Error    string
}

// templateOption is a template in the control's list; Search is the
// lower-case text templates.js matches what is typed against.
type templateOption struct {
	ID     int64
	Name   string
	Shared bool
	Search string
}

// replyTemplates returns the control for ticket t. sent is the reply form
// when the control sent it (nil on a plain page load): then it also
// returns that form, with the chosen template inserted when asked, so that
// nothing typed is lost.
func (u *UI) replyTemplates(r *http.Request, t *rapport.Ticket, sent url.Values) (*replyTemplates, *ticketForm, error) {
	rt := &replyTemplates{TicketID: t.ID, Q: strings.TrimSpace(sent.Get("tq")), Open: sent != nil}
	rt.Chosen, _ = strconv.ParseInt(sent.Get("template"), 10, 64)
	ts, err := u.desk.Templates(r.Context(), rt.Q)
	if err != nil {
		return nil, nil, err
	}
	for _, tpl := range ts {
		rt.Options = append(rt.Options, templateOption{ID: tpl.ID, Name: tpl.Name, Shared: tpl.Shared(),
			Search: strings.ToLower(tpl.Name + "\n" + tpl.Subject + "\n" + tpl.Body)})
	}
	rt.Size = min(max(len(rt.Options), 2), 8)
	if sent == nil {
		return rt, nil, nil
	}
	form := &ticketForm{Name: "reply", Values: map[string]string{"body": sent.Get("body"), "internal": sent.Get("internal")}}
	if sent.Get("use") == "" {
		return rt, form, nil
	}
	if rt.Chosen <= 0 {
		rt.Error = "Choose a template from the list first, then press Insert template."
		return rt, form, nil
	}
	out, err := u.desk.PreviewTemplate(r.Context(), rt.Chosen, t.ID)
	switch rapport.ErrorCode(err) {
	case "":
		rt.Inserted = true
		body := strings.TrimRight(form.Values["body"], " \t\r\n")
		if body != "" {
			body += "\n\n"
		}
		form.Values["body"] = body + out.Body
	case rapport.EINVALID, rapport.ECONFLICT, rapport.ENOTFOUND:
		rt.Error = rapport.ErrorMessage(err)
	default:
		return nil, nil, err
	}
	return rt, form, nil
}

// insertTemplate serves POST /tickets/{id}/templates: the reply form sent
// by the control's Filter or Insert template button, without JavaScript.
// It answers the ticket page with the control's state and the reply form
// as typed (plus the template); nothing is sent, files chosen are dropped.
func (u *UI) insertTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := ticketID(r)
	if err != nil {
		return err
	}
	_, done, err := u.readForm(w, r, 1<<20)
	defer done()
	if err != nil {
		return err
	}
	p, err := u.ticketPage(r, id, ticketForm{})
	if err != nil {
		return err
	}
	if !p.Staff {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can use response templates.")
	}
	var form *ticketForm
	if p.Templates, form, err = u.replyTemplates(r, p.Ticket, r.PostForm); err != nil {
		return err
	}
	p.Form = *form
	u.render(w, r, http.StatusOK, "ticket", p.Ticket.Subject, p)
	return nil
}

// templatePreview serves GET /tickets/{id}/templates/{template}: the
// template filled in with the ticket's real values, as JSON for
// templates.js ({"subject","body"}); a failure is problem+json whose
// detail says what to do.
func (u *UI) templatePreview(w http.ResponseWriter, r *http.Request) error {
	out, err := u.previewFor(r)
	if err != nil {
		web.Error(u.log, w, r, err)
		return nil
	}
	return web.JSON(w, http.StatusOK, map[string]string{"subject": out.Subject, "body": out.Body})
}

func (u *UI) previewFor(r *http.Request) (*rapport.RenderedTemplate, error) {
	id, err := ticketID(r)
	if err != nil {
		return nil, err
	}
	tid, err := strconv.ParseInt(r.PathValue("template"), 10, 64)
	if err != nil || tid <= 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no template %q.", r.PathValue("template"))
	}
	return u.desk.PreviewTemplate(r.Context(), tid, id)
}
