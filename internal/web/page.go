package web

import (
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
)

// Paging of lists: a page is at most limit rows (default DefaultLimit, at
// most MaxLimit), and the next one is named by an opaque cursor, announced
// in a Link: <...>; rel="next" header (RFC 8288) and left out on the last
// page.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Page reads the limit and cursor query parameters. An offset is refused
// rather than ignored, so an old client cannot loop on the first page.
func Page(r *http.Request) (limit int, cursor string, err error) {
	q := r.URL.Query()
	var p rapport.Problems
	limit = DefaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			p.Add("limit", "limit must be a whole number from 1 to %d.", MaxLimit)
		} else {
			limit = n
		}
	}
	if q.Has("offset") {
		p.Add("offset", "Lists are paged by cursor, not offset: follow the Link header's rel=\"next\" address.")
	}
	return limit, q.Get("cursor"), p.Err()
}

// NextPage returns the address of the page after r's, at cursor next: r's
// own path and query with the cursor replaced. It is a path-absolute
// reference, right behind any proxy that keeps paths.
func NextPage(r *http.Request, next string) string {
	q := r.URL.Query()
	q.Set("cursor", next)
	return r.URL.Path + "?" + q.Encode()
}

// SetNext announces the next page in a Link header; nothing when next is
// empty (the last page). It returns the address, or "" on the last page,
// for a body that repeats it.
func SetNext(w http.ResponseWriter, r *http.Request, next string) string {
	if next == "" {
		return ""
	}
	u := NextPage(r, next)
	w.Header().Add("Link", "<"+u+`>; rel="next"`)
	return u
}
