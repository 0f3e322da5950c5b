package api

import (
	"io"
	"log/slog"
	"testing"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
)

// RouteList exposes the registered patterns to the external tests.
func RouteList(t *testing.T, db *store.DB) []string {
	var out []string
	for p := range New(desk.New(db), slog.New(slog.NewTextHandler(io.Discard, nil))).Routes() {
		out = append(out, p)
	}
	return out
}
