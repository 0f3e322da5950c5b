package desk_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestNewPassword: made passwords meet the password rules, read aloud
// easily and do not repeat.
func TestNewPassword(t *testing.T) {
	shape := regexp.MustCompile(`^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$`)
	seen := map[string]bool{}
	for range 1000 {
		pw := desk.NewPassword()
		if !shape.MatchString(pw) {
			t.Fatalf("NewPassword()=%q, want four groups of four unambiguous characters", pw)
		}
		if err := rapport.CheckPassword(pw, "pat@example.com"); err != nil {
			t.Fatalf("CheckPassword(%q)=%v, want nil", pw, err)
		}
		if seen[pw] {
			t.Fatalf("NewPassword() repeated %q", pw)
		}
		seen[pw] = true
	}
}

// TestAdminPasswords: only an administrator adds an account with a made
// password or resets one; the password works once shown, the old one and
// every session of the account end, and tokens stay.
func TestAdminPasswords(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := desk.New(db)
		root := mustAdd(t, d, "root@example.com", rapport.RoleAdmin)
		sue := mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor)
		for _, who := range []*rapport.User{sue} {
			if _, _, err := d.AddUserWithNewPassword(as(who), "x@example.com", "X", rapport.RoleAgent); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
				t.Fatalf("AddUserWithNewPassword as %s=%v, want EFORBIDDEN", who.Role, err)
			}
			if _, err := d.ResetPasswordAsAdmin(as(who), root.ID); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
				t.Fatalf("ResetPasswordAsAdmin as %s=%v, want EFORBIDDEN", who.Role, err)
			}
		}
		if _, _, err := d.AddUserWithNewPassword(as(root), "not an email", "X", rapport.RoleAgent); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("AddUserWithNewPassword(bad email)=%v, want EINVALID", err)
		}
		ann, pw, err := d.AddUserWithNewPassword(as(root), "ann@example.com", "Ann", rapport.RoleAgent)
		if err != nil || ann.Role != rapport.RoleAgent {
			t.Fatalf("AddUserWithNewPassword=%v,%v", ann, err)
		}
		secret, _, err := d.SignIn(ctx, "ann@example.com", pw)
		if err != nil {
			t.Fatalf("SignIn with the shown password=%v, want a session", err)
		}
		token, err := d.CreateToken(ctx, "ann@example.com", "laptop")
		if err != nil {
			t.Fatal(err)
		}
		pw2, err := d.ResetPasswordAsAdmin(as(root), ann.ID)
		if err != nil || pw2 == pw {
			t.Fatalf("ResetPasswordAsAdmin=%q,%v; want a new password", pw2, err)
		}
		if _, err := d.SessionUser(ctx, secret); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("session after a reset: %v, want EUNAUTHORIZED", err)
		}
		if _, _, err := d.SignIn(ctx, "ann@example.com", pw); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("old password after a reset: %v, want EUNAUTHORIZED", err)
		}
		if _, _, err := d.SignIn(ctx, "ann@example.com", pw2); err != nil {
			t.Fatalf("new password after a reset: %v", err)
		}
		if _, err := d.Authenticate(ctx, token); err != nil {
			t.Fatalf("token after a password reset: %v, want it kept", err)
		}
		if _, err := d.ResetPasswordAsAdmin(as(root), 999999); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("ResetPasswordAsAdmin(unknown)=%v, want ENOTFOUND", err)
		}
		if u, err := d.User(as(sue), ann.ID); err != nil || u.Email != "ann@example.com" {
			t.Fatalf("User as supervisor=%v,%v", u, err)
		}
		pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		if _, err := d.User(as(pat), ann.ID); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("User as requester=%v, want EFORBIDDEN", err)
		}
	})
}

// TestChangeMyPassword: the current password is required and checked,
// the new one must follow the rules, both problems are told at once; a
// change ends every other session and starts a fresh one for the caller.
func TestChangeMyPassword(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := desk.New(db)
		pat, err := d.AddUserWithPassword(ctx, "pat@example.com", "Pat", rapport.RoleRequester, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := d.SignIn(ctx, "pat@example.com", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			old, pw string
			fields  []string
		}{
			{"", "a much better one", []string{"old_password"}},
			{"wrong password!", "a much better one", []string{"old_password"}},
			{goodPassword, "short", []string{"new_password"}},
			{goodPassword, goodPassword, []string{"new_password"}},
			{"wrong password!", "short", []string{"old_password", "new_password"}},
		} {
			_, err := d.ChangeMyPassword(as(pat), tc.old, tc.pw)
			var got []string
			for _, f := range rapport.ErrorFields(err) {
				got = append(got, f.Field)
			}
			if rapport.ErrorCode(err) != rapport.EINVALID || len(got) != len(tc.fields) || got[0] != tc.fields[0] {
				t.Fatalf("ChangeMyPassword(%q, %q)=%v, want EINVALID on %v", tc.old, tc.pw, err, tc.fields)
			}
		}
		if _, err := d.SessionUser(ctx, other); err != nil {
			t.Fatalf("a refused change ended a session: %v", err)
		}
		secret, err := d.ChangeMyPassword(as(pat), goodPassword, "a much better one")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.SessionUser(ctx, other); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("other session after a change: %v, want EUNAUTHORIZED", err)
		}
		if u, err := d.SessionUser(ctx, secret); err != nil || u.ID != pat.ID {
			t.Fatalf("the caller's new session=%v,%v; want pat", u, err)
		}
		if _, _, err := d.SignIn(ctx, "pat@example.com", "a much better one"); err != nil {
			t.Fatalf("sign in with the new password: %v", err)
		}
		if _, err := d.ChangeMyPassword(context.Background(), goodPassword, "another good one"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("ChangeMyPassword signed out=%v, want EUNAUTHORIZED", err)
		}
	})
}
