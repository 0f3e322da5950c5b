package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// sse is one server-sent event as a browser sees it.
type sse struct {
	ID, Event string
	Data      map[string]any
}

// stream opens GET /api/v1/events as token (resuming after lastID when
// set) and returns its events; it is open (subscribed) on return.
func (e *env) stream(token, lastID string) <-chan sse {
	events, _ := e.streamClose(token, lastID)
	return events
}

// streamClose is stream, with a func that disconnects.
func (e *env) streamClose(token, lastID string) (<-chan sse, func()) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", e.url+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		e.t.Fatalf("GET /api/v1/events = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(res.Body)
	if !sc.Scan() || sc.Text() != "retry: 2000" || !sc.Scan() || sc.Text() != ": connected" {
		e.t.Fatalf("stream starts with %q", sc.Text())
	}
	out := make(chan sse, 100)
	go func() {
		defer close(out)
		defer res.Body.Close()
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "id":
				ev.ID = v
			case "event":
				ev.Event = v
			case "data":
				json.Unmarshal([]byte(v), &ev.Data)
			case "":
				if ev.Event != "" {
					out <- ev
				}
				ev = sse{}
			}
		}
	}()
	return out, cancel
}

// event waits (boundedly) for the next event.
func (e *env) event(events <-chan sse) sse {
	e.t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			e.t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		e.t.Fatal("no event in 10 s")
	}
	return sse{}
}

// until returns the events up to and including the first that ok accepts.
func (e *env) until(events <-chan sse, ok func(sse) bool) []sse {
	e.t.Helper()
	var seen []sse
	for {
		ev := e.event(events)
		seen = append(seen, ev)
		if ok(ev) {
			return seen
		}
	}
}

func isTicket(id string) func(sse) bool {
	return func(ev sse) bool { return ev.Event == "ticket_changed" && jsonNum(ev.Data["ticket_id"]) == id }
}

// TestEventsVisibility: a requester hears about their own tickets (and
// that the queue moved, without whose ticket), never about another
// requester's; staff hear everything.
func TestEventsVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		pat, sam, agent := e.stream(e.pat, ""), e.stream(e.sam, ""), e.stream(e.agent, "")
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"Jammed","impact":{}}`)
		if ev := e.event(agent); !isTicket(id(tk))(ev) || jsonNum(ev.Data["requester_id"]) == "" || ev.ID == "" {
			t.Fatalf("agent got %+v", ev)
		}
		if ev := e.event(agent); ev.Event != "queue_changed" || jsonNum(ev.Data["ticket_id"]) != id(tk) {
			t.Fatalf("agent got %+v", ev)
		}
		if ev := e.event(pat); !isTicket(id(tk))(ev) {
			t.Fatalf("pat got %+v", ev)
		}
		if ev := e.event(pat); ev.Event != "queue_changed" || ev.Data["ticket_id"] != nil || ev.Data["requester_id"] != nil {
			t.Fatalf("pat got %+v", ev)
		}
		// Sam's own ticket comes after Pat's: nothing of Pat's before it.
		mine := e.must(201, e.sam, "POST", "/api/v1/tickets", `{"subject":"Mouse","body":"Gone","impact":{}}`)
		for _, ev := range e.until(sam, isTicket(id(mine))) {
			if ev.Data["ticket_id"] != nil && jsonNum(ev.Data["ticket_id"]) != id(mine) {
				t.Fatalf("sam heard of ticket %v", ev.Data["ticket_id"])
			}
		}
		// A change through the API reaches the requester and staff.
		e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		e.until(pat, isTicket(id(tk)))
		e.until(agent, isTicket(id(tk)))
		e.must(201, e.agent, "POST", "/api/v1/tickets/"+id(tk)+"/messages", `{"body":"Internal thought","internal":true}`)
		if ev := e.until(pat, isTicket(id(tk))); len(ev) != 1 {
			t.Fatalf("pat got %+v", ev)
		}
	})
}

// TestEventsResume: a browser reconnecting with Last-Event-ID gets what it
// missed; one this node cannot place gets a resync.
func TestEventsResume(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	first, cancel := e.streamClose(e.pat, "")
	tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"Jammed","impact":{}}`)
	seen := e.event(first)
	cancel()
	e.must(200, e.agent, "POST", "/api/v1/queue/next", "") // while pat is away
	again := e.stream(e.pat, seen.ID)
	got := e.until(again, func(ev sse) bool { return ev.Event == "ticket_changed" })
	if last := got[len(got)-1]; !isTicket(id(tk))(last) || last.ID == seen.ID {
		t.Fatalf("resumed with %+v after %s", got, seen.ID)
	}
	if ev := e.event(e.stream(e.pat, "elsewhere-12")); ev.Event != "resync" {
		t.Fatalf("unknown id: %+v, want resync", ev)
	}
}

