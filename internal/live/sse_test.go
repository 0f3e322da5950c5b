package live_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/live"
)

// open serves b's stream to u on a server with the given timeouts and
// returns its lines.
func open(t *testing.T, b *live.Broker, u *rapport.User, timeout time.Duration) <-chan string {
	t.Helper()
	srv := httptest.NewUnstartedServer(live.Handler(b, func(*http.Request) (*rapport.User, error) { return u, nil }, quiet))
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = timeout, timeout
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(b.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	sc := bufio.NewScanner(res.Body)
	if !sc.Scan() || !sc.Scan() || sc.Text() != ": connected" {
		t.Fatalf("stream starts with %q", sc.Text())
	}
	go func() {
		defer close(lines)
		defer res.Body.Close()
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// line waits (boundedly) for the next line starting with prefix; ok is
// false when the stream ended.
func line(t *testing.T, lines <-chan string, prefix string) (string, bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return "", false
			}
			if strings.HasPrefix(l, prefix) {
				return l, true
			}
		case <-deadline:
			t.Fatalf("no %q line in 10 s", prefix)
		}
	}
}

// TestStreamOutlivesServerTimeouts: a stream lasts past the server's read
// and write timeouts, which would otherwise cut it (the write timeout) or
// cancel its request (the read timeout).
func TestStreamOutlivesServerTimeouts(t *testing.T) {
	b := live.New(quiet)
	b.Heartbeat = 50 * time.Millisecond
	lines := open(t, b, agent, 200*time.Millisecond)
	time.Sleep(time.Second) // five times the timeouts
	b.Publish(context.Background(), live.Change{Kind: live.KindTicket, TicketID: 9})
	if _, ok := line(t, lines, "event: ticket_changed"); !ok {
		t.Fatal("the stream ended")
	}
	if l, _ := line(t, lines, "data: "); !strings.Contains(l, `"ticket_id":9`) {
		t.Fatalf("data %q", l)
	}
	if _, ok := line(t, lines, ": keep-alive"); !ok {
		t.Fatal("no heartbeat")
	}
}

// TestStreamEndsAfterMaxStream: a stream ends by itself, so that a browser
// reconnects and signs in again.
func TestStreamEndsAfterMaxStream(t *testing.T) {
	b := live.New(quiet)
	b.MaxStream = 100 * time.Millisecond
	lines := open(t, b, agent, time.Minute)
	if l, ok := line(t, lines, "never"); ok {
		t.Fatalf("unexpected %q", l)
	}
}

// TestRequesterQueueNoticesSpaced: a burst of queue changes reaches a
// requester as one notice now and one, the newest, later.
func TestRequesterQueueNoticesSpaced(t *testing.T) {
	defer live.SetQueueEvery(300 * time.Millisecond)()
	b := live.New(quiet)
	lines := open(t, b, pat, time.Minute)
	ctx := context.Background()
	for i := range 5 {
		b.Publish(ctx, live.Change{Kind: live.KindQueue, TicketID: int64(i + 1)})
	}
	b.TicketChanged(ctx, ticket(77, pat), false)
	var got []string
	for len(got) < 3 {
		l, ok := line(t, lines, "event: ")
		if !ok {
			t.Fatal("the stream ended")
		}
		got = append(got, strings.TrimPrefix(l, "event: "))
	}
	want := []string{"queue_changed", "ticket_changed", "queue_changed"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("events %v, want %v", got, want)
	}
	b.Close()
	if l, ok := line(t, lines, "event: "); ok {
		t.Fatalf("more than two queue notices: %q", l)
	}
}
