package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestExpectedWaitJSON: expected_wait is the reason with null minutes
// without history, the range in minutes with its words with history, and
// null once the ticket is claimed; requesters and staff see it.
func TestExpectedWaitJSON(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		// The clock is read by handlers on other goroutines.
		var clock atomic.Int64
		clock.Store(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).UnixMicro())
		advance := func(d time.Duration) { clock.Add(d.Microseconds()) }
		d := desk.New(db)
		d.Now = func() time.Time { return time.UnixMicro(clock.Load()) }
		e := envOn(t, d, db)
		const normal = `{"subject":"Printer","body":"Paper jam","impact":{"outage":false,"costs_money":false,"blocks_work":false}}`
		wait := func(m map[string]any) string { b, _ := json.Marshal(m["expected_wait"]); return string(b) }

		first := e.must(201, e.pat, "POST", "/api/v1/tickets", normal)
		want := `{"high_minutes":null,"low_minutes":null,"text":"We don't have enough recent history to estimate the wait yet."}`
		if got := wait(first); got != want {
			t.Fatalf("no history: expected_wait=%s, want %s", got, want)
		}
		// Twelve pickups, each 20 minutes after the ticket arrived.
		for i := range 12 {
			if i > 0 {
				e.must(201, e.pat, "POST", "/api/v1/tickets", normal)
			}
			advance(20 * time.Minute)
			e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		}
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", normal)
		e.must(201, e.pat, "POST", "/api/v1/tickets", normal)
		advance(31 * time.Second) // past the history read for the creates
		path := "/api/v1/tickets/" + id(tk)
		want = `{"high_minutes":30,"low_minutes":20,"text":"about 20-30 minutes"}`
		for _, tok := range []string{e.pat, e.agent} {
			if got := wait(e.must(200, tok, "GET", path, "")); got != want {
				t.Fatalf("with history: expected_wait=%s, want %s", got, want)
			}
		}
		queue := e.must(200, e.agent, "GET", "/api/v1/queue", "")["tickets"].([]any)
		if got := wait(queue[1].(map[string]any)); got != `{"high_minutes":50,"low_minutes":40,"text":"about 40-50 minutes"}` {
			t.Fatalf("second in the queue: expected_wait=%s", got)
		}
		if claimed := e.must(200, e.agent, "POST", "/api/v1/queue/next", ""); wait(claimed) != "null" {
			t.Fatalf("claimed: expected_wait=%s, want null", wait(claimed))
		}
		if got := wait(e.must(200, e.pat, "GET", path, "")); got != "null" {
			t.Fatalf("claimed, read back: expected_wait=%s, want null", got)
		}
	})
}

// envOn is newEnv on a desk made by the caller.
func envOn(t *testing.T, d *desk.Desk, db *store.DB) *env {
	srv := httptest.NewServer(server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL}
	for _, u := range []struct {
		email string
		role  rapport.Role
		tok   *string
	}{{"pat@example.com", rapport.RoleRequester, &e.pat}, {"ann@example.com", rapport.RoleAgent, &e.agent}} {
		if _, err := d.AddUser(context.Background(), u.email, "Person", u.role); err != nil {
			t.Fatal(err)
		}
		tok, err := d.CreateToken(context.Background(), u.email, "")
		if err != nil {
			t.Fatal(err)
		}
		*u.tok = tok
	}
	return e
}
