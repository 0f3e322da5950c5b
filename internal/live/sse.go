package live

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// Stream timings (see the Broker fields that override them).
const (
	DefaultHeartbeat = 20 * time.Second
	DefaultMaxStream = 15 * time.Minute
	// retryMillis is the reconnect delay a browser is told to use.
	retryMillis = 2000
	// writeWait bounds one write to a client; a client that takes longer
	// is gone or stuck, and its stream ends.
	writeWait = 15 * time.Second
)

// queueEvery spaces the queue notices a requester gets: each one makes
// every waiting requester's page fetch its ticket again. Tests shorten it.
var queueEvery = 5 * time.Second

// eventJSON is the data of one server-sent event.
type eventJSON struct {
	TicketID    int64     `json:"ticket_id,omitempty"`
	RequesterID int64     `json:"requester_id,omitempty"`
	AssigneeID  int64     `json:"assignee_id,omitempty"`
	UserID      int64     `json:"user_id,omitempty"` // whom an alert is for
	At          time.Time `json:"at"`
}

// Handler serves the event stream to the user who returns; a who that
// fails answers with its error as a problem document.
func Handler(b *Broker, who func(*http.Request) (*rapport.User, error), log *slog.Logger) http.Handler {
	return web.Handle(log, func(w http.ResponseWriter, r *http.Request) error {
		u, err := who(r)
		if err != nil {
			return err
		}
		return b.ServeEvents(w, r, u)
	})
}

// ServeEvents streams the changes viewer may see as server-sent events
// (text/event-stream): one event per change, named by its Kind, with
// eventJSON data and an id to resume from with Last-Event-ID. It returns
// when the client goes, when the broker closes (server shutdown) or after
// MaxStream, when the browser reconnects by itself; errors come only
// before the stream starts.
func (b *Broker) ServeEvents(w http.ResponseWriter, r *http.Request, viewer *rapport.User) error {
	if viewer == nil {
		return rapport.Errorf(rapport.EUNAUTHORIZED, "Please sign in first.")
	}
	rc := http.NewResponseController(w)
	// The server's read and write timeouts are for ordinary requests; a
	// stream lives longer. Nothing more is read, and each write below gets
	// a deadline of its own.
	if err := rc.SetReadDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("last_event_id")
	}
	sub := b.Subscribe(FilterFor(viewer), last)
	defer sub.Close()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	s := &stream{w: w, rc: rc, b: b}
	if !s.write("retry: " + strconv.Itoa(retryMillis) + "\n: connected\n\n") {
		return nil
	}
	heartbeat := time.NewTicker(orDefault(b.Heartbeat, DefaultHeartbeat))
	defer heartbeat.Stop()
	end := time.NewTimer(orDefault(b.MaxStream, DefaultMaxStream))
	defer end.Stop()
	// A requester's queue notices are spaced by queueEvery; the newest
	// one waits in held until due fires.
	var held *Change
	var due <-chan time.Time
	var lastQueue time.Time
	for {
		var out []Change
		select {
		case <-r.Context().Done():
			return nil
		case <-sub.Done():
			return nil
		case <-end.C:
			return nil
		case <-heartbeat.C:
			if !s.write(": keep-alive\n\n") {
				return nil
			}
			continue
		case <-due:
			lastQueue, due = time.Now(), nil
			c := *held
			held = nil
			if !s.write(string(appendEvent(nil, b.EventID(c), c))) {
				return nil
			}
			continue
		case <-sub.Ready():
			out = sub.Take()
		}
		var buf []byte
		for _, c := range out {
			if c.Kind == KindQueue && !viewer.IsStaff() {
				if held != nil || time.Since(lastQueue) < queueEvery {
					if held == nil {
						due = time.After(queueEvery - time.Since(lastQueue))
					}
					held = &c
					continue
				}
				lastQueue = time.Now()
			}
			buf = appendEvent(buf, b.EventID(c), c)
		}
		if len(buf) > 0 && !s.write(string(buf)) {
			return nil
		}
	}
}

// appendEvent appends c in the text/event-stream format.
func appendEvent(buf []byte, id string, c Change) []byte {
	data, _ := json.Marshal(eventJSON{TicketID: c.TicketID, RequesterID: c.RequesterID, AssigneeID: c.AssigneeID, UserID: c.UserID, At: c.At})
	buf = append(buf, "id: "+id+"\nevent: "+string(c.Kind)+"\ndata: "...)
	buf = append(buf, data...)
	return append(buf, "\n\n"...)
}

// stream writes to one client.
type stream struct {
	w  http.ResponseWriter
	rc *http.ResponseController
	b  *Broker
}

// write sends s and flushes it, within writeWait; false means the client
// is gone.
func (s *stream) write(text string) bool {
	if err := s.rc.SetWriteDeadline(time.Now().Add(writeWait)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return false
	}
	if _, err := s.w.Write([]byte(text)); err != nil {
		return false
	}
	return s.rc.Flush() == nil
}

// orDefault returns d, or def when d is not set.
func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
