package ui

import (
	"net/http"

	"github.com/rapportdesk/rapport"
)

// events serves GET /events: the changes the signed-in person may see, as
// server-sent events, for live.js (the API's stream does not take the
// session cookie). Nobody signed in, or live updates off, gets a plain
// status without a body: an EventSource stops on it rather than
// reconnecting to a sign-in page.
func (u *UI) events(w http.ResponseWriter, r *http.Request) error {
	user := rapport.UserFromContext(r.Context())
	switch {
	case user == nil:
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusUnauthorized)
		return nil
	case u.live == nil:
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	// Written straight to w: a compressing or buffering wrapper would hold
	// the events back.
	return u.live.ServeEvents(w, r, user)
}
