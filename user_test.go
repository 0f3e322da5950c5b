package rapport_test

import (
	"strings"
	"testing"
	"unicode/utf8"

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

var emailSeeds = []string{
	"pat@example.com", "Pat.Lee@Example.COM", "jane.doe+it@example.com",
	"жанна@пример.рф", "用户@例子.广告", "😀@example.com", "İstanbul@example.com", "\u212Aelvin@example.com",
	"\"quoted name\"@example.com", "..@example.com", "a@b", "\xff@example.com", "a\x00@example.com",
	strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com", strings.Repeat("ж", 120) + "@example.com",
	strings.Repeat("a.", 120) + "@ex.com", strings.Repeat("a", 240) + "@b", strings.Repeat("İ", 125) + "@b",
	strings.Repeat("\u212A", 80) + "@b", strings.Repeat("Ⱥ", 126) + "@b", // lower case may take more bytes
}

// FuzzNormalizeEmail: an accepted address is valid UTF-8, within the
// length limit, lower case, and normalizes to itself.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range emailSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, why := rapport.NormalizeEmail(s)
		if (got == "") == (why == "") {
			t.Fatalf("NormalizeEmail(%q)=%q, %q: want exactly one", s, got, why)
		}
		if got == "" {
			return
		}
		if !utf8.ValidString(got) || len(got) > rapport.MaxEmailLen || got != strings.ToLower(got) {
			t.Fatalf("NormalizeEmail(%q)=%q", s, got)
		}
		if again, why := rapport.NormalizeEmail(got); again != got {
			t.Fatalf("NormalizeEmail(%q)=%q, %q; want it unchanged", got, again, why)
		}
	})
}

// FuzzNameFromEmail: the name guessed for any address NormalizeEmail
// accepts is one NewUser accepts, so logging a request for a new person
// never fails on a name they did not type.
func FuzzNameFromEmail(f *testing.F) {
	for _, s := range emailSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, why := rapport.NormalizeEmail(s)
		if why != "" {
			return
		}
		name := rapport.NameFromEmail(addr)
		if !utf8.ValidString(name) || utf8.RuneCountInString(name) > rapport.MaxNameLen {
			t.Fatalf("NameFromEmail(%q)=%q", addr, name)
		}
		if _, err := rapport.NewUser(addr, name, rapport.RoleRequester, rapport.Now()); err != nil {
			t.Fatalf("NewUser(%q, NameFromEmail=%q): %v", addr, name, err)
		}
	})
}
