package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out, io.Discard)
	return out.String(), err
}

// TestEndToEnd boots the binary's own code paths: user add, token create
// (which prints only the token) and serve, then asks for help over HTTP.
func TestEndToEnd(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			t.Setenv("RAPPORT_DB", dsn)
			if _, err := runCmd(t, "user", "add", "--email", "pat@example.com", "--name", "Pat", "--role", "requester"); err != nil {
				t.Fatal(err)
			}
			if _, err := runCmd(t, "user", "add", "--email", "pat@example.com", "--name", "Pat", "--role", "requester"); err == nil || !strings.Contains(describe(err), "already") {
				t.Fatalf("duplicate user add: %v", err)
			}
			tok, err := runCmd(t, "token", "create", "--email", "pat@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`^rpt_[A-Z2-7]+\n$`).MatchString(tok) {
				t.Fatalf("token create printed %q, want only the token", tok)
			}
			base := startServe(t)

			req, _ := http.NewRequest("POST", base+"/api/v1/tickets", strings.NewReader(`{"subject":"Hi","body":"Help","impact":{"blocks_work":true}}`))
			req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 201 {
				t.Fatalf("create ticket over HTTP = %d", res.StatusCode)
			}
		})
	}
}

// startServe runs `rapport serve` with args on a free loopback address
// until the test ends, and returns its base URL once it answers.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve", "--addr", addr}, args...), io.Discard, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + addr
	waitHealthy(t, base)
	return base
}

// freeAddr is a loopback address no one listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server never became healthy")
}

func TestCommandErrors(t *testing.T) {
	t.Setenv("RAPPORT_DB", filepath.Join(t.TempDir(), "r.db"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"user"}, "needs a subcommand"},
		{[]string{"user", "add", "--email", "bad", "--name", "X"}, "--email: That does not look like an email address"},
		{[]string{"user", "add", "--email", "a@example.com", "--name", "X", "--role", "boss"}, "--role: The role must be"},
		{[]string{"token", "create", "--email", "nobody@example.com"}, "There is no account for nobody@example.com"},
		{[]string{"user", "update", "--email", "a@example.com", "--disable", "--enable"}, "not both"},
		{[]string{"serve", "--bogus"}, "flag provided but not defined"},
	} {
		t.Run(fmt.Sprint(tc.args), func(t *testing.T) {
			_, err := runCmd(t, tc.args...)
			if err == nil || !strings.Contains(describe(err), tc.want) {
				t.Fatalf("error %q, want it to mention %q", describe(err), tc.want)
			}
		})
	}
}

func TestUserListAndMigrate(t *testing.T) {
	t.Setenv("RAPPORT_DB", filepath.Join(t.TempDir(), "r.db"))
	runCmd(t, "user", "add", "--email", "ann@example.com", "--name", "Ann", "--role", "agent")
	out, err := runCmd(t, "user", "list")
	if err != nil || !strings.Contains(out, "ann@example.com") || !strings.Contains(out, "agent") {
		t.Fatalf("user list: %q %v", out, err)
	}
	out, err = runCmd(t, "migrate", "status")
	if err != nil || !strings.Contains(out, "00001") || !strings.Contains(out, "applied") {
		t.Fatalf("migrate status: %q %v", out, err)
	}
	if out, err := runCmd(t, "user", "update", "--email", "ann@example.com", "--role", "supervisor", "--disable"); err != nil || !strings.Contains(out, "supervisor, disabled") {
		t.Fatalf("user update: %q %v", out, err)
	}
}

// eachDB runs fn on a new database of each dialect that RAPPORT_DB also
// names, so the commands under test and fn see the same data.
func eachDB(t *testing.T, fn func(t *testing.T, ctx context.Context, db *store.DB)) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, dialect)
			t.Setenv("RAPPORT_DB", dsn)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fn(t, ctx, db)
		})
	}
}
