package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

//go:embed templates
var templateFS embed.FS

// view is what every page's template gets: the frame's data, and Page,
// the page's own.
type view struct {
	Title     string
	User      *rapport.User
	Flash     string
	RequestID string
	Page      any
}

// parseTemplates parses the layout and the shared partials once, then
// each page in templates/pages with them, giving one template set per page,
// showing times in loc.
func (u *UI) parseTemplates(loc *time.Location) (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(u.funcs(loc)).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return pages, nil
}

// render writes the page name with status. It runs the template into a
// buffer first, so a failure becomes a whole error page, never half a page.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name, title string, page any) {
	v := &view{Title: title, User: rapport.UserFromContext(r.Context()), Flash: takeFlash(w, r),
		RequestID: web.RequestID(r.Context()), Page: page}
	t, ok := u.pagesFor(v.User)[name]
	var buf bytes.Buffer
	if !ok {
		u.log.Error("render: no such page", "page", name)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		u.log.Error("render failed", "page", name, "request_id", v.RequestID, "err", err)
		http.Error(w, "Something went wrong on our side. Nothing you sent was lost; please try again in a moment.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages show personal data: never kept by a shared cache or the
	// browser's back-forward cache after signing out.
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pagesFor returns the pages showing times in viewer's time zone, else
// the site's. A template's functions are fixed when it is parsed, so each
// zone a viewer chose gets its own set, parsed at its first use and kept:
// there are a few hundred zones at most, and a site uses a handful.
func (u *UI) pagesFor(viewer *rapport.User) map[string]*template.Template {
	if viewer == nil || viewer.TimeZone == "" || viewer.TimeZone == u.site.String() {
		return u.pages
	}
	if pages, ok := u.zones.Load(viewer.TimeZone); ok { // no zone file read per page
		return pages.(map[string]*template.Template)
	}
	loc := viewer.Location(u.site)
	pages, err := u.parseTemplates(loc)
	if err != nil { // the same templates parsed at start: cannot happen
		u.log.Error("parse templates for a time zone", "zone", loc.String(), "err", err)
		return u.pages
	}
	actual, _ := u.zones.LoadOrStore(viewer.TimeZone, pages)
	return actual.(map[string]*template.Template)
}

// errorPage renders the error page with a heading and a message.
func (u *UI) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	if heading == "" {
		heading = "Something went wrong"
	}
	u.render(w, r, status, "error", heading, struct {
		Status           int
		Heading, Message string
	}{status, heading, message})
}

// redirect sends the browser to target after a form (303: GET it), with
// a flash message for the next page when flash is not empty.
func (u *UI) redirect(w http.ResponseWriter, r *http.Request, target, flash string) {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), Path: "/", MaxAge: 60,
			HttpOnly: true, Secure: u.secure(r), SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

const flashCookie = "rapport_flash"

// takeFlash returns the flash message waiting for this page and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	msg, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return rapport.Cut(msg, 300)
}

// formErrors maps each field to its message, for errors beside fields.
type formErrors map[string]string

func fieldErrors(err error) formErrors {
	out := formErrors{}
	for _, f := range rapport.ErrorFields(err) {
		if _, ok := out[f.Field]; !ok {
			out[f.Field] = f.Message
		}
	}
	return out
}

func (u *UI) funcs(loc *time.Location) template.FuncMap {
	fm := template.FuncMap{
		"asset":  func(name string) string { return u.static.url(name) },
		"vendor": func(name string) string { return u.static.url("vendor/" + name) },
		"status": statusText,
		"event":  eventText,
		"ago":    func(t time.Time) string { return ago(u.desk.Now(), t) },
		// when is t in the viewer's time zone (their profile's, else the
		// site's), naming the zone.
		"when": func(t time.Time) string { return when(t, loc) },
		"size": desk.Size,
		// takesFiles says whether forms offer a file field (storage is set).
		"takesFiles": func() bool { return u.desk.MaxFileSize() > 0 },
		// fileField is the data of the "files" partial: the field's id and
		// its error, if any.
		"fileField": func(id, err string) any {
			return struct {
				ID, Error, Size string
				Max             int
			}{id, err, desk.Size(u.desk.MaxFileSize()), rapport.MaxAttachmentsPerEvent}
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		// SLA time left (sla.go).
		"slaNext":  slaNext,
		"slaCells": slaCells,
		// slaRefresh is how often, in seconds, a page showing time left
		// fetches it again.
		"slaRefresh": func() int { return max(1, int(u.slaRefresh/time.Second)) },
		"channel": func(c rapport.Channel) string {
			return strings.ReplaceAll(string(c), "_", "-")
		},
		// describedBy joins the ids of a field's hint and error that exist.
		"describedBy": func(ids ...string) string {
			var out []string
			for _, id := range ids {
				if id != "" {
					out = append(out, id)
				}
			}
			return strings.Join(out, " ")
		},
	}
	for name, fn := range u.profileFuncs() {
		fm[name] = fn
	}
	return fm
}

// when writes t in loc: "2 Jan 2006, 15:04 UTC", or with the zone's
// abbreviation ("CET") or offset ("+03") elsewhere.
func when(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 Jan 2006, 15:04 MST")
}

// statusText says where a ticket stands, in the requester's words.
func statusText(t *rapport.Ticket) string {
	switch {
	case t.Hold != nil && t.Status.Active():
		return "On hold"
	case t.Queued():
		return "Waiting in the queue"
	}
	switch t.Status {
	case rapport.StatusOpen:
		return "Being worked on"
	case rapport.StatusWaiting:
		return "Waiting for a reply"
	case rapport.StatusResolved:
		return "Resolved"
	case rapport.StatusClosed:
		return "Closed"
	}
	return "New"
}

// eventText says what an event did, after the actor's name.
func eventText(e *rapport.Event) string {
	switch e.Type {
	case rapport.EventCreated:
		return "asked for help"
	case rapport.EventMessage, rapport.EventNote:
		if e.Data["call"] != "" {
			return "logged a phone call"
		}
		if e.Type == rapport.EventNote {
			return "added an internal note"
		}
		return "replied"
	case rapport.EventClaimed:
		return "picked this up"
	case rapport.EventAssigned:
		return "assigned it"
	case rapport.EventReleased:
		return "put it back in the queue"
	case rapport.EventTriaged:
		return "changed the priority"
	case rapport.EventWaiting:
		return "put it on hold"
	case rapport.EventResumed:
		return "took it off hold"
	case rapport.EventResolved:
		return "resolved it"
	case rapport.EventClosed:
		return "closed it"
	case rapport.EventReopened:
		return "reopened it"
	case rapport.EventFollowUp:
		return "continued it in a follow-up"
	case rapport.EventStrike:
		if e.Data["step"] == "3" {
			return "ended the conversation"
		}
		return "asked to keep the conversation respectful"
	case rapport.EventStruck:
		return "marked a message as discourteous (strike " + e.Data["step"] + " of 3)"
	case rapport.EventStrikeWithdrawn:
		return "withdrew strike " + e.Data["step"]
	case rapport.EventInvited:
		return "asked " + e.Data["colleague"] + " to join"
	case rapport.EventHandover:
		return "handed it over to " + e.Data["to"] + " with a note"
	}
	return string(e.Type)
}

// ago says how long ago t was, roughly, as people say it.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func itoa(n int) string { return strconv.Itoa(n) }
