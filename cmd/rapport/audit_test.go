package main

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
)

// TestAuditCommand: rapport audit prints the log newest first, filters by
// person and by staff, pages with --cursor, and says plainly what is wrong
// with a filter.
func TestAuditCommand(t *testing.T) {
	eachDB(t, func(t *testing.T, ctx context.Context, db *store.DB) {
		var err error
		d := desk.New(db)
		var pat, ann *rapport.User
		for _, u := range []struct {
			email string
			role  rapport.Role
			to    **rapport.User
		}{{"pat@example.com", rapport.RoleRequester, &pat}, {"ann@example.com", rapport.RoleAgent, &ann}} {
			if *u.to, err = d.AddUser(ctx, u.email, "Person", u.role); err != nil {
				t.Fatal(err)
			}
		}
		if out, err := runCmd(t, "audit"); err != nil || !strings.Contains(out, "No reads of private data to show.") {
			t.Fatalf("empty log: %q %v", out, err)
		}
		asAnn := rapport.NewContextWithRoute(rapport.NewContextWithUser(ctx, ann), rapport.RouteWeb)
		for range 3 {
			if _, err := d.Person(asAnn, pat.ID); err != nil {
				t.Fatal(err)
			}
		}
		out, err := runCmd(t, "audit", "--user", "pat@example.com")
		if err != nil || strings.Count(out, "ann@example.com  pat@example.com  profile  web") != 3 {
			t.Fatalf("audit --user:\n%s %v", out, err)
		}
		out, err = runCmd(t, "audit", "--limit", "2")
		if err != nil || strings.Count(out, "profile") != 2 || !strings.Contains(out, "More: rapport audit --cursor ") {
			t.Fatalf("first page:\n%s %v", out, err)
		}
		cursor := strings.Fields(out[strings.Index(out, "--cursor "):])[1]
		if out, err = runCmd(t, "audit", "--limit", "2", "--cursor", cursor); err != nil || strings.Count(out, "profile") != 1 || strings.Contains(out, "More:") {
			t.Fatalf("second page:\n%s %v", out, err)
		}
		if out, err = runCmd(t, "audit", "--staff", "pat@example.com"); err != nil || !strings.Contains(out, "No reads") {
			t.Fatalf("--staff pat: %q %v", out, err)
		}
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"--user", "nobody@example.com"}, "There is no account with the address nobody@example.com."},
			{[]string{"--staff", "ann"}, "staff must be an account number like 42 or an email address."},
			{[]string{"--limit", "0"}, "--limit must be a whole number from 1 to 500"},
			{[]string{"--cursor", "xyz"}, "page link is damaged"},
		} {
			_, err := runCmd(t, append([]string{"audit"}, tc.args...)...)
			if err == nil || !strings.Contains(describe(err), tc.want) {
				t.Errorf("audit %v: %v, want %q", tc.args, err, tc.want)
			}
		}
	})
}