func TestEventsNeedSignIn(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	e.must(401, "", "GET", "/api/v1/events", "")
	e.must(401, "nonsense", "GET", "/api/v1/events", "")
}

// TestPresence: staff on a ticket see each other, live; requesters cannot
// use presence at all.
func TestPresence(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"Jammed","impact":{}}`)
	other := e.must(201, e.sam, "POST", "/api/v1/tickets", `{"subject":"Mouse","body":"Gone","impact":{}}`)
	path := "/api/v1/tickets/" + id(tk) + "/presence"
	root := e.stream(e.admin, "")
	if got := e.must(200, e.agent, "POST", path, `{"state":"viewing"}`); len(got["viewers"].([]any)) != 0 {
		t.Fatalf("agent sees %v", got)
	}
	e.until(root, func(ev sse) bool { return ev.Event == "presence" && jsonNum(ev.Data["ticket_id"]) == id(tk) })
	got := e.must(200, e.admin, "GET", path, "")
	vs := got["viewers"].([]any)
	if len(vs) != 1 {
		t.Fatalf("admin sees %v", got)
	}
	v := vs[0].(map[string]any)
	if v["state"] != "viewing" || v["user"].(map[string]any)["name"] != "Person" || v["since"] == nil {
		t.Fatalf("admin sees %v", v)
	}
	for _, tc := range []struct {
		token, method, path, body string
		want                      int
	}{
		{e.agent, "POST", path, `{"state":"dozing"}`, 400},
		{e.agent, "POST", path, `{"stat":"viewing"}`, 400},
		{e.pat, "POST", path, `{"state":"viewing"}`, 403},
		{e.pat, "GET", path, "", 403},
		{e.pat, "GET", "/api/v1/tickets/" + id(other) + "/presence", "", 404},
		{e.agent, "GET", "/api/v1/tickets/999999/presence", "", 404},
		{"", "GET", path, "", 401},
	} {
		if got, out, _ := e.do(tc.token, tc.method, tc.path, tc.body); got != tc.want {
			t.Errorf("%s %s %s = %d, want %d: %v", tc.method, tc.path, tc.body, got, tc.want, out)
		}
	}
	e.must(204, e.agent, "DELETE", path, "")
	if got := e.must(200, e.admin, "GET", path, ""); len(got["viewers"].([]any)) != 0 {
		t.Fatalf("after leaving admin sees %v", got)
	}
}

// TestAcrossNodesAPI: two servers on one PostgreSQL database; a ticket
// change and a presence heartbeat on one reach a stream on the other.
func TestAcrossNodesAPI(t *testing.T) {
	dsn := testdb.DSN(t, "postgres")
	nodes := make([]*env, 2)
	for i := range nodes {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		b, err := live.NewPostgres(dsn, quietLog)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go b.Run(ctx)
		<-b.Listening()
		nodes[i] = newEnvLive(t, db, b, nodes[0])
	}
	a, b := nodes[0], nodes[1]
	watch := b.stream(b.admin, "")
	tk := a.must(201, a.pat, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"Jammed","impact":{}}`)
	b.until(watch, isTicket(id(tk)))
	path := "/api/v1/tickets/" + id(tk) + "/presence"
	a.must(200, a.agent, "POST", path, `{"state":"replying"}`)
	b.until(watch, func(ev sse) bool { return ev.Event == "presence" })
	got := b.must(200, b.admin, "GET", path, "")
	if vs := got["viewers"].([]any); len(vs) != 1 || vs[0].(map[string]any)["state"] != "replying" {
		t.Fatalf("node B sees %v", got)
	}
}

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))
