package rapport

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// How long a web session lasts. It ends SessionIdle after its last use, and
// SessionMaxAge after sign-in whatever happens, so a forgotten browser on a
// shared computer does not stay signed in for long, and a stolen cookie
// does not work for ever.
const (
	SessionIdle   = 12 * time.Hour
	SessionMaxAge = 30 * 24 * time.Hour
	// SessionTouchEvery is how stale a session's last use may get before a
	// request records it again: at most one write a minute per session,
	// which spares the SQLite writer on every page view.
	SessionTouchEvery = time.Minute
)

// Session is a person signed in to the web UI from one browser. The secret
// in the browser's cookie is never stored: ID is its SHA-256 hash, so a copy
// of the database signs nobody in.
type Session struct {
	ID         string // HashToken of the cookie's secret
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // see Expiry
	RevokedAt  *time.Time
}

// NewSession returns a fresh random secret for userID and the Session that
// stores its hash. The secret goes in the cookie only.
func NewSession(userID int64, now time.Time) (string, *Session) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	s := &Session{ID: HashToken(secret), UserID: userID, CreatedAt: now, LastSeenAt: now}
	s.ExpiresAt = s.Expiry()
	return secret, s
}

// Expiry returns when s ends if it is not used again: SessionIdle after its
// last use, but never later than SessionMaxAge after it began.
func (s *Session) Expiry() time.Time {
	idle, hard := s.LastSeenAt.Add(SessionIdle), s.CreatedAt.Add(SessionMaxAge)
	if hard.Before(idle) {
		return hard
	}
	return idle
}

// Live reports whether s may still be used at now.
func (s *Session) Live(now time.Time) bool {
	return s.RevokedAt == nil && now.Before(s.ExpiresAt)
}

// Touch records a use of s at now and reports whether it needs saving:
// only when the last recorded use is SessionTouchEvery old or more.
func (s *Session) Touch(now time.Time) bool {
	if now.Sub(s.LastSeenAt) < SessionTouchEvery {
		return false
	}
	s.LastSeenAt = now
	s.ExpiresAt = s.Expiry()
	return true
}
