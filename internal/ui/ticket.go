package ui

import (
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
)

// ticketPage is one ticket with its timeline (internal notes only for
// staff: the desk decides).
type ticketPage struct {
	Ticket *rapport.Ticket
	Events []*rapport.Event
	Staff  bool
}

// ticket serves GET /tickets/{id}. Someone else's ticket is 404 to a
// requester, exactly as if it did not exist.
func (u *UI) ticket(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no ticket %q.", r.PathValue("id"))
	}
	t, err := u.desk.Ticket(r.Context(), id)
	if err != nil {
		return err
	}
	// The longest page the timeline gives; paging it on the page comes with
	// the full ticket page.
	events, _, err := u.desk.Timeline(r.Context(), id, "", 500)
	if err != nil {
		return err
	}
	me := rapport.UserFromContext(r.Context())
	u.render(w, r, http.StatusOK, "ticket", t.Subject, &ticketPage{Ticket: t, Events: events, Staff: me.IsStaff()})
	return nil
}
