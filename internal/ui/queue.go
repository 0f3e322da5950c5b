package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
)

// queuePageSize is how many queued tickets one page of the queue shows.
const queuePageSize = 50

// queuePage is a page of the serving queue. Next is the cursor of the
// page after, "" on the last.
type queuePage struct {
	Tickets []*rapport.Ticket
	Next    string
	First   bool
}

// queue serves the staff's home: the queue in serving order, paged by
// cursor (?after=RANK-ID) so every page costs the same.
func (u *UI) queue(w http.ResponseWriter, r *http.Request) error {
	after, ok := parseQueueCursor(r.URL.Query().Get("after"))
	if !ok {
		return rapport.Errorf(rapport.ENOTFOUND, "That page of the queue does not exist. Start again from the first page.")
	}
	ts, err := u.desk.Queue(r.Context(), after, queuePageSize+1)
	if err != nil {
		return err
	}
	p := &queuePage{Tickets: ts, First: after == rapport.QueueCursor{}}
	if len(ts) > queuePageSize {
		p.Tickets = ts[:queuePageSize]
		c := p.Tickets[queuePageSize-1].Cursor()
		p.Next = fmt.Sprintf("%d-%d", c.Rank, c.ID)
	}
	u.render(w, r, http.StatusOK, "queue", "Queue", p)
	return nil
}

func parseQueueCursor(s string) (rapport.QueueCursor, bool) {
	if s == "" {
		return rapport.QueueCursor{}, true
	}
	rank, id, ok := strings.Cut(s, "-")
	rk, err1 := strconv.Atoi(rank)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || rk < 0 || rk > 1 || n < 0 {
		return rapport.QueueCursor{}, false
	}
	return rapport.QueueCursor{Rank: rk, ID: n}, true
}

// takeNext serves POST /queue/next: the next ticket in serving order
// becomes the caller's, and its page opens.
func (u *UI) takeNext(w http.ResponseWriter, r *http.Request) error {
	t, err := u.desk.ClaimNext(r.Context())
	if err != nil {
		return err
	}
	if t == nil {
		u.redirect(w, r, "/", "The queue is empty: there is nothing to take right now.")
		return nil
	}
	u.redirect(w, r, fmt.Sprintf("/tickets/%d", t.ID), fmt.Sprintf("Ticket %d is yours now.", t.ID))
	return nil
}
