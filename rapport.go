// Package rapport holds the domain of the Rapport help desk: people, tickets,
// their timeline and the rules that move a ticket from "new" to "closed".
//
// It imports only the standard library. Storage lives in internal/store, the
// application services in internal/desk and HTTP in internal/api.
package rapport

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Size limits for text that people type. They are generous: the point is to
// refuse abuse, never a long honest description.
const (
	MaxSubjectLen    = 200
	MaxBodyLen       = 50_000
	MaxReasonLen     = 2_000
	MaxNameLen       = 200
	MaxEmailLen      = 254 // in bytes, as mail servers count it; the others count characters
	MaxResolutionLen = 10_000
)

type contextKey int

const userContextKey contextKey = iota

// NewContextWithUser returns a copy of ctx that carries the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the signed-in user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// Now returns the current time in the precision both databases keep.
func Now() time.Time { return Truncate(time.Now()) }

// Truncate drops what PostgreSQL cannot store (below a microsecond) and the
// location, so a time read back equals the time written on every database.
func Truncate(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// CleanText trims s and checks it against the rules for free text: required
// or not, valid UTF-8, at most max characters (code points) and no NUL bytes
// (PostgreSQL refuses both NUL and invalid UTF-8).
// label is the field as a person would name it, e.g. "The subject".
func CleanText(p *Problems, field, label, s string, required bool, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		p.Add(field, "%s is required.", label)
	case !utf8.ValidString(s):
		p.Add(field, "%s contains bytes that are not valid text (UTF-8); please check how it was encoded.", label)
	case strings.ContainsRune(s, 0):
		p.Add(field, "%s contains a NUL character; please remove it.", label)
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "%s is too long: %d characters, the limit is %d.", label, utf8.RuneCountInString(s), max)
	}
	return s
}

// NormalizeEmail returns the canonical, lower-case form of a bare email
// address, or a plain-language reason why it is not one.
func NormalizeEmail(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "An email address is required."
	}
	if len(s) > MaxEmailLen {
		return "", "That email address is too long."
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "", "That does not look like an email address (for example: name@example.com)."
	}
	// Some letters take more bytes in lower case (Ⱥ, ⱥ): measure what is kept.
	if s = strings.ToLower(s); len(s) > MaxEmailLen {
		return "", "That email address is too long."
	}
	return s, ""
}
