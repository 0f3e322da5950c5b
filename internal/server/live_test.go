package server_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/live"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestServeEndsEventStreams: shutting down with event streams open ends
// them and returns cleanly, instead of waiting out the drain timeout for
// responses that never finish by themselves (Serve then said "context
// deadline exceeded").
func TestServeEndsEventStreams(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db := testdb.Open(t, "sqlite")
	d := desk.New(db)
	ctx := context.Background()
	if _, err := d.AddUser(ctx, "ann@example.com", "Ann", rapport.RoleAgent); err != nil {
		t.Fatal(err)
	}
	token, err := d.CreateToken(ctx, "ann@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	b := live.New(log)
	d.Notifier = b
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	served := make(chan error, 1)
	go func() {
		served <- server.Serve(serveCtx, ln, server.Handler(d, db, log, server.WithLive(b)), log, b.Close)
	}()

	var bodies []io.ReadCloser
	for range 3 {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/api/v1/events", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if line, _ := bufio.NewReader(res.Body).ReadString('\n'); line != "retry: 2000\n" {
			t.Fatalf("stream starts %q", line)
		}
		bodies = append(bodies, res.Body)
	}
	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve still waiting for the open streams")
	}
	for i, body := range bodies {
		if _, err := io.ReadAll(body); err != nil {
			t.Fatalf("stream %d did not end cleanly: %v", i, err)
		}
	}
}
