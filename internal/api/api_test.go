package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"gocloud.dev/blob/memblob"

	"github.com/rapportdesk/rapport/internal/api"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// env is a running server with a requester, a second requester and an agent.
type env struct {
	t               testing.TB
	url             string
	pat, sam, agent string // tokens
	admin           string
	live            *live.Broker
	desk            *desk.Desk
}

func newEnv(t testing.TB, db *store.DB) *env {
	return newEnvLive(t, db, live.New(slog.New(slog.NewTextHandler(io.Discard, nil))), nil)
}

// newEnvLive is newEnv with live updates from b. With like set it adds no
// people and uses like's tokens: another node on the same database.
func newEnvLive(t testing.TB, db *store.DB, b *live.Broker, like *env) *env {
	d := desk.New(db)
	d.Notifier = b
	d.Files = attach.New(memblob.OpenBucket(nil), testMaxFile) // attachments (web)
	srv := httptest.NewServer(server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.WithLive(b)))
	t.Cleanup(srv.Close)
	t.Cleanup(b.Close) // first: open event streams end, so that srv.Close returns
	e := &env{t: t, url: srv.URL, live: b, desk: d}
	if like != nil {
		e.pat, e.sam, e.agent, e.admin = like.pat, like.sam, like.agent, like.admin
		return e
	}
	ctx := context.Background()
	for _, u := range []struct {
		email string
		role  rapport.Role
		tok   *string
	}{{"pat@example.com", rapport.RoleRequester, &e.pat}, {"sam@example.com", rapport.RoleRequester, &e.sam},
		{"ann@example.com", rapport.RoleAgent, &e.agent}, {"root@example.com", rapport.RoleAdmin, &e.admin}} {
		if _, err := d.AddUser(ctx, u.email, "Person", u.role); err != nil {
			t.Fatal(err)
		}
		tok, err := d.CreateToken(ctx, u.email, "")
		if err != nil {
			t.Fatal(err)
		}
		*u.tok = tok
	}
	return e
}

// do sends a request and decodes a JSON answer into a map.
func (e *env) do(token, method, path, body string) (int, map[string]any, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: answer is not JSON: %q", method, path, raw)
		}
	}
	if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
		e.t.Fatalf("%s %s: error %d with Content-Type %q", method, path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return res.StatusCode, out, res.Header
}

func (e *env) must(want int, token, method, path, body string) map[string]any {
	e.t.Helper()
	got, out, _ := e.do(token, method, path, body)
	if got != want {
		e.t.Fatalf("%s %s = %d, want %d: %v", method, path, got, want, out)
	}
	return out
}

func id(m map[string]any) string { return jsonNum(m["id"]) }

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func ids(m map[string]any, key string) []string {
	var out []string
	for _, x := range m[key].([]any) {
		out = append(out, id(x.(map[string]any)))
	}
	return out
}

func TestTicketLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		normal := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"Paper jam","impact":{"outage":false,"costs_money":false,"blocks_work":false}}`)
		crit := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Payroll down","body":"Cannot pay staff","impact":{"outage":false,"costs_money":true,"blocks_work":false}}`)
		if normal["status"] != "new" || normal["priority"] != "normal" || normal["assignee"] != nil || jsonNum(normal["queue_position"]) != "1" {
			t.Fatalf("normal ticket %v", normal)
		}
		if crit["priority"] != "critical" || jsonNum(crit["queue_position"]) != "1" || crit["requester"].(map[string]any)["email"] != "pat@example.com" {
			t.Fatalf("critical ticket %v", crit)
		}
		for _, k := range []string{"id", "subject", "status", "priority", "created_at", "requester", "assignee", "queue_position"} {
			if _, ok := normal[k]; !ok {
				t.Errorf("ticket JSON lacks %q", k)
			}
		}
		if got := e.must(200, e.pat, "GET", "/api/v1/tickets/"+id(normal), ""); jsonNum(got["queue_position"]) != "2" {
			t.Fatalf("normal ticket now at %v, want 2", got["queue_position"])
		}
		q := e.must(200, e.agent, "GET", "/api/v1/queue", "")
		if got := ids(q, "tickets"); strings.Join(got, ",") != id(crit)+","+id(normal) {
			t.Fatalf("queue %v", got)
		}

		claimed := e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		if id(claimed) != id(crit) || claimed["queue_position"] != nil || claimed["status"] != "open" || claimed["assignee"] == nil {
			t.Fatalf("claimed %v", claimed)
		}
		e.must(201, e.agent, "POST", "/api/v1/tickets/"+id(crit)+"/messages", `{"body":"Looking at the payroll server logs","internal":true}`)
		e.must(201, e.agent, "POST", "/api/v1/tickets/"+id(crit)+"/messages", `{"body":"Hi Pat, I'm on it."}`)
		e.must(201, e.pat, "POST", "/api/v1/tickets/"+id(crit)+"/messages", `{"body":"Thank you!"}`)
		e.must(403, e.pat, "POST", "/api/v1/tickets/"+id(crit)+"/messages", `{"body":"sneaky","internal":true}`)

		pub := e.must(200, e.pat, "GET", "/api/v1/tickets/"+id(crit)+"/timeline", "")
		all := e.must(200, e.agent, "GET", "/api/v1/tickets/"+id(crit)+"/timeline", "")
		if len(pub["events"].([]any)) != len(all["events"].([]any))-1 {
			t.Fatalf("requester sees %d events, staff %d", len(pub["events"].([]any)), len(all["events"].([]any)))
		}
		for _, ev := range pub["events"].([]any) {
			if ev.(map[string]any)["internal"] == true {
				t.Fatalf("requester sees internal event %v", ev)
			}
		}

		res := e.must(200, e.agent, "POST", "/api/v1/tickets/"+id(crit)+"/resolve", `{"resolution":"Restarted the payroll service"}`)
		if res["status"] != "resolved" || res["resolution"] != "Restarted the payroll service" {
			t.Fatalf("resolved %v", res)
		}
		e.must(400, e.pat, "POST", "/api/v1/tickets/"+id(crit)+"/reopen", `{"reason":""}`)
		re := e.must(200, e.pat, "POST", "/api/v1/tickets/"+id(crit)+"/reopen", `{"reason":"Payslips still missing"}`)
		if re["status"] != "open" || jsonNum(re["reopen_count"]) != "1" {
			t.Fatalf("reopened %v", re)
		}
		e.must(409, e.pat, "POST", "/api/v1/tickets/"+id(crit)+"/reopen", `{"reason":"again"}`)

		e.must(403, e.pat, "POST", "/api/v1/tickets/"+id(normal)+"/triage", `{"priority":"critical","reason":"please"}`)
		tri := e.must(200, e.agent, "POST", "/api/v1/tickets/"+id(normal)+"/triage", `{"priority":"critical","reason":"The whole floor prints there"}`)
		if tri["priority"] != "critical" {
			t.Fatalf("triaged %v", tri)
		}
		tl := e.must(200, e.pat, "GET", "/api/v1/tickets/"+id(normal)+"/timeline", "")
		evs := tl["events"].([]any)
		if last := evs[len(evs)-1].(map[string]any); last["type"] != "triaged" || last["body"] != "The whole floor prints there" {
			t.Fatalf("requester's last event %v", last)
		}

		e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		if code, _, _ := e.do(e.agent, "POST", "/api/v1/queue/next", ""); code != 204 {
			t.Fatalf("empty queue next = %d, want 204", code)
		}
		if q := e.must(200, e.agent, "GET", "/api/v1/queue", ""); len(q["tickets"].([]any)) != 0 {
			t.Fatalf("queue not empty: %v", q)
		}
	})
}

