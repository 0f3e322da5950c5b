package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

var draftToken = regexp.MustCompile(`name="draft" value="([A-Za-z0-9_-]+)"`)

// TestDraftRoute: POST /requests/draft keeps the draft of the signed-in
// person (204) and answers in plain words otherwise: 401 signed out (not
// a redirect a script would take for success), 400 for bad input, 403 from
// another site. GET /requests/new shows the draft without JavaScript; a
// failed send keeps the words as the draft; a successful one clears it.
func TestDraftRoute(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		draft := url.Values{"form": {"new_request"}, "draft": {"tok1"}, "subject": {"Printer <jammed>"}, "description": {"Floor 2 "}, "outage": {"yes"}}

		if res, body := f.do(t, f.client(t), "POST", "/requests/draft", draft, nil); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "signed out") {
			t.Fatalf("save signed out: Status=%v %s, want 401 saying so", res.StatusCode, body)
		}
		f.signIn(t, c, "pat@example.com")
		if res, _ := f.do(t, c, "POST", "/requests/draft", draft, map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site save: Status=%v, want 403", res.StatusCode)
		}
		bad := url.Values{"form": {"payroll"}, "draft": {"tok1"}}
		if res, body := f.do(t, c, "POST", "/requests/draft", bad, nil); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "no form") {
			t.Fatalf("save of an unknown form: Status=%v %s, want 400", res.StatusCode, body)
		}
		if res, body := f.do(t, c, "POST", "/requests/draft", draft, nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("save: Status=%v %s, want 204", res.StatusCode, body)
		}
		_, body := f.do(t, c, "GET", "/requests/new", nil, nil)
		for _, want := range []string{`value="Printer &lt;jammed&gt;"`, ">Floor 2 </textarea>", `name="outage" value="yes" checked`, "We kept what you were writing", `data-draft-source="saved"`} {
			if !strings.Contains(body, want) {
				t.Fatalf("the form with a draft lacks %q:\n%s", want, body)
			}
		}
		m := draftToken.FindStringSubmatch(body)
		if m == nil || m[1] == "tok1" {
			t.Fatalf("the form's draft token=%v, want a fresh one", m)
		}

		// A failed send keeps its words as the draft, under its token.
		send := url.Values{"draft": {m[1]}, "subject": {""}, "description": {"Only a description"}}
		if res, _ := f.do(t, c, "POST", "/requests", send, nil); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("send without a subject: Status=%v, want 422", res.StatusCode)
		}
		if _, body := f.do(t, c, "GET", "/requests/new", nil, nil); !strings.Contains(body, ">Only a description</textarea>") {
			t.Fatalf("the draft after a failed send lacks its words:\n%s", body)
		}

		send.Set("subject", "Printer jammed")
		if res, _ := f.do(t, c, "POST", "/requests", send, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send: Status=%v, want 303", res.StatusCode)
		}
		_, body = f.do(t, c, "GET", "/requests/new", nil, nil)
		if strings.Contains(body, "Only a description") || strings.Contains(body, "We kept") || !strings.Contains(body, `data-draft-sent="`+m[1]+`"`) {
			t.Fatalf("the form after sending still shows the draft, or does not name the sent sitting:\n%s", body)
		}
		// The page going away sends one last save from the sent sitting.
		late := url.Values{"form": {"new_request"}, "draft": {m[1]}, "subject": {"Printer jammed"}, "description": {"Only a description"}}
		if res, _ := f.do(t, c, "POST", "/requests/draft", late, nil); res.StatusCode != http.StatusConflict {
			t.Fatalf("late save after sending: Status=%v, want 409", res.StatusCode)
		}
		if _, body := f.do(t, c, "GET", "/requests/new", nil, nil); strings.Contains(body, "Only a description") {
			t.Fatalf("a late save brought the sent draft back")
		}
	})
}
