package main

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestPasswordCommands: user add --password-stdin and user password read
// one line from standard input, refuse an empty or short one plainly,
// never print it, and a new password ends the account's sessions.
func TestPasswordCommands(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	t.Setenv("RAPPORT_DB", dsn)
	withStdin := func(t *testing.T, in string, args ...string) (string, error) {
		t.Helper()
		old := stdin
		stdin = strings.NewReader(in)
		defer func() { stdin = old }()
		return runCmd(t, args...)
	}
	signIn := func(pw string) error {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, _, err = desk.New(db).SignIn(context.Background(), "pat@example.com", pw)
		return err
	}
	add := []string{"user", "add", "--email", "pat@example.com", "--name", "Pat", "--role", "requester", "--password-stdin"}
	for _, tc := range []struct{ in, says string }{
		{"", "No password was given"},
		{"\n", "No password was given"},
		{"short\n", "too short"},
	} {
		out, err := withStdin(t, tc.in, add...)
		if err == nil || !strings.Contains(describe(err), tc.says) || strings.Contains(describe(err), "--password") {
			t.Fatalf("user add with %q: %v, want a plain error saying %q", tc.in, err, tc.says)
		}
		if out != "" {
			t.Fatalf("a refused user add printed %q", out)
		}
	}
	if err := signIn("short"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
		t.Fatalf("after refused adds, sign-in=%v", err)
	}
	out, err := withStdin(t, "correct horse battery\r\nsecond line ignored\n", add...)
	if err != nil || strings.Contains(out, "correct horse") {
		t.Fatalf("user add --password-stdin: %q, %v", out, err)
	}
	if err := signIn("correct horse battery"); err != nil {
		t.Fatalf("sign in with the password given on stdin: %v", err)
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := desk.New(db)
	// The check above made one session; this is a second.
	secret, _, err := d.SignIn(context.Background(), "pat@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := withStdin(t, "tiny\n", "user", "password", "--email", "pat@example.com"); err == nil || !strings.Contains(describe(err), "too short") {
		t.Fatalf("user password with a short one: %q, %v", out, err)
	}
	out, err = withStdin(t, "a brand new passphrase\n", "user", "password", "--email", "pat@example.com")
	if err != nil || !strings.Contains(out, "signed out 2 web session") || strings.Contains(out, "passphrase") {
		t.Fatalf("user password: %q, %v", out, err)
	}
	if _, err := d.SessionUser(context.Background(), secret); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
		t.Fatalf("session after a new password: %v, want it ended", err)
	}
	if err := signIn("a brand new passphrase"); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
	if err := signIn("correct horse battery"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
		t.Fatalf("sign in with the old password: %v", err)
	}
	// Without --password-stdin, user add reads nothing and works as before.
	if _, err := withStdin(t, "ignored\n", "user", "add", "--email", "sam@example.com", "--name", "Sam", "--role", "agent"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "user", "password", "--help"); err == nil || out != "" {
		t.Fatalf("user password --help: %q, %v", out, err)
	}
}
