//go:build linux

package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestHealthzWhenDiskRefusesWrites: /healthz answers 503 while the disk
// refuses SQLite's writes, and 200 again once it takes them. The disk is
// made to refuse by the file-size limit (RLIMIT_FSIZE): every write that
// would grow a file fails as on a full disk. A ping alone said 200.
func TestHealthzWhenDiskRefusesWrites(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	db.MaxWAL = 1       // the writer empties the WAL after every commit, so any write must grow it
	db.HealthMaxAge = 1 // every /healthz writes through the writer
	d := desk.New(db)
	if _, err := d.AddUser(ctx, "pat@example.com", "Pat", rapport.RoleRequester); err != nil {
		t.Fatal(err)
	}
	h := server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	healthz := func() int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		return rec.Code
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	limit := func(cur uint64) {
		t.Helper()
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: cur, Max: old.Max}); err != nil {
			t.Fatal(err)
		}
	}
	defer limit(old.Cur)
	steps := []struct {
		name  string
		fsize uint64
		want  int
	}{
		{"disk takes writes", old.Cur, http.StatusOK},
		{"disk refuses writes", 0, http.StatusServiceUnavailable},
		{"still refuses", 0, http.StatusServiceUnavailable},
		{"takes writes again", old.Cur, http.StatusOK},
	}
	for _, s := range steps {
		limit(s.fsize)
		if got := healthz(); got != s.want {
			t.Fatalf("%s: /healthz = %d, want %d", s.name, got, s.want)
		}
	}
}
