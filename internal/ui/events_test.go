package ui_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestEventsBehindSession: GET /events streams a signed-in person's
// changes to their session cookie (the API's stream does not take it),
// refuses a visitor without redirecting the EventSource to a page, and says
// "nothing here" when live updates are off.
func TestEventsBehindSession(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		f := newFixture(t, db) // live updates off
		b := live.New(log)
		f.desk.Notifier = b
		srv := httptest.NewServer(server.Handler(f.desk, db, log, server.WithLive(b)))
		t.Cleanup(func() { b.Close(); srv.Close() })
		on := &fixture{srv: srv, desk: f.desk}

		if res, _ := on.do(t, on.client(t), "GET", "/events", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("GET /events signed out: Status=%v, want 401", res.StatusCode)
		}
		c := f.client(t)
		f.signIn(t, c, "pat@example.com")
		if res, _ := f.do(t, c, "GET", "/events", nil, nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("GET /events with live updates off: Status=%v, want 204", res.StatusCode)
		}

		c = on.client(t)
		on.signIn(t, c, "pat@example.com")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/events", nil)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
			t.Fatalf("GET /events signed in: Status=%v Content-Type=%q, want 200 text/event-stream", res.StatusCode, ct)
		}
		lines := bufio.NewScanner(res.Body)
		wantLine := func(want string) {
			t.Helper()
			for lines.Scan() {
				if strings.HasPrefix(lines.Text(), want) {
					return
				}
			}
			t.Fatalf("stream ended without %q: %v", want, lines.Err())
		}
		wantLine(": connected")

		pat, _ := db.FindUserByEmail(context.Background(), "pat@example.com")
		ann, _ := db.FindUserByEmail(context.Background(), "ann@example.com")
		tk, err := f.desk.CreateTicket(rapport.NewContextWithUser(context.Background(), pat), desk.NewTicket{TicketInput: rapport.TicketInput{
			Subject: "Printer", Body: "It jams.", Channel: rapport.ChannelPortal}})
		if err != nil {
			t.Fatal(err)
		}
		wantLine("event: ticket_changed")
		if !lines.Scan() || !strings.Contains(lines.Text(), `"ticket_id":`+strconv.FormatInt(tk.ID, 10)) {
			t.Fatalf("event data=%q, want ticket %d", lines.Text(), tk.ID)
		}
		if _, err := f.desk.ClaimNext(rapport.NewContextWithUser(context.Background(), ann)); err != nil {
			t.Fatal(err)
		}
		wantLine("event: ticket_changed")
		if !lines.Scan() || !strings.Contains(lines.Text(), `"assignee_id":`+strconv.FormatInt(ann.ID, 10)) {
			t.Fatalf("event data=%q, want the claim by %d", lines.Text(), ann.ID)
		}
	})
}
