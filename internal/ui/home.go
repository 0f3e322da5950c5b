package ui

import (
	"net/http"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// home serves GET /: the requester's own requests, or for staff the queue.
func (u *UI) home(w http.ResponseWriter, r *http.Request) error {
	if rapport.UserFromContext(r.Context()).IsStaff() {
		return u.queue(w, r)
	}
	return u.myRequests(w, r)
}

// myRequestsPage lists a requester's tickets, newest first.
type myRequestsPage struct {
	Tickets []*rapport.Ticket
	Closed  *deskClosed // the desk's next opening while it is closed
}

func (u *UI) myRequests(w http.ResponseWriter, r *http.Request) error {
	ts, _, err := u.desk.Tickets(r.Context(), desk.TicketQuery{TicketFilter: rapport.TicketFilter{Limit: 100}})
	if err != nil {
		return err
	}
	closed, err := u.closedNote(r)
	if err != nil {
		return err
	}
	u.render(w, r, http.StatusOK, "my_requests", "My requests", &myRequestsPage{Tickets: ts, Closed: closed})
	return nil
}
