package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, dsn := newFlags("serve", stderr)
	addr := fs.String("addr", envOr("RAPPORT_ADDR", "127.0.0.1:8080"), "address to listen on")
	window := fs.Duration("reopen-window", envDuration("RAPPORT_REOPEN_WINDOW", desk.DefaultReopenWindow), "how long a resolved ticket can be reopened")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	server.TuneGC(os.Getenv)
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	d := desk.New(db)
	d.ReopenWindow = *window
	go d.ReturnDueHoldsEvery(ctx, time.Minute, log)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	log.Info("rapport is serving", "addr", "http://"+ln.Addr().String(), "database", db.Dialect())
	return server.Serve(ctx, ln, server.Handler(d, db, log), log)
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(envOr(key, "")); err == nil && d > 0 {
		return d
	}
	return def
}
