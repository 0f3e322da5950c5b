package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestPresenceRoutes: staff heartbeats through the session's UI route;
// each answer is the notice of who else is there, which the ticket page
// also shows as it opens. Leaving clears it; requesters have no presence.
func TestPresenceRoutes(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	d := desk.New(db)
	for _, u := range [][3]string{{"pat@example.com", "Pat Lee", "requester"}, {"ann@example.com", "Ann Ortiz", "agent"}, {"bo@example.com", "Bo Li", "supervisor"}} {
		if _, err := d.AddUserWithPassword(context.Background(), u[0], u[1], rapport.Role(u[2]), password); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := live.New(log)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Run(ctx); close(done) }()
	srv := httptest.NewServer(server.Handler(d, db, log, server.WithLive(b)))
	t.Cleanup(func() { b.Close(); srv.Close(); stop(); <-done })
	f := &fixture{srv: srv, desk: d}
	tk := f.ask(t, "Printer jammed", "Floor 2")
	path := fmt.Sprintf("/tickets/%d/presence", tk.ID)
	ann, bo, pat := f.client(t), f.client(t), f.client(t)
	f.signIn(t, ann, "ann@example.com")
	f.signIn(t, bo, "bo@example.com")
	f.signIn(t, pat, "pat@example.com")

	notice := func(c *http.Client, method, state string) string {
		t.Helper()
		var form url.Values
		if method == "POST" {
			form = url.Values{"state": {state}}
		}
		res, body := f.do(t, c, method, path, form, nil)
		var out struct{ Notice string }
		if res.StatusCode != 200 || json.Unmarshal([]byte(body), &out) != nil {
			t.Fatalf("%s %s state=%q: %v %s", method, path, state, res.StatusCode, body)
		}
		return out.Notice
	}
	if got := notice(ann, "POST", "viewing"); got != "" {
		t.Fatalf("alone on the ticket, notice=%q, want none", got)
	}
	if got := notice(bo, "POST", "replying"); got != "Ann Ortiz is also looking at this ticket." {
		t.Fatalf("Bo's notice=%q", got)
	}
	if got := notice(ann, "GET", ""); got != "Bo Li is replying." {
		t.Fatalf("Ann's notice=%q", got)
	}
	if _, body := f.do(t, ann, "GET", fmt.Sprintf("/tickets/%d", tk.ID), nil, nil); !strings.Contains(body, `role="status" data-presence="`+path+`"`) || !strings.Contains(body, ">Bo Li is replying.</p>") {
		t.Fatalf("the staff page does not open with the notice:\n%s", body)
	}
	if got := notice(bo, "POST", "gone"); got != "Ann Ortiz is also looking at this ticket." {
		t.Fatalf("Bo's notice as he leaves=%q", got)
	}
	if got := notice(ann, "GET", ""); got != "" {
		t.Fatalf("after Bo left, Ann's notice=%q, want none", got)
	}
	for _, tc := range []struct {
		c     *http.Client
		state string
		code  int
	}{
		{pat, "viewing", http.StatusForbidden},
		{ann, "dancing", http.StatusBadRequest},
	} {
		if res, _ := f.do(t, tc.c, "POST", path, url.Values{"state": {tc.state}}, nil); res.StatusCode != tc.code {
			t.Fatalf("presence state=%q: Status=%v, want %v", tc.state, res.StatusCode, tc.code)
		}
	}
	if _, body := f.do(t, pat, "GET", fmt.Sprintf("/tickets/%d", tk.ID), nil, nil); strings.Contains(body, "data-presence") {
		t.Fatalf("the requester's page carries the collision notice")
	}
	// Without live updates the routes say so, and pages open without it.
	f2 := newFixture(t, testdb.Open(t, "sqlite"))
	c := f2.client(t)
	f2.signIn(t, c, "ann@example.com")
	if res, _ := f2.do(t, c, "POST", "/tickets/1/presence", url.Values{"state": {"viewing"}}, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("presence with live updates off: Status=%v, want 404", res.StatusCode)
	}
}