func TestVisibilityAndAuth(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"Drops","impact":{}}`)
		e.must(201, e.sam, "POST", "/api/v1/tickets", `{"subject":"Mouse","body":"Broken","impact":{}}`)
		e.must(404, e.sam, "GET", "/api/v1/tickets/"+id(tk), "")
		e.must(404, e.sam, "GET", "/api/v1/tickets/"+id(tk)+"/timeline", "")
		e.must(404, e.sam, "POST", "/api/v1/tickets/"+id(tk)+"/messages", `{"body":"hi"}`)
		e.must(404, e.pat, "GET", "/api/v1/tickets/999999", "")
		e.must(404, e.pat, "GET", "/api/v1/tickets/abc", "")
		if got := ids(e.must(200, e.pat, "GET", "/api/v1/tickets", ""), "tickets"); len(got) != 1 || got[0] != id(tk) {
			t.Fatalf("pat lists %v", got)
		}
		if got := ids(e.must(200, e.agent, "GET", "/api/v1/tickets?status=new", ""), "tickets"); len(got) != 2 {
			t.Fatalf("agent lists %v", got)
		}
		e.must(403, e.pat, "GET", "/api/v1/queue", "")
		e.must(403, e.pat, "POST", "/api/v1/queue/next", "")
		e.must(403, e.pat, "POST", "/api/v1/tickets", `{"subject":"x","body":"y","requester":"sam@example.com"}`)
		code, _, h := e.do("", "GET", "/api/v1/tickets", "")
		if code != 401 || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("no token: %d %v", code, h)
		}
		e.must(401, "rpt_nope", "GET", "/api/v1/tickets", "")
		me := e.must(200, e.pat, "GET", "/api/v1/me", "")
		if me["email"] != "pat@example.com" || me["role"] != "requester" {
			t.Fatalf("me %v", me)
		}
		logged := e.must(201, e.agent, "POST", "/api/v1/tickets", `{"subject":"Walk-up","body":"Screen flickers","requester":"pat@example.com","channel":"walk_up"}`)
		if logged["requester"].(map[string]any)["email"] != "pat@example.com" || logged["logged_by"] == nil || logged["channel"] != "walk_up" {
			t.Fatalf("logged on behalf %v", logged)
		}
		e.must(200, e.pat, "GET", "/api/v1/tickets/"+id(logged), "")
	})
}

func TestBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			field                    string
		}{
			{"empty body", "POST", "/api/v1/tickets", ``, 400, ""},
			{"not json", "POST", "/api/v1/tickets", `subject=hi`, 400, ""},
			{"truncated", "POST", "/api/v1/tickets", `{"subject":"a"`, 400, ""},
			{"array", "POST", "/api/v1/tickets", `[1,2]`, 400, ""},
			{"two objects", "POST", "/api/v1/tickets", `{"subject":"a","body":"b"} {}`, 400, ""},
			{"missing subject", "POST", "/api/v1/tickets", `{"body":"b"}`, 400, "subject"},
			{"wrong type", "POST", "/api/v1/tickets", `{"subject":"a","body":"b","impact":{"outage":"yes"}}`, 400, "impact.outage"},
			{"subject too long", "POST", "/api/v1/tickets", `{"subject":"` + strings.Repeat("x", 201) + `","body":"b"}`, 400, "subject"},
			{"nul", "POST", "/api/v1/tickets", `{"subject":"a\u0000b","body":"b"}`, 400, "subject"},
			{"bad channel", "POST", "/api/v1/tickets", `{"subject":"a","body":"b","channel":"fax"}`, 400, "channel"},
			{"bad requester", "POST", "/api/v1/tickets", `{"subject":"a","body":"b","requester":"not an email"}`, 400, "requester"},
			{"too large", "POST", "/api/v1/tickets", `{"subject":"a","body":"` + strings.Repeat("x", 2<<20) + `"}`, 413, ""},
			{"bad limit", "GET", "/api/v1/tickets?limit=0", ``, 400, "limit"},
			{"bad status filter", "GET", "/api/v1/tickets?status=done", ``, 400, "status"},
			{"assign without assignee", "POST", "/api/v1/tickets/1/assign", `{}`, 400, "assignee"},
			{"assign number", "POST", "/api/v1/tickets/1/assign", `{"assignee":7}`, 400, "assignee"},
			{"bad date", "POST", "/api/v1/tickets/1/wait", `{"reason":"supplier","until":"end of month"}`, 400, ""},
			{"unknown route", "GET", "/api/v1/nope", ``, 404, ""},
			{"wrong method", "DELETE", "/api/v1/queue", ``, 405, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, p, _ := e.do(e.agent, tc.method, tc.path, tc.body)
				if code != tc.status {
					t.Fatalf("status %d, want %d: %v", code, tc.status, p)
				}
				if p["title"] == "" || p["detail"] == "" || jsonNum(p["status"]) != jsonNum(tc.status) {
					t.Fatalf("problem lacks title, detail or status: %v", p)
				}
				if tc.field != "" {
					errs, _ := p["errors"].([]any)
					if len(errs) == 0 || errs[0].(map[string]any)["field"] != tc.field {
						t.Fatalf("errors %v, want field %q", p["errors"], tc.field)
					}
				}
			})
		}
		// Nothing above was written.
		if got := e.must(200, e.agent, "GET", "/api/v1/tickets", ""); len(got["tickets"].([]any)) != 0 {
			t.Fatalf("bad input left tickets: %v", got)
		}
	})
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db)
	doc := e.must(200, "", "GET", "/api/v1/openapi.json", "")
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi version %v", doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	for _, pattern := range api.RouteList(t, db) {
		method, path, _ := strings.Cut(pattern, " ")
		ops, ok := paths[path].(map[string]any)
		if !ok || ops[strings.ToLower(method)] == nil {
			t.Errorf("%s is not in openapi.json", pattern)
		}
	}
}

func TestHoldAssignAndClose(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"New laptop","body":"Mine is dying","impact":{}}`)
		path := "/api/v1/tickets/" + id(tk)
		e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		held := e.must(200, e.agent, "POST", path+"/wait", `{"reason":"The supplier says end of the month","until":"2099-11-30T17:00:00Z"}`)
		if hold, _ := held["hold"].(map[string]any); held["status"] != "waiting" || hold["reason"] != "The supplier says end of the month" || hold["until"] != "2099-11-30T17:00:00Z" {
			t.Fatalf("held %v", held)
		}
		tl := e.must(200, e.pat, "GET", path+"/timeline", "")
		evs := tl["events"].([]any)
		if last := evs[len(evs)-1].(map[string]any); last["type"] != "waiting" || last["data"].(map[string]any)["until"] != "2099-11-30T17:00:00Z" {
			t.Fatalf("requester's last event %v", last)
		}
		e.must(400, e.agent, "POST", path+"/assign", `{"assignee":"pat@example.com"}`)
		// Released, it stays on hold: out of the queue, nobody is handed it.
		released := e.must(200, e.agent, "POST", path+"/assign", `{"assignee":null}`)
		if released["assignee"] != nil || released["queue_position"] != nil || released["status"] != "waiting" || released["hold"] == nil {
			t.Fatalf("released %v", released)
		}
		if q := e.must(200, e.agent, "GET", "/api/v1/queue", ""); len(q["tickets"].([]any)) != 0 {
			t.Fatalf("queue holds a held ticket: %v", q)
		}
		e.must(204, e.agent, "POST", "/api/v1/queue/next", "")
		// The requester's reply brings it back at its arrival place.
		e.must(201, e.pat, "POST", path+"/messages", `{"body":"Any news?"}`)
		back := e.must(200, e.pat, "GET", path, "")
		if back["assignee"] != nil || jsonNum(back["queue_position"]) != "1" || back["status"] != "new" || back["hold"] != nil {
			t.Fatalf("back after reply %v", back)
		}
		given := e.must(200, e.agent, "POST", path+"/assign", `{"assignee":"ann@example.com"}`)
		if given["assignee"].(map[string]any)["email"] != "ann@example.com" || given["queue_position"] != nil {
			t.Fatalf("assigned %v", given)
		}
		e.must(409, e.agent, "POST", path+"/close", "")
		e.must(200, e.agent, "POST", path+"/resolve", `{"resolution":"New laptop delivered"}`)
		e.must(403, e.pat, "POST", path+"/close", "")
		if c := e.must(200, e.agent, "POST", path+"/close", ""); c["status"] != "closed" || c["closed_at"] == nil {
			t.Fatalf("closed %v", c)
		}
		e.must(409, e.pat, "POST", path+"/messages", `{"body":"thanks!"}`)
	})
}
