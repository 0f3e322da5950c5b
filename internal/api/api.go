// Package api serves Rapport's JSON REST API under /api/v1.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/web"
)

//go:embed openapi.json
var openAPI []byte

// Handler serves the API.
type Handler struct {
	// SignIn throttles and logs failed bearer-token attempts; a server may
	// share it with other sign-in paths before Register.
	SignIn *web.SignIn
	// Live, when set, serves the event stream and ticket presence; the
	// desk's Notifier should be the same broker.
	Live *live.Broker

	desk *desk.Desk
	log  *slog.Logger
}

// New returns the API handler on d.
func New(d *desk.Desk, log *slog.Logger) *Handler {
	return &Handler{desk: d, log: log, SignIn: web.NewSignIn(log)}
}

// Routes lists every route the API serves, as ServeMux patterns.
func (h *Handler) Routes() map[string]web.HandlerFunc {
	return map[string]web.HandlerFunc{
		"GET /api/v1/me":                        h.me,
		"PATCH /api/v1/me":                      h.updateMe,
		"GET /api/v1/users/{id}":                h.getUser,
		"POST /api/v1/tickets/{id}/calls":       h.logCall,
		"POST /api/v1/tickets":                  h.createTicket,
		"GET /api/v1/tickets":                   h.listTickets,
		"GET /api/v1/tickets/{id}":              h.getTicket,
		"GET /api/v1/tickets/{id}/timeline":     h.timeline,
		"POST /api/v1/tickets/{id}/messages":    h.addMessage,
		"POST /api/v1/tickets/{id}/resolve":     h.resolve,
		"POST /api/v1/tickets/{id}/reopen":      h.reopen,
		"POST /api/v1/tickets/{id}/close":       h.close,
		"POST /api/v1/tickets/{id}/triage":      h.triage,
		"POST /api/v1/tickets/{id}/assign":      h.assign,
		"POST /api/v1/tickets/{id}/wait":        h.wait,
		"GET /api/v1/queue":                     h.queue,
		"POST /api/v1/queue/next":               h.claimNext,
		"GET /api/v1/users":                     h.listUsers,
		"POST /api/v1/users":                    h.createUser,
		"PATCH /api/v1/users/{id}":              h.updateUser,
		"GET /api/v1/users/{id}/tokens":         h.userTokens,
		"POST /api/v1/users/{id}/tokens/revoke": h.revokeUserTokens,
		"GET /api/v1/me/tokens":                 h.myTokens,
		"DELETE /api/v1/me/tokens/{id}":         h.revokeMyToken,
		"GET /api/v1/events":                    h.events,
		"GET /api/v1/tickets/{id}/presence":     h.presence,
		"POST /api/v1/tickets/{id}/presence":    h.present,
		"DELETE /api/v1/tickets/{id}/presence":  h.leave,

		// Inbound mail (mailin).
		"GET /api/v1/mail":            h.listMail,
		"GET /api/v1/mail/quarantine": h.mailQuarantine,
		"GET /api/v1/mail/{id}":       h.getMail,
		"GET /api/v1/mail/{id}/raw":   h.rawMail,
		// Background jobs (admins): the dead-job list and retry (jobs.go).
		"GET /api/v1/jobs":             h.listJobs,
		"POST /api/v1/jobs/{id}/retry": h.retryJob,
		// Attachments (web).
		"GET /api/v1/attachments/{id}": h.attachment,
		// The tone coach on draft replies (coach.go).
		"POST /api/v1/coach": h.coachDraft,
		// Response templates (template.go).
		"GET /api/v1/templates":               h.listTemplates,
		"POST /api/v1/templates":              h.createTemplate,
		"GET /api/v1/templates/variables":     h.templateVariables,
		"GET /api/v1/templates/{id}":          h.getTemplate,
		"PATCH /api/v1/templates/{id}":        h.updateTemplate,
		"DELETE /api/v1/templates/{id}":       h.deleteTemplate,
		"POST /api/v1/templates/{id}/preview": h.previewTemplate,
		// Three Strikes and asking a colleague (strike.go).
		"GET /api/v1/tickets/{id}/strikes":                       h.ticketStrikes,
		"POST /api/v1/tickets/{id}/strikes":                      h.strike,
		"DELETE /api/v1/tickets/{id}/strikes/{strike_id}":        h.withdrawStrike,
		"POST /api/v1/tickets/{id}/strikes/{strike_id}/withdraw": h.withdrawStrike,
		"GET /api/v1/users/{id}/strikes":                         h.userStrikes,
		"GET /api/v1/strike-texts":                               h.strikeTexts,
		"PUT /api/v1/strike-texts/{step}":                        h.setStrikeText,
		"POST /api/v1/tickets/{id}/invite":                       h.invite,
		"POST /api/v1/tickets/{id}/handover":                     h.handover,
		// The audit log of staff reads of private data (audit.go).
		"GET /api/v1/audit": h.audit,
		// Check-ins, surveys and kudos (followup.go).
		"GET /api/v1/tickets/{id}/checkins": h.ticketCheckins,
		"PUT /api/v1/tickets/{id}/checkin":  h.setCheckin,
		"POST /api/v1/checkins/{id}/answer": h.answerCheckin,
		"GET /api/v1/tickets/{id}/surveys":  h.ticketSurveys,
		"POST /api/v1/surveys/{id}/answer":  h.answerSurvey,
		"POST /api/v1/kudos":                h.giveKudos,
		"GET /api/v1/users/{id}/kudos":      h.userKudos,
		// Service levels (sla.go).
		"GET /api/v1/calendars":                       h.listCalendars,
		"POST /api/v1/calendars":                      h.createCalendar,
		"GET /api/v1/calendars/{id}":                  h.getCalendar,
		"PUT /api/v1/calendars/{id}":                  h.replaceCalendar,
		"DELETE /api/v1/calendars/{id}":               h.deleteCalendar,
		"POST /api/v1/calendars/{id}/holidays/import": h.importHolidays,
		"GET /api/v1/sla-policies":                    h.listSLAPolicies,
		"PUT /api/v1/sla-policies/{priority}":         h.setSLAPolicy,
		// Supervisor reports (report.go).
		"GET /api/v1/reports/summary": h.reportSummary,
		"GET /api/v1/reports/{file}":  h.reportCSV,
	}
}

