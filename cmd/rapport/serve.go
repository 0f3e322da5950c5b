package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/ui"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, cf := newConfigFlags("serve", stderr, "addr", "db", "reopen_window", "metrics_token", "public_url",
		"attachments", "attachment_max_size") // attachments (web)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := &cf.Config
	log := newLogger(stderr)
	server.TuneGC(os.Getenv)
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	d := desk.New(db)
	d.ReopenWindow = cfg.ReopenWindow
	// Attachments (web): a folder by default, S3-compatible storage when
	// several nodes share the database.
	if d.Files, err = attach.Open(ctx, cfg.AttachmentsPlace(), int64(cfg.AttachmentMaxSize)); err != nil {
		return err
	}
	defer d.Files.Close()
	metrics := server.NewMetrics(db, cfg.MetricsToken)
	db.OnBatch = metrics.ObserveBatch // before the first write, as OnBatch asks
	// Live updates: in-process on SQLite (one node); across every node
	// on the same PostgreSQL database.
	broker := live.New(log)
	if store.IsPostgres(cfg.DB) {
		if broker, err = live.NewPostgres(cfg.DB, log); err != nil {
			return err
		}
	}
	d.Notifier = broker
	// The broker outlives the drain of open requests, so that changes they
	// make still reach the other nodes; its streams end as draining starts.
	liveCtx, stopLive := context.WithCancel(context.WithoutCancel(ctx))
	liveDone := make(chan struct{})
	go func() { broker.Run(liveCtx); close(liveDone) }()
	defer func() { stopLive(); <-liveDone }()
	go d.ReturnDueHoldsEvery(ctx, time.Minute, log)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("rapport is serving", "addr", "http://"+ln.Addr().String(), "database", db.Dialect())
	h := server.Handler(d, db, log, server.WithMetrics(metrics), server.WithLive(broker),
		server.WithUI(ui.Options{PublicURL: cfg.PublicURL}))
	return server.Serve(ctx, ln, h, log, broker.Close)
}

// newLogger writes JSON lines for log collectors, and text when a person
// watches stderr at a terminal.
func newLogger(stderr io.Writer) *slog.Logger {
	if f, ok := stderr.(*os.File); ok {
		// A character device is a terminal here; golang.org/x/term would
		// answer the same with an ioctl, for one more dependency.
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(stderr, nil))
		}
	}
	return slog.New(slog.NewJSONHandler(stderr, nil))
}
