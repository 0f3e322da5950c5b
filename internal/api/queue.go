package api

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// queue serves GET /api/v1/queue: a page of the serving queue. Paging is
// by cursor (the Link rel="next" header), never by offset, so every page
// costs the same however deep it is.
func (h *Handler) queue(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var p rapport.Problems
	lim := queryInt(r, &p, "limit", 50, 1, 500)
	after, ok := decodeQueueCursor(q.Get("cursor"))
	if !ok {
		p.Add("cursor", "This cursor is not one Rapport gave out: start from /api/v1/queue and follow the Link header.")
	}
	if q.Has("offset") {
		p.Add("offset", "The queue pages by cursor, not offset: follow the Link header (rel=\"next\").")
	}
	if err := p.Err(); err != nil {
		return err
	}
	// One more than asked tells whether there is a next page.
	ts, err := h.desk.Queue(r.Context(), after, lim+1)
	if err != nil {
		return err
	}
	if len(ts) > lim {
		ts = ts[:lim]
		next := url.Values{"limit": {strconv.Itoa(lim)}, "cursor": {encodeQueueCursor(ts[lim-1].Cursor())}}
		w.Header().Set("Link", fmt.Sprintf(`</api/v1/queue?%s>; rel="next"`, next.Encode()))
	}
	return web.JSON(w, http.StatusOK, toTickets(r, ts))
}

// encodeQueueCursor makes the opaque cursor for "after this place".
func encodeQueueCursor(c rapport.QueueCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("q1:%d:%d", c.Rank, c.ID)))
}

// decodeQueueCursor reads a cursor; "" is the front of the queue.
func decodeQueueCursor(s string) (rapport.QueueCursor, bool) {
	var c rapport.QueueCursor
	if s == "" {
		return c, true
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, false
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 || parts[0] != "q1" {
		return c, false
	}
	rank, err1 := strconv.Atoi(parts[1])
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || rank < 0 || rank > 1 || id < 0 {
		return c, false
	}
	return rapport.QueueCursor{Rank: rank, ID: id}, true
}
