package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/api"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestAccountAdminAPI: admins disable, enable, rename and re-role accounts
// and revoke their tokens; each change holds from the next request.
func TestAccountAdminAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		pat := "/api/v1/users/" + id(e.must(200, e.pat, "GET", "/api/v1/me", ""))
		ann := "/api/v1/users/" + id(e.must(200, e.agent, "GET", "/api/v1/me", ""))
		root := "/api/v1/users/" + id(e.must(200, e.admin, "GET", "/api/v1/me", ""))
		for _, tc := range []struct {
			name, token, method, path, body string
			status                          int
			field                           string
		}{
			{"agent changes a role", e.agent, "PATCH", pat, `{"role":"admin"}`, 403, ""},
			{"requester revokes tokens", e.pat, "POST", pat + "/tokens/revoke", ``, 403, ""},
			{"requester lists tokens", e.pat, "GET", ann + "/tokens", ``, 403, ""},
			{"bad role", e.admin, "PATCH", pat, `{"role":"boss"}`, 400, "role"},
			{"empty name", e.admin, "PATCH", pat, `{"name":"  "}`, 400, "name"},
			{"disabled not a bool", e.admin, "PATCH", pat, `{"disabled":"yes"}`, 400, "disabled"},
			{"no such user", e.admin, "PATCH", "/api/v1/users/999999", `{"name":"X"}`, 404, ""},
			{"not an id", e.admin, "PATCH", "/api/v1/users/pat", `{"name":"X"}`, 404, ""},
			{"revoke for nobody", e.admin, "POST", "/api/v1/users/999999/tokens/revoke", ``, 404, ""},
			{"last admin demotes self", e.admin, "PATCH", root, `{"role":"agent"}`, 409, ""},
			{"last admin disables self", e.admin, "PATCH", root, `{"disabled":true}`, 409, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, p, _ := e.do(tc.token, tc.method, tc.path, tc.body)
				if code != tc.status {
					t.Fatalf("status=%d, want %d: %v", code, tc.status, p)
				}
				if p["detail"] == "" {
					t.Fatalf("problem without detail: %v", p)
				}
				if tc.field != "" {
					errs, _ := p["errors"].([]any)
					if len(errs) == 0 || errs[0].(map[string]any)["field"] != tc.field {
						t.Fatalf("errors=%v, want field %q", p["errors"], tc.field)
					}
				}
			})
		}
		if me := e.must(200, e.admin, "GET", "/api/v1/me", ""); me["role"] != "admin" {
			t.Fatalf("root's role after refused changes=%v, want admin", me["role"])
		}

		// Demoting the agent takes effect on the agent's next request.
		e.must(200, e.agent, "GET", "/api/v1/queue", "")
		if u := e.must(200, e.admin, "PATCH", ann, `{"role":"requester","name":"Ann O."}`); u["role"] != "requester" || u["name"] != "Ann O." {
			t.Fatalf("PATCH answered %v", u)
		}
		e.must(403, e.agent, "GET", "/api/v1/queue", "")

		// Disabling ends the tokens; enabling revives none of them.
		e.must(200, e.pat, "GET", "/api/v1/me", "")
		if u := e.must(200, e.admin, "PATCH", pat, `{"disabled":true}`); u["disabled"] != true {
			t.Fatalf("disabled=%v, want true", u["disabled"])
		}
		e.must(401, e.pat, "GET", "/api/v1/me", "")
		e.must(200, e.admin, "PATCH", pat, `{"disabled":false}`)
		e.must(401, e.pat, "GET", "/api/v1/me", "")
		if toks := e.must(200, e.admin, "GET", pat+"/tokens", ""); len(toks["tokens"].([]any)) != 0 {
			t.Fatalf("pat's live tokens after re-enabling=%v, want none", toks)
		}

		// Revoking every token of an account.
		if toks := e.must(200, e.admin, "GET", "/api/v1/users/"+id(e.must(200, e.sam, "GET", "/api/v1/me", ""))+"/tokens", ""); len(toks["tokens"].([]any)) != 1 {
			t.Fatalf("sam's tokens=%v, want one", toks)
		}
		sam := "/api/v1/users/" + id(e.must(200, e.sam, "GET", "/api/v1/me", ""))
		if got := e.must(200, e.admin, "POST", sam+"/tokens/revoke", ""); jsonNum(got["revoked"]) != "1" {
			t.Fatalf("revoked=%v, want 1", got["revoked"])
		}
		e.must(401, e.sam, "GET", "/api/v1/me", "")
	})
}

