package ui_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestCoachRoute: the ticket page's reply box asks the tone coach through
// POST /tickets/{id}/coach with the session cookie; staff get the API's
// JSON with the requester's name checked, others a problem, never a page.
func TestCoachRoute(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tk := f.ask(t, "VPN drops", "It keeps dropping")
		path := fmt.Sprintf("/tickets/%d/coach", tk.ID)
		ann, pat := f.client(t), f.client(t)
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, pat, "pat@example.com")

		if _, page := f.do(t, ann, "GET", fmt.Sprintf("/tickets/%d", tk.ID), nil, nil); !strings.Contains(page, `data-coach="`+path+`"`) || !strings.Contains(page, "/static/coach.") {
			t.Fatalf("the staff ticket page has no tone coach:\n%s", page)
		}
		if _, page := f.do(t, pat, "GET", fmt.Sprintf("/tickets/%d", tk.ID), nil, nil); strings.Contains(page, "data-coach=") {
			t.Fatalf("the requester's ticket page has the tone coach")
		}

		res, body := f.do(t, ann, "POST", path, url.Values{"text": {"Hello,\n\nYour VPN is fixed. Try it again now.\n\nAnn"}}, nil)
		var rep struct {
			ReadingGrade *float64 `json:"reading_grade"`
			Findings     []struct {
				Kind, Message, Suggestion string
				Start, End                int
			}
		}
		if res.StatusCode != 200 || json.Unmarshal([]byte(body), &rep) != nil || rep.ReadingGrade == nil {
			t.Fatalf("POST %s: %d %s", path, res.StatusCode, body)
		}
		kinds := map[string]string{}
		for _, f := range rep.Findings {
			kinds[f.Kind] = f.Suggestion
		}
		// The requester is "Person pat@example.com": the greeting wants "Person".
		if kinds["brusque"] != "Hello Person" || kinds["jargon"] == "" {
			t.Fatalf("findings=%+v, want the name added to the greeting and the VPN in plain words", rep.Findings)
		}

		for _, tc := range []struct {
			name   string
			who    string
			path   string
			text   string
			status int
		}{
			{"requester", "pat", path, "Hello", 403},
			{"empty", "ann", path, " ", 400},
			{"unknown ticket", "ann", "/tickets/999999/coach", "Hello", 404},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := ann
				if tc.who == "pat" {
					c = pat
				}
				res, body := f.do(t, c, "POST", tc.path, url.Values{"text": {tc.text}}, nil)
				if res.StatusCode != tc.status || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("status=%d %s (%s), want %d problem+json", res.StatusCode, res.Header.Get("Content-Type"), body, tc.status)
				}
			})
		}
	})
}
