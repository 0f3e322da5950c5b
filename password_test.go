package rapport_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		name, pw, email string
		ok              bool
		says            string
	}{
		{"passphrase", "correct horse battery", "pat@example.com", true, ""},
		{"exactly ten", "abcdefghij", "pat@example.com", true, ""},
		{"ten letters, not bytes", "ééééééççàà", "pat@example.com", true, ""},
		{"a short name inside a word is fine", "compatible horse", "pat@example.com", true, ""},
		{"empty", "", "pat@example.com", false, "required"},
		{"too short", "abcdefghi", "pat@example.com", false, "too short: 9 characters, at least 10"},
		{"too long", strings.Repeat("ab", 251), "pat@example.com", false, "too long"},
		{"the email", "Pat@Example.com", "pat@example.com", false, "email address"},
		{"the email and a digit", "pat@example.com1", "pat@example.com", false, "email address"},
		{"the name part twice", "patleepatlee", "patlee@example.com", false, "email address"},
		{"one character", "aaaaaaaaaaaa", "pat@example.com", false, "repeats"},
		{"two characters", "abababababab", "pat@example.com", false, "repeats"},
		{"control character", "correct\thorse", "pat@example.com", false, "control character"},
		{"not UTF-8", "correct horse\xff", "pat@example.com", false, "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := rapport.CheckPassword(tc.pw, tc.email)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckPassword(%q)=%v, want ok=%v", tc.pw, err, tc.ok)
			}
			if err == nil {
				return
			}
			f := rapport.ErrorFields(err)
			if len(f) != 1 || f[0].Field != "password" || !strings.Contains(f[0].Message, tc.says) {
				t.Fatalf("CheckPassword(%q) fields=%v, want one on password saying %q", tc.pw, f, tc.says)
			}
			if tc.pw != "" && strings.Contains(f[0].Message, tc.pw) {
				t.Fatalf("the message repeats the password: %q", f[0].Message)
			}
		})
	}
}

func TestSessionExpiry(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	secret, s := rapport.NewSession(7, start)
	if len(secret) < 40 || s.ID != rapport.HashToken(secret) || s.ID == secret {
		t.Fatalf("NewSession: secret %q, id %q: want a long secret stored only as its hash", secret, s.ID)
	}
	if got, want := s.ExpiresAt, start.Add(rapport.SessionIdle); !got.Equal(want) {
		t.Fatalf("ExpiresAt=%v, want %v", got, want)
	}
	if s.Touch(start.Add(30 * time.Second)) {
		t.Fatalf("Touch within a minute asks for a write")
	}
	// Used every 11 hours, it lives until the absolute limit, not longer.
	at := start
	for at.Before(start.Add(rapport.SessionMaxAge - rapport.SessionIdle)) {
		at = at.Add(11 * time.Hour)
		if !s.Live(at) {
			t.Fatalf("session used every 11h died at %v", at)
		}
		if !s.Touch(at) {
			t.Fatalf("Touch after 11h asks for no write")
		}
	}
	if got, want := s.ExpiresAt, start.Add(rapport.SessionMaxAge); got.After(want) {
		t.Fatalf("ExpiresAt=%v, past the absolute limit %v", got, want)
	}
	if s.Live(start.Add(rapport.SessionMaxAge)) {
		t.Fatalf("session alive at its absolute limit")
	}
	idle := &rapport.Session{CreatedAt: start, LastSeenAt: start}
	idle.ExpiresAt = idle.Expiry()
	if !idle.Live(start.Add(rapport.SessionIdle-time.Second)) || idle.Live(start.Add(rapport.SessionIdle)) {
		t.Fatalf("idle session: want live until %v and not after", rapport.SessionIdle)
	}
	now := start
	idle.RevokedAt = &now
	if idle.Live(start) {
		t.Fatalf("revoked session is live")
	}
}
