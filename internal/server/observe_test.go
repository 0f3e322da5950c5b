package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
	"github.com/rapportdesk/rapport/internal/web"
)

// logBuffer collects JSON log lines; the server writes from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the log lines whose "msg" is msg.
func (b *logBuffer) lines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

type fixture struct {
	url   string
	db    *store.DB
	logs  *logBuffer
	token string // a requester's
	agent string
}

func newFixture(t *testing.T, db *store.DB, opts ...server.Option) *fixture {
	t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	d := desk.New(db)
	srv := httptest.NewServer(server.Handler(d, db, log, opts...))
	t.Cleanup(srv.Close)
	f := &fixture{url: srv.URL, db: db, logs: logs}
	ctx := context.Background()
	for _, u := range []struct {
		email string
		role  rapport.Role
		tok   *string
	}{{"pat@example.com", rapport.RoleRequester, &f.token}, {"ann@example.com", rapport.RoleAgent, &f.agent}} {
		if _, err := d.AddUser(ctx, u.email, "Person", u.role); err != nil {
			t.Fatal(err)
		}
		tok, err := d.CreateToken(ctx, u.email, "")
		if err != nil {
			t.Fatal(err)
		}
		*u.tok = tok
	}
	return f
}

func (f *fixture) do(t *testing.T, method, path, token, requestID, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.url+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if requestID != "" {
		req.Header.Set("X-Request-Id", requestID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestRequestIDAndAccessLog: every answer carries a request id (the
// client's when sane), every problem names it, and one access-log line
// per request tells what happened and to whom.
func TestRequestIDAndAccessLog(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	for _, tc := range []struct {
		name, method, path, token, sentID string
		wantStatus                        int
		wantRoute                         string
		keepsID, user                     bool
	}{
		{"sane id kept", "GET", "/api/v1/me", "tok", "req-42.a:b_C", 200, "GET /api/v1/me", true, true},
		{"no id", "GET", "/api/v1/me", "tok", "", 200, "GET /api/v1/me", false, true},
		{"id with spaces replaced", "GET", "/api/v1/me", "tok", "evil id\tinjected", 200, "GET /api/v1/me", false, true},
		{"overlong id replaced", "GET", "/api/v1/me", "tok", strings.Repeat("a", 129), 200, "GET /api/v1/me", false, true},
		{"problem from auth", "GET", "/api/v1/tickets", "", "abc", 401, "GET /api/v1/tickets", true, false},
		{"problem from a handler", "GET", "/api/v1/tickets/999", "tok", "", 404, "GET /api/v1/tickets/{id}", false, true},
		{"not routed", "GET", "/api/nowhere", "", "", 404, "unmatched", false, false},
		{"wrong method", "DELETE", "/api/v1/queue", "", "", 405, "unmatched", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := ""
			if tc.token != "" {
				tok = f.token
			}
			res, body := f.do(t, tc.method, tc.path, tok, tc.sentID, "")
			id := res.Header.Get("X-Request-Id")
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("Status=%v, want %v", res.StatusCode, tc.wantStatus)
			}
			if tc.keepsID && id != tc.sentID || !tc.keepsID && (id == "" || id == tc.sentID) {
				t.Fatalf("X-Request-Id=%q (sent %q), keep=%v", id, tc.sentID, tc.keepsID)
			}
			if res.StatusCode >= 400 {
				var p web.Problem
				if err := json.Unmarshal([]byte(body), &p); err != nil || p.RequestID != id || p.Instance != tc.path {
					t.Fatalf("problem %s: request_id=%q instance=%q, want %q and %q", body, p.RequestID, p.Instance, id, tc.path)
				}
			}
			var line map[string]any
			for _, l := range f.logs.lines(t, "request") {
				if l["request_id"] == id {
					line = l
				}
			}
			if line == nil {
				t.Fatalf("no access-log line with request_id %q", id)
			}
			for k, want := range map[string]any{"method": tc.method, "route": tc.wantRoute, "path": tc.path, "status": float64(tc.wantStatus)} {
				if line[k] != want {
					t.Fatalf("log %s=%v, want %v (line %v)", k, line[k], want, line)
				}
			}
			if _, ok := line["user_id"]; ok != tc.user {
				t.Fatalf("log user_id present=%v, want %v", ok, tc.user)
			}
			for _, k := range []string{"duration_ms", "bytes", "remote"} {
				if _, ok := line[k]; !ok {
					t.Fatalf("log line lacks %s: %v", k, line)
				}
			}
			if n := line["bytes"].(float64); n != float64(len(body)) {
				t.Fatalf("log bytes=%v, want %v", n, len(body))
			}
		})
	}
}

// TestInternalErrorLoggedWithRequestID: a person quoting the id from an
// "internal error" answer leads to the error in the log.
func TestInternalErrorLoggedWithRequestID(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) { internalErrorLogged(t, dialect) })
	}
}

func internalErrorLogged(t *testing.T, dialect string) {
	db, err := store.Open(context.Background(), testdb.DSN(t, dialect)) // closed below, not by testdb
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, db)
	f.do(t, "GET", "/api/v1/me", f.token, "", "") // signs in while the database answers
	db.Close()
	res, body := f.do(t, "GET", "/api/v1/tickets/1", f.token, "", "")
	id := res.Header.Get("X-Request-Id")
	if res.StatusCode != 500 || !strings.Contains(body, `"request_id":"`+id+`"`) {
		t.Fatalf("Status=%v body=%s, want 500 naming request %q", res.StatusCode, body, id)
	}
	found := false
	for _, l := range f.logs.lines(t, "request failed") {
		found = found || l["request_id"] == id && l["err"] != nil
	}
	if !found {
		t.Fatalf("no \"request failed\" log line with request_id %q and the error", id)
	}
}

var discardLog = slog.New(slog.NewTextHandler(io.Discard, nil))
