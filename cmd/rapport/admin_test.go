package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestCLIChangesHoldAtOnce: account changes made with the CLI (its own
// store on the database) hold from the next request to a running server.
func TestCLIChangesHoldAtOnce(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			t.Setenv("RAPPORT_DB", dsn)
			tokens := map[string]string{}
			for _, u := range [][2]string{{"root", "admin"}, {"ann", "agent"}, {"pat", "requester"}, {"sam", "requester"}} {
				if _, err := runCmd(t, "user", "add", "--email", u[0]+"@example.com", "--name", u[0], "--role", u[1]); err != nil {
					t.Fatal(err)
				}
				tok, err := runCmd(t, "token", "create", "--email", u[0]+"@example.com", "--label", "laptop")
				if err != nil {
					t.Fatal(err)
				}
				tokens[u[0]] = strings.TrimSpace(tok)
			}
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			srv := httptest.NewServer(server.Handler(desk.New(db), db, slog.New(slog.NewTextHandler(io.Discard, nil))))
			t.Cleanup(srv.Close)
			get := func(t *testing.T, who, path string) int {
				t.Helper()
				req, _ := http.NewRequest("GET", srv.URL+path, nil)
				req.Header.Set("Authorization", "Bearer "+tokens[who])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}

			out, err := runCmd(t, "token", "list", "--email", "pat@example.com")
			if err != nil || !strings.Contains(out, "laptop") || strings.Contains(out, tokens["pat"]) {
				t.Fatalf("token list printed %q (%v), want the label and never the secret", out, err)
			}
			for _, tc := range []struct {
				name         string
				args         []string
				who, path    string
				before, want int
			}{
				{"token revoke", []string{"token", "revoke", "--email", "pat@example.com"}, "pat", "/api/v1/me", 200, 401},
				{"demote", []string{"user", "update", "--email", "ann@example.com", "--role", "requester"}, "ann", "/api/v1/queue", 200, 403},
				{"disable", []string{"user", "update", "--email", "sam@example.com", "--disable"}, "sam", "/api/v1/me", 200, 401},
				{"enable revives no token", []string{"user", "update", "--email", "sam@example.com", "--enable"}, "sam", "/api/v1/me", 401, 401},
			} {
				t.Run(tc.name, func(t *testing.T) {
					if got := get(t, tc.who, tc.path); got != tc.before {
						t.Fatalf("before: status=%d, want %d", got, tc.before)
					}
					if _, err := runCmd(t, tc.args...); err != nil {
						t.Fatal(err)
					}
					if got := get(t, tc.who, tc.path); got != tc.want {
						t.Fatalf("next request: status=%d, want %d", got, tc.want)
					}
				})
			}
			if _, err := runCmd(t, "user", "update", "--email", "root@example.com", "--disable"); err == nil || !strings.Contains(describe(err), "last enabled administrator") {
				t.Fatalf("disabling the last admin: %v, want a refusal naming it", err)
			}
		})
	}
}
