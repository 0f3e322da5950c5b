package server

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// observe gives every request an id (X-Request-Id both ways), writes one
// access-log line per request, feeds the latency histogram when m is set,
// and turns a handler's panic into a logged 500 problem.
func observe(log *slog.Logger, m *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(web.RequestIDHeader)
		if !saneRequestID(id) {
			id = rand.Text()
		}
		info := &web.RequestInfo{ID: id}
		w.Header().Set(web.RequestIDHeader, id)
		rec := &recorder{ResponseWriter: w}
		r = r.WithContext(web.NewContextWithRequest(r.Context(), info))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler { // the handler's way to drop the connection
					panic(p)
				}
				log.Error("request panicked", "request_id", id, "method", r.Method, "path", r.URL.Path,
					"panic", p, "stack", string(debug.Stack()))
				if !rec.wrote {
					web.Error(log, rec, r, rapport.Errorf(rapport.EINTERNAL, "Internal error."))
				}
			}
			d := time.Since(start)
			// ServeMux sets Pattern on the request it is given; "/" is the
			// catch-all that answers 404 and 405.
			route := r.Pattern
			if route == "" || route == "/" {
				route = "unmatched"
			}
			// An event stream lasts minutes by design; as a latency it would
			// only drown the histogram. Its line in the access log stays.
			if m != nil && rec.Header().Get("Content-Type") != "text/event-stream" {
				m.observeRequest(route, rec.status(), d)
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
				slog.Int("status", rec.status()), slog.Float64("duration_ms", float64(d.Microseconds())/1000),
				slog.Int64("bytes", rec.bytes), slog.String("request_id", id), slog.String("remote", r.RemoteAddr),
			}
			if info.UserID != 0 {
				attrs = append(attrs, slog.Int64("user_id", info.UserID))
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// saneRequestID accepts an incoming id only if it is short and plain, so a
// client cannot inject text into logs or headers.
func saneRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// recorder notes the status and size of a response.
type recorder struct {
	http.ResponseWriter
	code  int
	bytes int64
	wrote bool
}

func (rec *recorder) WriteHeader(code int) {
	if !rec.wrote {
		rec.code, rec.wrote = code, true
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if !rec.wrote {
		rec.code, rec.wrote = http.StatusOK, true
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

func (rec *recorder) status() int {
	if !rec.wrote {
		return http.StatusOK
	}
	return rec.code
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// Flush passes streaming responses through.
func (rec *recorder) Flush() {
	if !rec.wrote {
		rec.code, rec.wrote = http.StatusOK, true
	}
	http.NewResponseController(rec.ResponseWriter).Flush()
}
