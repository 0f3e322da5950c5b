package ui

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/web"
)

// Options are the settings of the web UI.
type Options struct {
	// PublicURL is the address people use, when TLS ends at a proxy in
	// front of Rapport: an https:// one makes session cookies Secure.
	PublicURL string
	// Live, when set, streams change notices to open pages at GET /events
	// (see live.js); nil leaves pages as loaded.
	Live *live.Broker
	// Location is the site's time zone: pages show times in it to people
	// who chose none on their profile. Nil means UTC.
	Location *time.Location
	// SLARefresh is how often an open queue page fetches its rows again
	// so that SLA time left stays true (live.js, data-live-every); zero
	// means DefaultSLARefresh.
	SLARefresh time.Duration
}

// DefaultSLARefresh is how often the queue's time left is fetched again:
// it is shown to the minute.
const DefaultSLARefresh = time.Minute

// UI serves the web UI's pages.
type UI struct {
	desk   *desk.Desk
	log    *slog.Logger
	signIn *web.SignIn
	secure func(*http.Request) bool
	pages  map[string]*template.Template // in the site's time zone
	// site is the site's time zone; zones holds the pages parsed for each
	// other zone a viewer chose (see pagesFor).
	site   *time.Location
	zones  sync.Map // zone name -> map[string]*template.Template
	static *assets
	cop    *http.CrossOriginProtection
	live   *live.Broker
	// slaRefresh is Options.SLARefresh, or its default.
	slaRefresh time.Duration
}

// New returns the web UI on d. signIn throttles failed sign-ins; share the
// API's, so that guessing through both together gains nothing. The
// templates and assets are built into the binary, so a failure to read them
// is a defect of the build itself and panics.
func New(d *desk.Desk, log *slog.Logger, signIn *web.SignIn, opts Options) *UI {
	u := &UI{desk: d, log: log, signIn: signIn, secure: web.SecureRequests(opts.PublicURL), live: opts.Live, site: opts.Location}
	if u.site == nil {
		u.site = time.UTC
	}
	if u.slaRefresh = opts.SLARefresh; u.slaRefresh <= 0 {
		u.slaRefresh = DefaultSLARefresh
	}
	var err error
	if u.static, err = loadAssets(); err != nil {
		panic("ui: " + err.Error())
	}
	if u.pages, err = u.parseTemplates(u.site); err != nil {
		panic("ui: " + err.Error())
	}
	u.cop = http.NewCrossOriginProtection()
	u.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.fail(w, r, rapport.Errorf(rapport.EFORBIDDEN, "This form was sent from another web site, so Rapport refused it. If you meant to send it, go back to Rapport and send it from there."))
	}))
	return u
}

