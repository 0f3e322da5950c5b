package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// BenchmarkStaffPages renders staff pages through the whole handler (the
// session read from the database, the desk, the template), as an agent,
// over a big seeded database named by RAPPORT_BENCH_DB (a SQLite path or
// a postgres:// URL):
//
//	go run ./cmd/rapport-load seed -db /tmp/big.db -tickets 340000  # about 100,000 queued
//	RAPPORT_BENCH_DB=/tmp/big.db go test -run '^$' -bench StaffPages ./internal/ui
//
// It gives one agent of the seed a password (the seed makes none) and
// signs them in: the only writes it makes. The goal is a queue page in
// under 50 ms with 100,000 tickets waiting.
func BenchmarkStaffPages(b *testing.B) {
	ctx := context.Background()
	db := testdb.Seeded(b)
	d := desk.New(db)
	agents, _, err := d.AllUsers(ctx, rapport.UserFilter{Role: rapport.RoleAgent, Limit: 1})
	if err != nil || len(agents) == 0 {
		b.Fatalf("no agent in the seeded database (%v): seed it first", err)
	}
	agent := agents[0]
	if _, err := d.SetPassword(ctx, agent.Email, password); err != nil {
		b.Fatal(err)
	}
	secret, _, err := d.SignIn(ctx, agent.Email, password)
	if err != nil {
		b.Fatal(err)
	}
	asAgent := rapport.NewContextWithUser(ctx, agent)
	// The cursor halfway down the queue, for a deep page.
	half, err := d.Queue(asAgent, rapport.QueueCursor{}, 50000)
	if err != nil || len(half) == 0 {
		b.Fatalf("queue: %v", err)
	}
	deep := half[len(half)-1].Cursor()
	b.Logf("%d or more tickets queued; agent %s", len(half), agent.Email)

	h := server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, bc := range []struct{ name, path, want string }{
		{"queue", "/", "Take next"},
		{"queue-deep", "/?after=" + strconv.Itoa(deep.Rank) + "-" + strconv.FormatInt(deep.ID, 10), "Next page"},
		{"all-open", "/tickets", "Next page"},
		{"all-open-critical", "/tickets?priority=critical&assignee=none", "Next page"},
		{"search", "/tickets?q=printer", "<tbody>"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", bc.path, nil)
				req.AddCookie(&http.Cookie{Name: "rapport_session", Value: secret})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), bc.want) {
					b.Fatalf("GET %s: %d, want 200 with %q", bc.path, rec.Code, bc.want)
				}
			}
		})
	}
}
