package ui

import (
	"net/http"
	"strings"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/web"
)

// The collision notice: while a member of staff has a ticket's page open,
// static/ticket.js reports it every 20 seconds (and at once when they start
// or stop replying) through POST /tickets/{id}/presence, and shows the
// notice the answer carries; a presence event on /events makes it ask
// again with GET. The session cookie does not open /api, hence these UI
// routes over the same broker calls the API makes.

// presenceJSON is what both presence routes answer: the notice to show,
// "" when nobody else is there.
type presenceJSON struct {
	Notice string `json:"notice"`
}

// presence serves GET /tickets/{id}/presence.
func (u *UI) presence(w http.ResponseWriter, r *http.Request) error {
	id, err := u.presenceTicket(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, presenceJSON{Notice: u.presenceNotice(id, rapport.UserFromContext(r.Context()))})
}

// present serves POST /tickets/{id}/presence with state viewing or
// replying (a heartbeat), or gone (the page closed), and answers as GET.
func (u *UI) present(w http.ResponseWriter, r *http.Request) error {
	id, err := u.presenceTicket(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
	me := rapport.UserFromContext(r.Context())
	if state := r.PostFormValue("state"); state == "gone" {
		err = u.live.Leave(r.Context(), id, me)
	} else {
		err = u.live.Present(r.Context(), id, me, state)
	}
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, presenceJSON{Notice: u.presenceNotice(id, me)})
}

// presenceTicket reads the ticket of a presence request and checks that
// live updates are on and the caller may see the ticket.
func (u *UI) presenceTicket(r *http.Request) (int64, error) {
	if u.live == nil {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "Live updates are not turned on on this server.")
	}
	id, err := ticketID(r)
	if err != nil {
		return 0, err
	}
	if _, err := u.desk.Ticket(r.Context(), id); err != nil {
		return 0, err
	}
	return id, nil
}

// presenceNotice says who else is on ticket id now, for me (staff); "" for
// nobody, or when live updates are off.
func (u *UI) presenceNotice(id int64, me *rapport.User) string {
	if u.live == nil || !me.IsStaff() {
		return ""
	}
	vs, err := u.live.Presence(id, me)
	if err != nil {
		return ""
	}
	return noticeText(vs)
}

// noticeText is the collision notice for viewers, longest there first:
// "Ann Ortiz is replying. Bo Li is also looking at this ticket."
func noticeText(vs []live.Viewer) string {
	var replying, viewing []string
	for _, v := range vs {
		if v.State == live.Replying {
			replying = append(replying, v.Name)
		} else {
			viewing = append(viewing, v.Name)
		}
	}
	var out []string
	if len(replying) > 0 {
		out = append(out, names(replying)+verb(replying, " is", " are")+" replying.")
	}
	if len(viewing) > 0 {
		out = append(out, names(viewing)+verb(viewing, " is", " are")+" also looking at this ticket.")
	}
	return strings.Join(out, " ")
}

// names joins names as a sentence does: "Ann", "Ann and Bo",
// "Ann, Bo and Cy".
func names(ns []string) string {
	if len(ns) == 1 {
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

func verb(ns []string, one, many string) string {
	if len(ns) == 1 {
		return one
	}
	return many
}