// Register mounts the API on mux: the OpenAPI document openly, everything
// else behind bearer authentication, every POST honouring Idempotency-Key.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	for pattern, fn := range h.Routes() {
		next := web.Handle(h.log, fn)
		if strings.HasPrefix(pattern, "POST ") {
			next = h.idempotent(next)
		}
		mux.Handle(pattern, web.RequireUser(h.log, h.desk, h.SignIn, next))
	}
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) error {
	return web.JSON(w, http.StatusOK, toUser(r, rapport.UserFromContext(r.Context())))
}

// pathID reads the {id} path segment.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no ticket %q: ticket numbers are whole numbers like 42.", r.PathValue("id"))
	}
	return id, nil
}

func queryInt(r *http.Request, p *rapport.Problems, name string, def, min, max int) int {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		p.Add(name, "%s must be a whole number from %d to %d.", name, min, max)
		return def
	}
	return n
}

// userJSON is a person as the API shows them.
type userJSON struct {
	ID        int64      `json:"id"`
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Role      string     `json:"role,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	Disabled  *bool      `json:"disabled,omitempty"`
	// The profile, on whole users (not on the short form inside tickets);
	// "" where the person said nothing.
	PreferredName    *string `json:"preferred_name,omitempty"`
	Pronunciation    *string `json:"pronunciation,omitempty"`
	Phone            *string `json:"phone,omitempty"`
	PreferredChannel *string `json:"preferred_channel,omitempty"`
	TimeZone         *string `json:"time_zone,omitempty"`
	Language         *string `json:"language,omitempty"`
	// Notes are staff's, shown to staff only.
	Notes *string `json:"notes,omitempty"`
}

// toUser is u as the signed-in viewer of r may see them: the notes only
// for staff.
func toUser(r *http.Request, u *rapport.User) *userJSON {
	disabled := u.DisabledAt != nil
	channel := string(u.PreferredChannel)
	out := &userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), CreatedAt: &u.CreatedAt, Disabled: &disabled,
		PreferredName: &u.PreferredName, Pronunciation: &u.Pronunciation, Phone: &u.Phone, PreferredChannel: &channel,
		TimeZone: &u.TimeZone, Language: &u.Language}
	if rapport.UserFromContext(r.Context()).IsStaff() {
		out.Notes = &u.Notes
	}
	return out
}

func toRef(r *rapport.UserRef) *userJSON {
	if r == nil {
		return nil
	}
	return &userJSON{ID: r.ID, Email: r.Email, Name: r.Name}
}
