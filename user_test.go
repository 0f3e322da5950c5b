package rapport_test

import (
	"testing"

	"github.com/rapportdesk/rapport"
)

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Pat@Example.com", "pat@example.com"},
		{"  pat@example.com ", "pat@example.com"},
		{"", ""},
		{"pat", ""},
		{"Pat <pat@example.com>", ""},
		{"pat@", ""},
	} {
		got, why := rapport.NormalizeEmail(tc.in)
		if got != tc.want || (got == "") != (why != "") {
			t.Errorf("NormalizeEmail(%q)=%q,%q; want %q", tc.in, got, why, tc.want)
		}
	}
}

func TestNameFromEmail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"jane.doe@example.com", "Jane Doe"},
		{"j_smith-jones@example.com", "J Smith Jones"},
		{"x@example.com", "X"},
		{"..@example.com", "..@example.com"},
	} {
		if got := rapport.NameFromEmail(tc.in); got != tc.want {
			t.Errorf("NameFromEmail(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNewUser(t *testing.T) {
	if _, err := rapport.NewUser("a@example.com", "A", "boss", rapport.Now()); len(rapport.ErrorFields(err)) != 1 {
		t.Fatalf("bad role: %v", err)
	}
	u, err := rapport.NewUser("A@Example.com", " Ann ", rapport.RoleAgent, rapport.Now())
	if err != nil || u.Email != "a@example.com" || u.Name != "Ann" || !u.IsStaff() {
		t.Fatalf("NewUser: %+v %v", u, err)
	}
}

func TestTokenHash(t *testing.T) {
	secret, tok := rapport.NewToken(1, "", rapport.Now())
	if rapport.HashToken(secret) != tok.Hash || secret == tok.Hash || len(secret) < 30 {
		t.Fatalf("secret %q hash %q", secret, tok.Hash)
	}
	if s2, _ := rapport.NewToken(1, "", rapport.Now()); s2 == secret {
		t.Fatal("two tokens alike")
	}
}
