package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

const goodPassword = "correct horse battery"

// TestSignIn: the right password starts a session; a wrong password, an
// unknown email and an account without a password all get the same answer.
func TestSignIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := desk.New(db)
		if _, err := d.AddUserWithPassword(ctx, "pat@example.com", "Pat", rapport.RoleRequester, goodPassword); err != nil {
			t.Fatal(err)
		}
		mustAdd(t, d, "nopass@example.com", rapport.RoleRequester)
		secret, u, err := d.SignIn(ctx, " Pat@Example.com ", goodPassword)
		if err != nil || u.Email != "pat@example.com" || secret == "" {
			t.Fatalf("SignIn=%q,%v,%v; want a session for pat", secret, u, err)
		}
		if got, err := d.SessionUser(ctx, secret); err != nil || got.ID != u.ID {
			t.Fatalf("SessionUser=%v,%v; want pat", got, err)
		}
		var msgs []string
		for _, tc := range [][2]string{{"pat@example.com", "wrong password!"}, {"nobody@example.com", goodPassword},
			{"nopass@example.com", goodPassword}, {"not an email", goodPassword}, {"pat@example.com", ""}} {
			_, _, err := d.SignIn(ctx, tc[0], tc[1])
			if rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
				t.Fatalf("SignIn(%q)=%v, want EUNAUTHORIZED", tc[0], err)
			}
			msgs = append(msgs, rapport.ErrorMessage(err))
		}
		for _, m := range msgs {
			if m != msgs[0] {
				t.Fatalf("messages differ by what was wrong: %q", msgs)
			}
		}
		if _, err := d.SessionUser(ctx, "made-up"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("SessionUser(made-up)=%v, want EUNAUTHORIZED", err)
		}
	})
}

// TestSessionEnds: a session ends at sign-out, when the account is
// disabled, when its password changes, after 12 idle hours and after 30
// days whatever happens; use within a minute is not written.
func TestSessionEnds(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		name string
		end  func(t *testing.T, d *desk.Desk, clock *time.Time, secret string)
	}{
		{"sign-out", func(t *testing.T, d *desk.Desk, _ *time.Time, secret string) {
			if err := d.SignOut(context.Background(), secret); err != nil {
				t.Fatal(err)
			}
		}},
		{"disabled", func(t *testing.T, d *desk.Desk, _ *time.Time, _ string) {
			if _, err := d.UpdateUser(context.Background(), "pat@example.com", desk.UserUpdate{Disabled: &yes}); err != nil {
				t.Fatal(err)
			}
		}},
		{"password changed", func(t *testing.T, d *desk.Desk, _ *time.Time, _ string) {
			if n, err := d.SetPassword(context.Background(), "pat@example.com", "another good password"); err != nil || n != 1 {
				t.Fatalf("SetPassword=%d,%v; want 1 session ended", n, err)
			}
		}},
		{"idle 12 hours", func(t *testing.T, d *desk.Desk, clock *time.Time, _ string) {
			*clock = clock.Add(rapport.SessionIdle)
		}},
		{"30 days, even in use", func(t *testing.T, d *desk.Desk, clock *time.Time, secret string) {
			end := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).Add(rapport.SessionMaxAge)
			for clock.Add(11 * time.Hour).Before(end) {
				*clock = clock.Add(11 * time.Hour)
				if _, err := d.SessionUser(context.Background(), secret); err != nil {
					t.Fatalf("session used every 11h ended at %v: %v", *clock, err)
				}
			}
			*clock = end
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				clock := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
				d := desk.New(db)
				d.Now = func() time.Time { return clock }
				mustAdd(t, d, "root@example.com", rapport.RoleAdmin)
				if _, err := d.AddUserWithPassword(ctx, "pat@example.com", "Pat", rapport.RoleRequester, goodPassword); err != nil {
					t.Fatal(err)
				}
				secret, _, err := d.SignIn(ctx, "pat@example.com", goodPassword)
				if err != nil {
					t.Fatal(err)
				}
				clock = clock.Add(rapport.SessionIdle - time.Minute)
				if _, err := d.SessionUser(ctx, secret); err != nil {
					t.Fatalf("SessionUser before any end: %v", err)
				}
				tc.end(t, d, &clock, secret)
				if _, err := d.SessionUser(ctx, secret); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED || !strings.Contains(rapport.ErrorMessage(err), "sign in again") {
					t.Fatalf("SessionUser after %s=%v, want EUNAUTHORIZED asking to sign in again", tc.name, err)
				}
			})
		})
	}
}

// TestPasswordRules: bad passwords are refused with nothing stored, and the
// account is not created half-way.
func TestPasswordRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := desk.New(db)
		if _, err := d.AddUserWithPassword(ctx, "pat@example.com", "Pat", rapport.RoleRequester, "short"); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("short password: %v, want EINVALID", err)
		}
		if _, err := db.FindUserByEmail(ctx, "pat@example.com"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("after a refused password the account exists: %v", err)
		}
		mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		if _, err := d.SetPassword(ctx, "pat@example.com", "pat@example.com"); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("email as password: %v, want EINVALID", err)
		}
		if _, err := d.SetPassword(ctx, "nobody@example.com", goodPassword); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("password for nobody: %v, want ENOTFOUND", err)
		}
		if _, _, err := d.SignIn(ctx, "pat@example.com", "pat@example.com"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("sign-in after refused passwords: %v, want EUNAUTHORIZED", err)
		}
	})
}
