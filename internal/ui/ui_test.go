package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gocloud.dev/blob/memblob"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
	"github.com/rapportdesk/rapport/internal/ui"
)

const password = "correct horse battery"

type fixture struct {
	srv  *httptest.Server
	desk *desk.Desk
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	d := desk.New(db)
	d.Files = attach.New(memblob.OpenBucket(nil), testMaxFile) // attachments (web)
	for _, u := range [][2]string{{"pat@example.com", "requester"}, {"ann@example.com", "agent"}} {
		if _, err := d.AddUserWithPassword(context.Background(), u[0], "Person "+u[0], rapport.Role(u[1]), password); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, desk: d}
}

// client returns an HTTP client with its own cookies that does not follow
// redirects, so tests see each answer.
func (f *fixture) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (f *fixture) do(t *testing.T, c *http.Client, method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (f *fixture) signIn(t *testing.T, c *http.Client, email string) *http.Response {
	t.Helper()
	res, _ := f.do(t, c, "POST", "/login", url.Values{"email": {email}, "password": {password}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: Status=%v, want 303", email, res.StatusCode)
	}
	return res
}

// TestSessionCookie: signing in sets a cookie scripts cannot read, sent
// on same-site navigation only, Secure when the request came over TLS;
// the cookie does not open the API; signing out ends it on the server.
func TestSessionCookie(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		res := f.signIn(t, c, "pat@example.com")
		var cookie *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "rapport_session" {
				cookie = ck
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure {
			t.Fatalf("session cookie=%+v, want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", cookie)
		}
		if res, body := f.do(t, c, "GET", "/", nil, nil); res.StatusCode != 200 || !strings.Contains(body, "My requests") {
			t.Fatalf("home after sign-in: %v", res.StatusCode)
		}
		if res, _ := f.do(t, c, "GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("API with only the session cookie: Status=%v, want 401", res.StatusCode)
		}
		stolen := cookie.Value
		if res, _ := f.do(t, c, "POST", "/logout", url.Values{}, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("sign out: %v %v", res.StatusCode, res.Header.Get("Location"))
		}
		// The old secret, replayed, opens nothing.
		other := f.client(t)
		u, _ := url.Parse(f.srv.URL)
		other.Jar.SetCookies(u, []*http.Cookie{{Name: "rapport_session", Value: stolen}})
		if res, _ := f.do(t, other, "GET", "/", nil, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("replayed cookie after sign-out: %v %v, want a redirect to /login", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

// TestSecureCookieBehindTLS: with an https:// public URL the cookie is
// Secure even though TLS ended at a proxy.
func TestSecureCookieBehindTLS(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	d := desk.New(db)
	if _, err := d.AddUserWithPassword(context.Background(), "pat@example.com", "Pat", rapport.RoleRequester, password); err != nil {
		t.Fatal(err)
	}
	h := server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.WithUI(ui.Options{PublicURL: "https://help.example.com"}))
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"email": {"pat@example.com"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if c := rec.Result().Cookies(); rec.Code != 303 || len(c) != 1 || !c[0].Secure {
		t.Fatalf("sign in behind TLS: %v, cookies %+v; want one Secure cookie", rec.Code, c)
	}
}

// TestCrossOriginPostRefused: a form posted from another site is refused
// (403, in HTML) and changes nothing; the same form from Rapport works.
func TestCrossOriginPostRefused(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	c := f.client(t)
	f.signIn(t, c, "pat@example.com")
	form := url.Values{"subject": {"Forged"}, "description": {"Sent by another site"}}
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Origin": "https://evil.example"},
	} {
		res, body := f.do(t, c, "POST", "/requests", form, h)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "another web site") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("POST with %v: Status=%v, want 403 with an HTML page", h, res.StatusCode)
		}
	}
	if res, _ := f.do(t, c, "POST", "/logout", url.Values{}, map[string]string{"Sec-Fetch-Site": "cross-site"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site sign-out: Status=%v, want 403", res.StatusCode)
	}
	if _, body := f.do(t, c, "GET", "/", nil, nil); strings.Contains(body, "Forged") {
		t.Fatalf("a refused cross-site post made a ticket")
	}
	res, _ := f.do(t, c, "POST", "/requests", form, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": f.srv.URL})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin POST: Status=%v, want 303", res.StatusCode)
	}
}

// TestNotFoundPages: the API's unknown paths answer problem+json, the UI's
// an HTML page in plain words.
func TestNotFoundPages(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	c := f.client(t)
	for _, tc := range []struct{ path, ctype, says string }{
		{"/api/v1/nowhere", "application/problem+json", "There is nothing at"},
		{"/nowhere", "text/html", "We could not find that page"},
	} {
		res, body := f.do(t, c, "GET", tc.path, nil, nil)
		if res.StatusCode != 404 || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(body, tc.says) {
			t.Fatalf("GET %s: %v %s, want 404 %s saying %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"), tc.ctype, tc.says)
		}
	}
	f.signIn(t, c, "pat@example.com")
	if res, body := f.do(t, c, "GET", "/tickets/999", nil, nil); res.StatusCode != 404 || !strings.Contains(body, "There is no ticket 999") {
		t.Fatalf("someone's missing ticket: %v", res.StatusCode)
	}
}

// TestSignInRedirects: after sign-in a safe next path is followed; any
// other goes home.
func TestSignInRedirects(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	for _, tc := range []struct{ next, want string }{
		{"/tickets/3?x=1", "/tickets/3?x=1"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/login", "/"},
	} {
		c := f.client(t)
		res, _ := f.do(t, c, "POST", "/login", url.Values{"email": {"pat@example.com"}, "password": {password}, "next": {tc.next}}, nil)
		if got := res.Header.Get("Location"); res.StatusCode != 303 || got != tc.want {
			t.Errorf("next=%q: Location=%q, want %q", tc.next, got, tc.want)
		}
	}
	// A signed-out visit to a page remembers it.
	res, _ := f.do(t, f.client(t), "GET", "/tickets/3", nil, nil)
	if got := res.Header.Get("Location"); got != "/login?next=%2Ftickets%2F3" {
		t.Fatalf("signed-out GET /tickets/3: Location=%q", got)
	}
}

// TestStaticAssets: hashed URLs, a year's caching, gzip when accepted.
func TestStaticAssets(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	_, page := f.do(t, f.client(t), "GET", "/login", nil, nil)
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(page)
	if css == nil {
		t.Fatalf("the login page links no hashed app.css:\n%s", page)
	}
	tr := &http.Transport{DisableCompression: true}
	for _, gz := range []bool{false, true} {
		req, _ := http.NewRequest("GET", f.srv.URL+css[1], nil)
		if gz {
			req.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
		}
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "max-age=31536000") ||
			(res.Header.Get("Content-Encoding") == "gzip") != gz || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
			t.Fatalf("GET %s (gzip %v): %v %v", css[1], gz, res.StatusCode, res.Header)
		}
	}
	if res, _ := f.do(t, f.client(t), "GET", "/static/app.0000000000.css", nil, nil); res.StatusCode != 404 {
		t.Fatalf("a stale asset URL: Status=%v, want 404", res.StatusCode)
	}
}

// TestFormKeepsWords: a request with a mistake comes back with every word
// typed and the error beside its field.
func TestFormKeepsWords(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	c := f.client(t)
	f.signIn(t, c, "pat@example.com")
	if res, body := f.do(t, c, "GET", "/requests/new", nil, nil); res.StatusCode != 200 || !strings.Contains(body, `<label for="subject">Subject</label>`) {
		t.Fatalf("GET /requests/new: %v", res.StatusCode)
	}
	res, body := f.do(t, c, "POST", "/requests", url.Values{"subject": {"  "}, "description": {"It <b>broke</b> & stopped"}, "costs_money": {"yes"}}, nil)
	for _, want := range []string{`id="subject-error"`, "The subject is required.", "It &lt;b&gt;broke&lt;/b&gt; &amp; stopped", `name="costs_money" value="yes" checked`, `aria-invalid="true"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("Status=%v; the form after a mistake lacks %q:\n%s", res.StatusCode, want, body)
		}
	}
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("Status=%v, want 422", res.StatusCode)
	}
}
