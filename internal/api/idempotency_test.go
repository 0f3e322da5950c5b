package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/api"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// flakyStore fails reads of a ticket while failReads is set, as a database
// might right after a commit.
type flakyStore struct {
	*store.DB
	failReads *atomic.Bool
}

func (s flakyStore) FindTicketByID(ctx context.Context, id int64) (*rapport.Ticket, error) {
	if s.failReads.Load() {
		return nil, errors.New("connection reset by peer")
	}
	return s.DB.FindTicketByID(ctx, id)
}

// keyedEnv is a server whose desk clock can be moved on and whose ticket
// reads can be made to fail.
type keyedEnv struct {
	url        string
	pat, sam   string
	agent      string
	failReads  atomic.Bool
	clockAhead atomic.Int64
}

func newKeyedEnv(t *testing.T, db *store.DB) *keyedEnv {
	e := &keyedEnv{}
	d := desk.New(flakyStore{db, &e.failReads})
	d.Now = func() time.Time { return time.Now().Add(time.Duration(e.clockAhead.Load())) }
	srv := httptest.NewServer(server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	for _, u := range []struct {
		email string
		role  rapport.Role
		tok   *string
	}{{"pat@example.com", rapport.RoleRequester, &e.pat}, {"sam@example.com", rapport.RoleRequester, &e.sam}, {"ann@example.com", rapport.RoleAgent, &e.agent}} {
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

type answer struct {
	status int
	body   string
	header http.Header
}

// post sends a POST with an Idempotency-Key (none when key is "").
func (e *keyedEnv) post(t *testing.T, token, key, path, body string) answer {
	req, _ := http.NewRequest("POST", e.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return answer{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, string(b), res.Header}
}

func (e *keyedEnv) count(t *testing.T, token string) int {
	req, _ := http.NewRequest("GET", e.url+"/api/v1/tickets", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return strings.Count(string(b), `"subject":`)
}

const ask1 = `{"subject":"Printer","body":"Paper jam","impact":{}}`

func TestIdempotencyKeyReplays(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newKeyedEnv(t, db)
		first := e.post(t, e.pat, "k-1", "/api/v1/tickets", ask1)
		again := e.post(t, e.pat, "k-1", "/api/v1/tickets", ask1)
		if first.status != 201 || again.status != 201 || again.body != first.body || again.header.Get("Location") != first.header.Get("Location") {
			t.Fatalf("retry answered %d %s %q, want %d %s %q", again.status, again.body, again.header.Get("Location"), first.status, first.body, first.header.Get("Location"))
		}
		if again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("Idempotent-Replayed first=%q retry=%q", first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
		}
		if n := e.count(t, e.pat); n != 1 {
			t.Fatalf("%d tickets, want 1", n)
		}

		// The same key with another body is refused, in plain words.
		other := e.post(t, e.pat, "k-1", "/api/v1/tickets", `{"subject":"Other","body":"x","impact":{}}`)
		if other.status != 422 || !strings.Contains(other.body, "already used for a different request") {
			t.Fatalf("same key, other body: %d %s, want 422", other.status, other.body)
		}
		// Keys are per person: Sam's k-1 is his own.
		if sam := e.post(t, e.sam, "k-1", "/api/v1/tickets", ask1); sam.status != 201 || sam.body == first.body {
			t.Fatalf("another person's same key: %d %s", sam.status, sam.body)
		}
		// Without a key every POST writes.
		e.post(t, e.pat, "", "/api/v1/tickets", ask1)
		e.post(t, e.pat, "", "/api/v1/tickets", ask1)
		if n := e.count(t, e.pat); n != 3 {
			t.Fatalf("%d tickets, want 3", n)
		}
		// A request refused for its input wrote nothing, so it is not
		// recorded: the corrected request with the same key goes through.
		if bad := e.post(t, e.pat, "k-2", "/api/v1/tickets", `{"subject":"","body":"x"}`); bad.status != 400 {
			t.Fatalf("invalid ticket: %d %s", bad.status, bad.body)
		}
		if ok := e.post(t, e.pat, "k-2", "/api/v1/tickets", ask1); ok.status != 201 {
			t.Fatalf("corrected retry: %d %s, want 201", ok.status, ok.body)
		}
		// After 24 hours a key is forgotten and may be used again.
		e.clockAhead.Store(int64(25 * time.Hour))
		if late := e.post(t, e.pat, "k-1", "/api/v1/tickets", `{"subject":"Other","body":"x","impact":{}}`); late.status != 201 {
			t.Fatalf("key reused after 25 h: %d %s, want 201", late.status, late.body)
		}
		for _, bad := range []string{"has space", strings.Repeat("k", 256)} {
			if a := e.post(t, e.pat, bad, "/api/v1/tickets", ask1); a.status != 400 || !strings.Contains(a.body, "Idempotency-Key") {
				t.Fatalf("key %q: %d %s, want 400", bad, a.status, a.body)
			}
		}
	})
}

// TestIdempotencyKeyConcurrent: eight requests at once with one key make
// one ticket, and each gets its answer.
func TestIdempotencyKeyConcurrent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newKeyedEnv(t, db)
		const n = 8
		answers := make([]answer, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i] = e.post(t, e.pat, "same", "/api/v1/tickets", ask1)
			}()
		}
		wg.Wait()
		for i, a := range answers {
			if a.status != 201 || a.body != answers[0].body {
				t.Fatalf("request %d: %d %s, want 201 %s", i, a.status, a.body, answers[0].body)
			}
		}
		if got := e.count(t, e.pat); got != 1 {
			t.Fatalf("%d tickets, want 1", got)
		}
	})
}

