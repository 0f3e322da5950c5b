package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
)

// TestCalendarsCommand: rapport calendars lists the default calendar,
// shows it, imports holidays from a file once, and refuses bad input with
// a plain message and no change.
func TestCalendarsCommand(t *testing.T) {
	eachDB(t, func(t *testing.T, ctx context.Context, db *store.DB) {
		if out, err := runCmd(t, "calendars"); err != nil || !strings.Contains(out, "No calendars yet") {
			t.Fatalf("calendars on a new database: %v\n%s", err, out)
		}
		if err := desk.New(db).SetupSLA(ctx, "Europe/Paris"); err != nil {
			t.Fatal(err)
		}
		out, err := runCmd(t, "calendars", "list")
		if err != nil || !strings.Contains(out, "Office hours") || !strings.Contains(out, "Europe/Paris") || !strings.Contains(out, "yes") {
			t.Fatalf("calendars list: %v\n%s", err, out)
		}
		id := strings.Fields(strings.Split(out, "\n")[1])[0]
		if out, err = runCmd(t, "calendars", "show", id); err != nil || !strings.Contains(out, "friday     09:00-17:00") || strings.Contains(out, "saturday") {
			t.Fatalf("calendars show: %v\n%s", err, out)
		}
		ics := filepath.Join(t.TempDir(), "holidays.ics")
		if err := os.WriteFile(ics, []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:x@t\r\nDTSTAMP:20260101T000000Z\r\n"+
			"DTSTART;VALUE=DATE:20261225\r\nSUMMARY:Noël\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"Added 1 holidays", "Added 0 holidays"} {
			if out, err = runCmd(t, "calendars", "import-ics", id, ics); err != nil || !strings.Contains(out, want) {
				t.Fatalf("import %d: %v\n%s", i, err, out)
			}
		}
		if out, err = runCmd(t, "calendars", "show", id); err != nil || !strings.Contains(out, "2026-12-25  Noël") {
			t.Fatalf("calendars show after import: %v\n%s", err, out)
		}
		if _, err = runCmd(t, "calendars", "show", "x"); !errors.Is(err, errUsage) {
			t.Fatalf("show x: %v, want a usage error", err)
		}
		if _, err = runCmd(t, "calendars", "import-ics", id, filepath.Join(t.TempDir(), "missing.ics")); err == nil || !strings.Contains(err.Error(), "cannot read") {
			t.Fatalf("import of a missing file: %v", err)
		}
		if _, err = runCmd(t, "calendars", "show", "999"); err == nil || !strings.Contains(err.Error(), "no calendar 999") {
			t.Fatalf("show 999: %v", err)
		}
	})
}