// TestOwnTokensAPI: everyone lists their own tokens (never a secret or a
// hash) and revokes one of them, which fails on the very next request.
func TestOwnTokensAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		d := desk.New(db)
		second, err := d.CreateToken(context.Background(), "pat@example.com", "phone")
		if err != nil {
			t.Fatal(err)
		}
		list := e.must(200, e.pat, "GET", "/api/v1/me/tokens", "")
		toks := list["tokens"].([]any)
		if len(toks) != 2 {
			t.Fatalf("tokens=%v, want 2", toks)
		}
		newest := toks[0].(map[string]any)
		if newest["label"] != "phone" || newest["created_at"] == nil {
			t.Fatalf("newest token=%v, want label phone and created_at", newest)
		}
		for _, tk := range toks {
			for k := range tk.(map[string]any) {
				if k != "id" && k != "label" && k != "created_at" {
					t.Fatalf("token JSON has %q, want only id, label, created_at", k)
				}
			}
		}
		samTok := id(e.must(200, e.sam, "GET", "/api/v1/me/tokens", "")["tokens"].([]any)[0].(map[string]any))
		e.must(404, e.pat, "DELETE", "/api/v1/me/tokens/"+samTok, "")
		e.must(200, e.sam, "GET", "/api/v1/me", "")
		e.must(404, e.pat, "DELETE", "/api/v1/me/tokens/x", "")

		e.must(200, second, "GET", "/api/v1/me", "")
		e.must(204, e.pat, "DELETE", "/api/v1/me/tokens/"+id(newest), "")
		e.must(401, second, "GET", "/api/v1/me", "")
		e.must(404, e.pat, "DELETE", "/api/v1/me/tokens/"+id(newest), "")
		e.must(200, e.pat, "GET", "/api/v1/me", "")
	})
}

// TestTwoNodes: two servers on the same database, each with its own store,
// as `rapport serve` nodes are. A change made through one is seen by the
// very next request on the other.
func TestTwoNodes(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			a := newEnv(t, openStore(t, dsn))
			b := new(env)
			*b = *a
			other := openStore(t, dsn)
			srv := httptest.NewServer(server.Handler(desk.New(other), other, slog.New(slog.NewTextHandler(io.Discard, nil))))
			t.Cleanup(srv.Close)
			b.url = srv.URL
			ann := "/api/v1/users/" + id(a.must(200, a.agent, "GET", "/api/v1/me", ""))
			pat := "/api/v1/users/" + id(a.must(200, a.pat, "GET", "/api/v1/me", ""))
			for _, tc := range []struct {
				name         string
				change       func()
				token, path  string
				before, want int
			}{
				{"demote", func() { a.must(200, a.admin, "PATCH", ann, `{"role":"requester"}`) }, a.agent, "/api/v1/queue", 200, 403},
				{"promote", func() { a.must(200, a.admin, "PATCH", ann, `{"role":"agent"}`) }, a.agent, "/api/v1/queue", 403, 200},
				{"revoke own", func() {
					tok := a.must(200, a.sam, "GET", "/api/v1/me/tokens", "")["tokens"].([]any)[0].(map[string]any)
					a.must(204, a.sam, "DELETE", "/api/v1/me/tokens/"+id(tok), "")
				}, a.sam, "/api/v1/me", 200, 401},
				{"disable", func() { a.must(200, a.admin, "PATCH", pat, `{"disabled":true}`) }, a.pat, "/api/v1/me", 200, 401},
			} {
				t.Run(tc.name, func(t *testing.T) {
					a.t, b.t = t, t // must fails the subtest, not its parent
					b.must(tc.before, tc.token, "GET", tc.path, "")
					tc.change()
					b.must(tc.want, tc.token, "GET", tc.path, "")
				})
			}
		})
	}
}

func openStore(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fakeClock is a time source the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// lockedBuffer collects log output written by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFailedTokenRateLimit: ten wrong tokens a minute from one address,
// then 429 with Retry-After for every bearer request from it (the right
// token too) until the allowance comes back; each failure is logged
// without the token.
func TestFailedTokenRateLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		var logs lockedBuffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		h := api.New(desk.New(db), log)
		clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
		h.SignIn.ByAddress.Now = clock.now
		mux := http.NewServeMux()
		h.Register(mux)
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		e := newEnv(t, db) // for the accounts and tokens only
		e.url = srv.URL

		e.must(401, "", "GET", "/api/v1/me", "") // no token: not a guess
		for i := 1; i <= 10; i++ {
			e.must(401, "rpt_guess", "GET", "/api/v1/me", "")
		}
		for _, tok := range []string{"rpt_guess", e.pat} {
			code, p, hdr := e.do(tok, "GET", "/api/v1/me", "")
			if code != 429 || hdr.Get("Retry-After") != "6" {
				t.Fatalf("after ten failures: status=%d Retry-After=%q, want 429 and 6", code, hdr.Get("Retry-After"))
			}
			if d, _ := p["detail"].(string); !strings.Contains(d, "wait 6 seconds") {
				t.Fatalf("detail=%q, want it to say how long to wait", d)
			}
		}
		clock.advance(6 * time.Second)
		e.must(200, e.pat, "GET", "/api/v1/me", "")
		e.must(401, "rpt_guess", "GET", "/api/v1/me", "")
		e.must(429, e.pat, "GET", "/api/v1/me", "")
		clock.advance(time.Minute)
		e.must(200, e.pat, "GET", "/api/v1/me", "")

		out := logs.String()
		if got := strings.Count(out, "sign-in failed"); got != 11 {
			t.Fatalf("logged failures=%d, want 11:\n%s", got, out)
		}
		if !strings.Contains(out, "addr=127.0.0.1") || !strings.Contains(out, "reason=") || strings.Contains(out, "rpt_guess") {
			t.Fatalf("log lines must name the address and reason and never the token:\n%s", out)
		}
	})
}
