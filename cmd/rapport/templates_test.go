package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
)

// TestTemplatesCommand: rapport templates lists the shared templates (the
// starter set on a new database), filters with --q and shows one; a
// personal template is neither listed nor shown.
func TestTemplatesCommand(t *testing.T) {
	eachDB(t, func(t *testing.T, ctx context.Context, db *store.DB) {
		var err error
		d := desk.New(db)
		ann, err := d.AddUser(ctx, "ann@example.com", "Ann", rapport.RoleAgent)
		if err != nil {
			t.Fatal(err)
		}
		mine, err := d.CreateTemplate(rapport.NewContextWithUser(ctx, ann), desk.NewTemplate{TemplateInput: rapport.TemplateInput{Name: "Ann's private words", Body: "Hi"}})
		if err != nil {
			t.Fatal(err)
		}

		out, err := runCmd(t, "templates")
		if err != nil || !strings.Contains(out, "Password reset") || !strings.Contains(out, "Scheduled visit") || strings.Contains(out, "private") {
			t.Fatalf("templates: %v\n%s", err, out)
		}
		out, err = runCmd(t, "templates", "list", "--q", "LAPTOP DELAYED")
		if err != nil || !strings.Contains(out, "New laptop delayed") || strings.Count(out, "\n") != 2 {
			t.Fatalf("templates list --q: %v\n%s", err, out)
		}
		id := strings.Fields(strings.Split(out, "\n")[1])[0]
		if out, err = runCmd(t, "templates", "show", id); err != nil || !strings.Contains(out, "Hi {{requester.preferred_name}},") {
			t.Fatalf("templates show %s: %v\n%s", id, err, out)
		}
		if _, err := runCmd(t, "templates", "show", strconv.FormatInt(mine.ID, 10)); err == nil || !strings.Contains(err.Error(), "no shared template") {
			t.Fatalf("show a personal template: err=%v", err)
		}
		if _, err := runCmd(t, "templates", "show"); !errors.Is(err, errUsage) {
			t.Fatalf("show without an id: err=%v, want a usage error", err)
		}
	})
}