// handlerFunc is a page handler that returns its failure; see fail.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Register mounts the UI's routes on mux.
func (u *UI) Register(mux *http.ServeMux) {
	const open, signedIn = false, true
	for _, rt := range []struct {
		pattern string
		auth    bool
		h       handlerFunc
	}{
		{"GET /login", open, u.loginForm},
		{"POST /login", open, u.login},
		{"POST /logout", open, u.logout},
		{"GET /{$}", signedIn, u.home},
		{"GET /requests/new", signedIn, u.newRequestForm},
		{"POST /requests", signedIn, u.createRequest},
		{"POST /requests/draft", open, u.saveDraft},
		{"GET /tickets/{id}", signedIn, u.ticket},
		// The ticket page's forms and the collision notice (ticket*.go,
		// presence.go).
		{"GET /tickets/new", signedIn, u.logRequestForm},
		{"POST /tickets", signedIn, u.logRequest},
		{"POST /tickets/{id}/reply", signedIn, u.reply()},
		{"POST /tickets/{id}/reopen", signedIn, u.reopen()},
		{"POST /tickets/{id}/triage", signedIn, u.triage()},
		{"POST /tickets/{id}/hold", signedIn, u.hold()},
		{"POST /tickets/{id}/assign", signedIn, u.assign()},
		{"POST /tickets/{id}/close", signedIn, u.closeTicket()},
		// Three Strikes and asking a colleague (strikes.go).
		{"POST /tickets/{id}/strikes", signedIn, u.strike()},
		{"POST /tickets/{id}/strikes/withdraw", signedIn, u.withdrawStrike()},
		{"POST /tickets/{id}/invite", signedIn, u.invite()},
		{"POST /tickets/{id}/handover", signedIn, u.handover()},
		{"GET /strike-texts", signedIn, u.strikeTexts},
		{"POST /strike-texts/{step}", signedIn, u.setStrikeText},
		// The audit log of staff reads of private data (audit.go).
		{"GET /audit", signedIn, u.audit},
		// Supervisor reports (reports.go).
		{"GET /reports", signedIn, u.reports},
		{"GET /reports/{file}", signedIn, u.reportCSV},
		{"GET /tickets/{id}/presence", signedIn, u.presence},
		{"POST /tickets/{id}/presence", signedIn, u.present},
		{"POST /tickets/{id}/coach", signedIn, u.coach},
		{"POST /queue/next", signedIn, u.takeNext},
		{"GET /events", open, u.events},
		// Staff lists, people and accounts (lists.go, users.go, account.go).
		{"GET /tickets", signedIn, u.openTickets},
		{"GET /tickets/mine", signedIn, u.myTickets},
		{"GET /users", signedIn, u.users},
		{"POST /users", signedIn, u.addUser},
		{"GET /users/{id}", signedIn, u.user},
		{"POST /users/{id}/role", signedIn, u.changeRole},
		{"POST /users/{id}/disable", signedIn, u.disableUser},
		{"POST /users/{id}/enable", signedIn, u.enableUser},
		{"POST /users/{id}/password", signedIn, u.resetPassword},
		{"POST /users/{id}/tokens/revoke", signedIn, u.revokeUserTokens},
		{"GET /account", signedIn, u.account},
		{"POST /account/password", signedIn, u.changePassword},
		{"POST /account/tokens/{id}/revoke", signedIn, u.revokeMyToken},
		// Profiles (profile.go).
		{"POST /account/profile", signedIn, u.updateMyProfile},
		{"GET /people/{id}", signedIn, u.person},
		{"POST /people/{id}/profile", signedIn, u.updatePerson},
		{"POST /tickets/{id}/call", signedIn, u.logCall()},
		// Inbound mail (mailin).
		{"GET /mail", signedIn, u.mailList},
		{"GET /mail/{id}", signedIn, u.mailMessage},
		{"GET /mail/{id}/raw", signedIn, u.mailRaw},
		// Background jobs that failed every attempt, for admins (jobs.go).
		{"GET /jobs", signedIn, u.jobs},
		{"POST /jobs/{id}/retry", signedIn, u.retryJob},
		{"GET /attachments/{id}", signedIn, u.attachment},
		// Response templates (templates.go).
		{"GET /templates", signedIn, u.templates},
		{"POST /templates", signedIn, u.createTemplate},
		{"GET /templates/{id}", signedIn, u.template},
		{"POST /templates/{id}", signedIn, u.updateTemplate},
		{"POST /templates/{id}/delete", signedIn, u.deleteTemplate},
		{"POST /tickets/{id}/templates", signedIn, u.insertTemplate},
		{"GET /tickets/{id}/templates/{template}", signedIn, u.templatePreview},
		// Check-ins, surveys and kudos (followup.go); the links of a
		// check-in mail work without signing in.
		{"POST /tickets/{id}/checkin/answer", signedIn, u.answerCheckin()},
		{"POST /tickets/{id}/checkin", signedIn, u.setCheckin()},
		{"POST /tickets/{id}/kudos", signedIn, u.thankOnTicket()},
		{"POST /people/{id}/kudos", signedIn, u.thankPerson},
		{"GET /checkin/{token}", open, u.checkinLink},
		{"POST /checkin/{token}", open, u.answerCheckinLink},
		{"GET /survey/{token}", open, u.surveyLink},
		{"POST /survey/{token}", open, u.answerSurveyLink},
		// Calendars and service levels (calendars.go).
		{"GET /calendars", signedIn, u.slaOverview},
		{"POST /calendars", signedIn, u.createCalendar},
		{"GET /calendars/{id}", signedIn, u.calendar},
		{"POST /calendars/{id}", signedIn, u.updateCalendar},
		{"POST /calendars/{id}/delete", signedIn, u.deleteCalendar},
		{"POST /calendars/{id}/import", signedIn, u.importHolidays},
		{"POST /sla-policies/{priority}", signedIn, u.setPolicy},
	} {
		mux.Handle(rt.pattern, u.cop.Handler(web.LoadSession(u.desk, u.secure, u.fail, u.adapt(rt.auth, rt.h))))
	}
	mux.Handle("GET /static/", u.static)
}

// adapt turns h into an http.Handler. With auth, a visitor who is not
// signed in is sent to the sign-in page, which brings them back after.
func (u *UI) adapt(auth bool, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth && rapport.UserFromContext(r.Context()) == nil {
			u.toLogin(w, r)
			return
		}
		if err := h(w, r); err != nil {
			u.fail(w, r, err)
		}
	})
}

// toLogin redirects to the sign-in page, remembering where a GET was going.
func (u *UI) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// NotRouted answers a request under no UI route with an HTML page: 405
// naming the methods in allow, when there are any, else 404.
func (u *UI) NotRouted(w http.ResponseWriter, r *http.Request, allow []string) {
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		u.errorPage(w, r, http.StatusMethodNotAllowed, "That cannot be done here", "This address does not take that kind of request.")
		return
	}
	u.fail(w, r, rapport.Errorf(rapport.ENOTFOUND, "There is no page at this address. It may have moved, or the link may be mistyped."))
}

// fail renders err as an HTML error page with its status. EUNAUTHORIZED
// sends the person to sign in instead; internal errors are logged with the
// request id, which the page shows.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := rapport.ErrorCode(err)
	switch code {
	case rapport.EUNAUTHORIZED:
		web.ClearSessionCookie(w, u.secure(r))
		u.toLogin(w, r)
		return
	case rapport.EINTERNAL:
		u.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "request_id", web.RequestID(r.Context()), "err", err)
	}
	if s := web.RetryAfterSeconds(err); s > 0 {
		w.Header().Set("Retry-After", itoa(s))
	}
	u.errorPage(w, r, web.Status(err), errorTitles[code], rapport.ErrorMessage(err))
}

// errorTitles head the error pages, in plain words.
var errorTitles = map[string]string{
	rapport.EINVALID:   "Some of what you sent needs fixing",
	rapport.ENOTFOUND:  "We could not find that page",
	rapport.ECONFLICT:  "That cannot be done right now",
	rapport.EFORBIDDEN: "This is not open to you",
	rapport.ETOOLARGE:  "That was too large",
	rapport.ETOOMANY:   "Too many attempts",
	rapport.EMISMATCH:  "That does not match",
	rapport.EINTERNAL:  "Something went wrong on our side",
}
