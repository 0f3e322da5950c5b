package ui

import (
	"net/http"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// The tone coach under the reply box: static/coach.js sends the draft here
// (POST /tickets/{id}/coach, form field "text") a moment after the agent
// stops typing, and lists the findings with a "Use suggestion" button each.
// The session cookie does not open /api, hence this UI route over the same
// desk call; it answers the API's JSON, errors as problem+json. Nothing
// here stands between the agent and Send.

// coach serves POST /tickets/{id}/coach.
func (u *UI) coach(w http.ResponseWriter, r *http.Request) error {
	id, err := ticketID(r)
	if err == nil {
		r.Body = http.MaxBytesReader(w, r.Body, web.MaxBodyBytes)
		var rep any
		if rep, err = u.desk.Coach(r.Context(), desk.CoachDraft{Text: r.PostFormValue("text"), TicketID: &id}); err == nil {
			return web.JSON(w, http.StatusOK, rep)
		}
	}
	web.Error(u.log, w, r, err)
	return nil
}