// TestIdempotencyKeyLostAnswer: when the write committed but the answer
// could not be made, the person is told the change was saved, and a retry
// is told it was carried out, never writing twice.
func TestIdempotencyKeyLostAnswer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newKeyedEnv(t, db)
		created := e.post(t, e.pat, "", "/api/v1/tickets", ask1)
		path := created.header.Get("Location")
		e.failReads.Store(true)
		res := e.post(t, e.agent, "r-2", path+"/resolve", `{"resolution":"Cleared the jam"}`)
		if res.status != 500 || !strings.Contains(res.body, "was saved") || strings.Contains(res.body, "Nothing you sent was lost") {
			t.Fatalf("resolve with a failed re-read: %d %s, want 500 saying the change was saved", res.status, res.body)
		}
		e.failReads.Store(false)
		e.clockAhead.Store(int64(time.Minute)) // past the wait for an answer in flight
		retry := e.post(t, e.agent, "r-2", path+"/resolve", `{"resolution":"Cleared the jam"}`)
		if retry.status != 409 || !strings.Contains(retry.body, "already carried out") {
			t.Fatalf("retry: %d %s, want 409 saying it was carried out", retry.status, retry.body)
		}
		req, _ := http.NewRequest("GET", e.url+path+"/timeline", nil)
		req.Header.Set("Authorization", "Bearer "+e.agent)
		tl, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer tl.Body.Close()
		b, _ := io.ReadAll(tl.Body)
		if got := strings.Count(string(b), `"type":"resolved"`); got != 1 {
			t.Fatalf("%d resolved events, want 1: %s", got, b)
		}
	})
}

func TestOpenAPIDocumentsIdempotencyKey(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db)
	doc := e.must(200, "", "GET", "/api/v1/openapi.json", "")
	paths := doc["paths"].(map[string]any)
	for _, pattern := range api.RouteList(t, db) {
		method, path, _ := strings.Cut(pattern, " ")
		if method != "POST" {
			continue
		}
		op, _ := paths[path].(map[string]any)["post"].(map[string]any)
		params, _ := json.Marshal(op["parameters"])
		if !strings.Contains(string(params), "#/components/parameters/IdempotencyKey") {
			t.Errorf("%s does not document Idempotency-Key", pattern)
		}
	}
}
