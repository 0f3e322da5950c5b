// Package server assembles Rapport's HTTP routes and runs the HTTP server.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/api"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/ui"
	"github.com/rapportdesk/rapport/internal/web"
)

// Pinger reports whether the database answers and takes writes.
type Pinger interface {
	Healthy(ctx context.Context) error
}

// Option adds to what Handler serves.
type Option func(*options)

type options struct {
	metrics *Metrics
	live    *live.Broker
	ui      ui.Options
}

// WithMetrics serves m at GET /metrics and feeds it every request's latency.
func WithMetrics(m *Metrics) Option { return func(o *options) { o.metrics = m } }

// WithLive serves b's event stream and ticket presence (see api.Handler.Live).
func WithLive(b *live.Broker) Option { return func(o *options) { o.live = b } }

// WithUI sets the web UI's options.
func WithUI(u ui.Options) Option { return func(o *options) { o.ui = u } }

// Handler returns every route of Rapport in one handler. Every request gets
// an id and an access-log line (see observe).
func Handler(d *desk.Desk, db Pinger, log *slog.Logger, opts ...Option) http.Handler {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Healthy(ctx); err != nil {
			log.Warn("health check failed", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	a := api.New(d, log)
	a.Live = o.live
	a.Register(mux)
	// The web UI shares the API's sign-in limiter: guessing through both
	// gains nothing.
	if o.ui.Live == nil {
		o.ui.Live = o.live // the pages' event stream (GET /events)
	}
	pages := ui.New(d, log, a.SignIn, o.ui)
	pages.Register(mux)
	if o.metrics != nil {
		mux.Handle("GET /metrics", o.metrics.handler(log))
	}
	mux.Handle("/", notRouted(mux, log, pages))
	return observe(log, o.metrics, mux)
}

// notRouted answers requests no route takes: 405 with Allow when the path
// exists for other methods, else 404; as problem documents under /api/,
// and as the web UI's HTML pages elsewhere. It is mounted on "/", so
// routed requests pay nothing for it.
func notRouted(mux *http.ServeMux, log *slog.Logger, pages *ui.UI) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
				allow = append(allow, m)
			}
		}
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			pages.NotRouted(w, r, allow)
			return
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			web.WriteProblem(w, &web.Problem{Type: "urn:rapport:problem:method_not_allowed", Title: "Method not allowed",
				Status: http.StatusMethodNotAllowed, Instance: r.URL.Path,
				Detail: r.Method + " is not supported here; this address accepts " + strings.Join(allow, ", ") + "."})
			return
		}
		web.Error(log, w, r, rapport.Errorf(rapport.ENOTFOUND, "There is nothing at %s. The API lives under /api/v1; see /api/v1/openapi.json.", r.URL.Path))
	}
}

// Serve answers HTTP on ln until ctx is cancelled, then drains open requests
// for up to ten seconds. onShutdown runs when draining starts, to end the
// responses that never end by themselves (event streams: live.Broker.Close).
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, onShutdown ...func()) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	for _, f := range onShutdown {
		srv.RegisterOnShutdown(f)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// TuneGC makes the garbage collector run less often than Go's default
// (GOGC=400 instead of 100) unless GOGC is set: a Rapport server's live heap
// is small, so the memory cost is slight and request handling gets the CPU.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
