package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
)

// runMeasure times the API on a (seeded) database: each read one request
// at a time through the real handler in-process (p50/p99 over -n
// requests), then creates and claims over loopback HTTP at -clients.
func runMeasure(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	dsn := fs.String("db", "", "a seeded database: a SQLite path or a postgres:// URL (required)")
	n := fs.Int("n", 200, "requests per read")
	clients := fs.Int("clients", 16, "concurrent clients for creates and claims")
	duration := fs.Duration("duration", 5*time.Second, "how long creates and claims each run")
	readsRE := fs.String("reads", "", "time only the reads whose names match this regular expression (\"^$\" for none)")
	readTime := fs.Duration("read-time", 2*time.Second, "at most this long per read (at least 20 requests each)")
	writes := fs.Bool("writes", true, "time creates and claims after the reads")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		return fmt.Errorf("measure needs -db")
	}
	only, err := regexp.Compile(*readsRE)
	if err != nil {
		return fmt.Errorf("-reads: %w", err)
	}
	server.TuneGC(func(string) string { return "" })
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	d := desk.New(db)
	h := server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil)))

	agentTok, reqTok, queued, err := measureSetup(ctx, d, db)
	if err != nil {
		return err
	}
	getBody := func(tok, path string) (int, time.Duration, []byte) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		return rec.Code, time.Since(start), rec.Body.Bytes()
	}
	get := func(tok, path string) (int, time.Duration) {
		code, el, _ := getBody(tok, path)
		return code, el
	}
	r := rand.New(rand.NewPCG(1, 2))
	someQueued := func() int64 { return queued[r.IntN(len(queued))] }
	// Deep pages start from the cursor of a queued ticket deep in the queue
	// (the API's cursor format, "q1:rank:id" in base64url).
	deep := func() string {
		return "/api/v1/queue?cursor=" + base64.RawURLEncoding.EncodeToString([]byte("q1:1:"+strconv.FormatInt(someQueued(), 10)))
	}
	// search picks one of the queries (q, with any further parameters).
	search := func(qs ...string) func() string {
		return func() string {
			q, rest, _ := strings.Cut(pick(r, qs), "&")
			if rest != "" {
				rest = "&" + rest
			}
			return "/api/v1/tickets?q=" + url.QueryEscape(q) + rest
		}
	}
	reads := []struct {
		name, tok string
		path      func() string
	}{
		{"GET /queue", agentTok, func() string { return "/api/v1/queue" }},
		{"GET /queue (deep cursor)", agentTok, deep},
		{"GET /tickets (staff)", agentTok, func() string { return "/api/v1/tickets" }},
		{"GET /tickets (requester)", reqTok, func() string { return "/api/v1/tickets" }},
		{"search: one word", agentTok, search("printer", "vpn", "password", "outlook", "screen", "licence", "zebra")},
		{"search: prefix", agentTok, search("pass", "passw", "password*", "print", "licen", "sync")},
		{"search: words", agentTok, search("printer jammed", "vpn laptop", "password reset", "my the", "screen blue windows", "outlook crashes attachments")},
		{"search: phrase", agentTok, search(`"vpn laptop"`, `"printer jammed"`, `"blue screen"`, `"will not turn on"`, `"the my"`, `"reset the password"`)},
		{"search: by requester", reqTok, search("printer", "password", "the", `"will not"`, "vpn laptop")},
		{"search: status new", agentTok, search("printer&status=new", "the&status=new", "password reset&status=waiting", `"blue screen"&status=new`)},
		{"search: sort updated", agentTok, search("printer&sort=updated", "the&sort=updated", "zebra&sort=updated", `"blue screen"&sort=updated`)},
		{"search: sort newest", agentTok, search("printer&sort=newest", "the&sort=newest", "vpn laptop&sort=newest")},
		{"GET /tickets/{id} (queued)", agentTok, func() string { return "/api/v1/tickets/" + strconv.FormatInt(someQueued(), 10) }},
		{"GET /tickets/{id}/timeline", agentTok, func() string { return "/api/v1/tickets/" + strconv.FormatInt(someQueued(), 10) + "/timeline" }},
	}
	fmt.Fprintf(out, "%-32s %10s %10s %10s\n", "operation", "p50", "p99", "max")
	for _, rd := range reads {
		if !only.MatchString(rd.name) {
			continue
		}
		if code, _ := get(rd.tok, rd.path()); code != 200 {
			fmt.Fprintf(out, "%-32s skipped (answers %d)\n", rd.name, code)
			continue
		}
		lat := make([]time.Duration, 0, *n)
		for start := time.Now(); len(lat) < *n && (len(lat) < 20 || time.Since(start) < *readTime); {
			code, el := get(rd.tok, rd.path())
			if code != 200 {
				return fmt.Errorf("%s answered %d", rd.name, code)
			}
			lat = append(lat, el)
		}
		slices.Sort(lat)
		fmt.Fprintf(out, "%-32s %10v %10v %10v\n", rd.name, pct(lat, 50), pct(lat, 99), pct(lat, 100))
	}
	if err := measureCombos(ctx, db, getBody, agentTok, only, *n, *readTime, out); err != nil {
		return err
	}
	if !*writes {
		return nil
	}

	srv := httptest.NewServer(h)
	defer srv.Close()
	const body = `{"subject":"Printer jam","body":"The printer on floor 2 jams on every page.","impact":{"outage":false,"costs_money":false,"blocks_work":false}}`
	for _, w := range []struct{ name, tok, path, body string }{
		{"POST /tickets (create)", reqTok, "/api/v1/tickets", body},
		{"POST /queue/next (claim)", agentTok, "/api/v1/queue/next", ""},
	} {
		start := time.Now()
		ok, lat := hammer(srv.URL+w.path, w.tok, w.body, *clients, *duration)
		el := time.Since(start) // shorter than -duration when the queue ran dry
		slices.Sort(lat)
		fmt.Fprintf(out, "%-32s %8.0f/s at %d clients, p50 %v p99 %v\n", w.name, float64(ok)/el.Seconds(), *clients, pct(lat, 50), pct(lat, 99))
	}
	return nil
}

