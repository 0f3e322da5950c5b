package api_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

var linkNext = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// walk follows the Link rel="next" headers from path, checking that the
// body's "next" says the same, and returns every row under key.
func (e *env) walk(token, path, key string) []string {
	e.t.Helper()
	var all []string
	for pages := 0; path != ""; pages++ {
		if pages > 20 {
			e.t.Fatalf("GET %s: more than 20 pages", path)
		}
		code, body, h := e.do(token, "GET", path, "")
		if code != 200 {
			e.t.Fatalf("GET %s = %d: %v", path, code, body)
		}
		all = append(all, ids(body, key)...)
		link := h.Get("Link")
		path = ""
		if link != "" {
			m := linkNext.FindStringSubmatch(link)
			if m == nil {
				e.t.Fatalf("Link header %q is not <...>; rel=\"next\"", link)
			}
			path = m[1]
		}
		if next, _ := body["next"].(string); next != path {
			e.t.Fatalf("body next %q, Link next %q", next, path)
		}
	}
	return all
}

func TestListPagingAndSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for i := range 120 {
			e.must(201, e.pat, "POST", "/api/v1/tickets", fmt.Sprintf(`{"subject":"Printer %d jammed","body":"Paper everywhere."}`, i))
		}
		sams := id(e.must(201, e.sam, "POST", "/api/v1/tickets", `{"subject":"Password expired","body":"Cannot sign in."}`))
		all := e.walk(e.pat, "/api/v1/tickets?limit=50", "tickets")
		seen := map[string]bool{}
		for _, id := range all {
			if seen[id] {
				t.Fatalf("ticket %s listed twice", id)
			}
			seen[id] = true
		}
		if len(all) != 120 || seen[sams] {
			t.Fatalf("pat paged through %d tickets (sam's listed: %v), want her 120", len(all), seen[sams])
		}
		// Filters and search carry over to the next pages.
		if got := e.walk(e.agent, "/api/v1/tickets?limit=7&q=print&sort=oldest&status=new", "tickets"); len(got) != 120 {
			t.Fatalf("agent search walked %d tickets, want 120", len(got))
		}

		// Internal notes: staff find them; the requester's search never matches them.
		first := all[len(all)-1]
		e.must(201, e.agent, "POST", "/api/v1/tickets/"+first+"/messages", `{"body":"Toner cartridge is counterfeit","internal":true}`)
		e.must(201, e.agent, "POST", "/api/v1/tickets/"+sams+"/messages", `{"body":"Reset the counterfeit token","internal":false}`)
		for _, tc := range []struct {
			who, token, q string
			want          []string
		}{
			{"agent", e.agent, "counterfeit", []string{sams, first}},
			{"pat", e.pat, "counterfeit", nil},
			{"sam", e.sam, "counterfeit", []string{sams}},
			{"pat", e.pat, "passw", nil},
			{"sam", e.sam, "passw", []string{sams}},
		} {
			got := e.walk(tc.token, "/api/v1/tickets?q="+url.QueryEscape(tc.q), "tickets")
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("%s searching %q: %v, want %v", tc.who, tc.q, got, tc.want)
			}
		}

		// The timeline and the user list page the same way.
		for range 60 {
			e.must(201, e.agent, "POST", "/api/v1/tickets/"+sams+"/messages", `{"body":"Still looking.","internal":false}`)
		}
		if got := e.walk(e.sam, "/api/v1/tickets/"+sams+"/timeline?limit=25", "events"); len(got) != 62 {
			t.Fatalf("timeline walked %d events, want 62", len(got))
		}
		if got := e.walk(e.admin, "/api/v1/users?limit=1&q=s", "users"); len(got) != 1 {
			t.Fatalf("users starting with s: %v, want sam", got)
		}
		if got := e.walk(e.admin, "/api/v1/users?limit=1", "users"); len(got) != 4 {
			t.Fatalf("users walked %d, want 4", len(got))
		}
	})
}

func TestListFiltersAndBadParameters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		crit := id(e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Site down","body":"All of it.","impact":{"outage":true}}`))
		phone := id(e.must(201, e.agent, "POST", "/api/v1/tickets", `{"subject":"Headset","body":"Crackles.","requester":"sam@example.com"}`))
		e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		for _, tc := range []struct {
			token, query string
			want         []string
		}{
			{e.agent, "priority=critical", []string{crit}},
			{e.agent, "channel=phone", []string{phone}},
			{e.agent, "assignee=me", []string{crit}},
			{e.agent, "assignee=ann@example.com", []string{crit}},
			{e.agent, "assignee=none", []string{phone}},
			{e.agent, "requester=sam@example.com", []string{phone}},
			{e.agent, "status=new,waiting", []string{phone}},
			{e.agent, "created_after=2000-01-01T00:00:00Z&created_before=2000-01-02T00:00:00Z", nil},
			{e.agent, "sort=updated", []string{crit, phone}},
			{e.pat, "requester=pat@example.com", []string{crit}},
		} {
			got := e.walk(tc.token, "/api/v1/tickets?"+tc.query, "tickets")
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("?%s: %v, want %v", tc.query, got, tc.want)
			}
		}
		for _, tc := range []struct {
			token, path string
			status      int
			field       string
		}{
			{e.agent, "/api/v1/tickets?cursor=bogus", 400, "cursor"},
			{e.agent, "/api/v1/tickets?offset=50", 400, "offset"},
			{e.agent, "/api/v1/tickets?limit=501", 400, "limit"},
			{e.agent, "/api/v1/tickets?priority=urgent", 400, "priority"},
			{e.agent, "/api/v1/tickets?channel=fax", 400, "channel"},
			{e.agent, "/api/v1/tickets?created_after=yesterday", 400, "created_after"},
			{e.agent, "/api/v1/tickets?sort=sideways", 400, "sort"},
			{e.agent, "/api/v1/tickets?sort=relevance", 400, "sort"},
			{e.agent, "/api/v1/tickets?q=%22%21%21", 400, "q"},
			{e.agent, "/api/v1/tickets?assignee=nobody@example.com", 400, "assignee"},
			{e.agent, "/api/v1/tickets?requester=not-an-email", 400, "requester"},
			{e.pat, "/api/v1/tickets?requester=sam@example.com", 403, ""},
			{e.agent, "/api/v1/tickets/" + crit + "/timeline?cursor=bogus", 400, "cursor"},
			{e.admin, "/api/v1/users?cursor=bogus", 400, "cursor"},
		} {
			code, p, _ := e.do(tc.token, "GET", tc.path, "")
			if code != tc.status {
				t.Errorf("GET %s = %d, want %d: %v", tc.path, code, tc.status, p)
				continue
			}
			if errs, _ := p["errors"].([]any); tc.field != "" && (len(errs) == 0 || errs[0].(map[string]any)["field"] != tc.field) {
				t.Errorf("GET %s: errors %v, want field %q", tc.path, p["errors"], tc.field)
			}
		}
	})
}