// measureSetup finds (or, on an empty database, makes) an agent and a
// requester with tokens, and a sample of queued tickets.
func measureSetup(ctx context.Context, d *desk.Desk, db *store.DB) (agentTok, reqTok string, queued []int64, err error) {
	agents, _, err := db.FindUsers(ctx, rapport.UserFilter{Role: rapport.RoleAgent, Limit: 1})
	if err != nil {
		return "", "", nil, err
	}
	if len(agents) == 0 {
		if _, err := d.AddUser(ctx, "agent@example.com", "Measure Agent", rapport.RoleAgent); err != nil {
			return "", "", nil, err
		}
		if _, err := d.AddUser(ctx, "person@example.com", "Measure Person", rapport.RoleRequester); err != nil {
			return "", "", nil, err
		}
	}
	// The requester of the first queued ticket, or the one just made.
	agents, _, _ = db.FindUsers(ctx, rapport.UserFilter{Role: rapport.RoleAgent, Limit: 1})
	reqEmail := "person@example.com"
	page, err := db.FindQueue(ctx, rapport.QueueCursor{}, 1)
	if err != nil {
		return "", "", nil, err
	}
	if len(page) > 0 {
		reqEmail = page[0].Requester.Email
	}
	if agentTok, err = d.CreateToken(ctx, agents[0].Email, "measure"); err != nil {
		return "", "", nil, err
	}
	if reqTok, err = d.CreateToken(ctx, reqEmail, "measure"); err != nil {
		return "", "", nil, err
	}
	// A spread of queued tickets: every 97th of the queue's first pages
	// and random ones found by id across the whole range.
	r := rand.New(rand.NewPCG(3, 4))
	var maxID int64
	if top, _, _ := db.FindTickets(ctx, rapport.TicketFilter{Limit: 1}); len(top) > 0 {
		maxID = top[0].ID
	}
	for tries := 0; len(queued) < 200 && tries < 5000 && maxID > 0; tries++ {
		t, err := db.FindTicketByID(ctx, 1+r.Int64N(maxID))
		if err == nil && t.Queued() && t.Priority == rapport.PriorityNormal {
			queued = append(queued, t.ID)
		}
	}
	if len(queued) == 0 {
		tk, err := d.CreateTicket(rapport.NewContextWithUser(ctx, mustUser(ctx, db, reqEmail)), desk.NewTicket{
			TicketInput: rapport.TicketInput{Subject: "Printer jam", Body: "The printer on floor 2 jams."}})
		if err != nil {
			return "", "", nil, err
		}
		queued = append(queued, tk.ID)
	}
	return agentTok, reqTok, queued, nil
}

func mustUser(ctx context.Context, db *store.DB, email string) *rapport.User {
	u, _ := db.FindUserByEmail(ctx, email)
	return u
}

// hammer has each client POST to url back to back until the time is up,
// and returns the successes (2xx with a body; an empty queue's 204 ends
// that client) and their latencies.
func hammer(url, token, body string, clients int, d time.Duration) (int, []time.Duration) {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	var mu sync.Mutex
	var all []time.Duration
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("POST", url, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				start := time.Now()
				res, err := client.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusNoContent {
					break
				}
				if res.StatusCode < 300 {
					lat = append(lat, time.Since(start))
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return len(all), all
}
