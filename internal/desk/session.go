package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/rapportdesk/rapport"
)

// errWrongSignIn is the one answer to a wrong email or password: it does
// not say which part was wrong, so it tells nobody which accounts exist.
func errWrongSignIn() error {
	return rapport.Errorf(rapport.EUNAUTHORIZED, "That email and password do not match. Please check both and try again.")
}

// errSessionEnded asks a person whose session is over to sign in again.
func errSessionEnded() error {
	return rapport.Errorf(rapport.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
}

// dummyHash is checked when an email has no account or no password, so
// that a wrong email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	var b [16]byte
	rand.Read(b[:])
	return hashPassword(hex.EncodeToString(b[:]), DefaultPasswordParams)
})

// SignIn checks an email and password and starts a web session. It
// returns the session's secret, for the browser's cookie only, and the
// person. Wrong credentials are EUNAUTHORIZED with one message whatever
// was wrong; an unknown email costs a hash all the same. A hash made with
// older costs is replaced by one with today's.
func (d *Desk) SignIn(ctx context.Context, email, password string) (string, *rapport.User, error) {
	var u *rapport.User
	var hash string
	if addr, why := rapport.NormalizeEmail(email); why == "" {
		var err error
		u, hash, err = d.store.FindCredentials(ctx, addr)
		if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return "", nil, err
		}
	}
	if hash == "" {
		verifyPassword(dummyHash(), password, DefaultPasswordParams)
		return "", nil, errWrongSignIn()
	}
	ok, stale, err := verifyPassword(hash, password, DefaultPasswordParams)
	if err != nil {
		return "", nil, fmt.Errorf("sign in %s: %w", u.Email, err)
	}
	if !ok {
		return "", nil, errWrongSignIn()
	}
	if u.DisabledAt != nil {
		// Only someone who knows the password learns this.
		return "", nil, rapport.Errorf(rapport.EFORBIDDEN, "This account is disabled. Please ask a help desk administrator to enable it.")
	}
	var rehash string
	if stale {
		rehash = hashPassword(password, DefaultPasswordParams) // outside the write: it takes a while
	}
	now := d.now()
	secret, s := rapport.NewSession(u.ID, now)
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		// Sign-in is rare next to page views: a fine moment to sweep.
		if _, err := tx.DeleteSessions(ctx, now); err != nil {
			return err
		}
		if rehash != "" {
			if err := tx.SetPasswordHash(ctx, u.ID, rehash); err != nil {
				return err
			}
		}
		return tx.CreateSession(ctx, s)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, u, nil
}

// SessionUser returns the person signed in with a session secret. Like
// Authenticate it reads the database on every call, so signing out,
// disabling the account or changing its password ends the session on the
// very next request, on every node. Use is recorded at most once every
// rapport.SessionTouchEvery, which is what keeps an idle session alive.
func (d *Desk) SessionUser(ctx context.Context, secret string) (*rapport.User, error) {
	if secret == "" {
		return nil, errSessionEnded()
	}
	s, u, err := d.store.FindSession(ctx, rapport.HashToken(secret))
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, errSessionEnded()
	} else if err != nil {
		return nil, err
	}
	now := d.now()
	if !s.Live(now) || u.DisabledAt != nil {
		return nil, errSessionEnded()
	}
	if s.Touch(now) {
		if err := d.store.Update(ctx, func(tx rapport.Tx) error { return tx.TouchSession(ctx, s) }); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// SignOut ends the session with secret. Ending an ended or unknown
// session is no error: the person is signed out either way.
func (d *Desk) SignOut(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return d.store.Update(ctx, func(tx rapport.Tx) error {
		return tx.RevokeSession(ctx, rapport.HashToken(secret), d.now())
	})
}

// SetPassword gives the account with email a new web UI password, for the
// operator's CLI, and ends every session of the account: whoever was signed
// in with the old password is signed out. It says how many sessions ended.
func (d *Desk) SetPassword(ctx context.Context, email, password string) (int, error) {
	addr, why := rapport.NormalizeEmail(email)
	if why != "" {
		return 0, rapport.Invalid("email", "%s", why)
	}
	if err := rapport.CheckPassword(password, addr); err != nil {
		return 0, err
	}
	hash := hashPassword(password, DefaultPasswordParams)
	var n int
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		u, err := findUser(ctx, tx, addr)
		if err != nil {
			return err
		}
		if err := tx.SetPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		n, err = tx.RevokeSessions(ctx, u.ID, d.now())
		return err
	})
	return n, err
}

// AddUserWithPassword is AddUser for an account that signs in to the web
// UI: the account and its password are stored together or not at all.
func (d *Desk) AddUserWithPassword(ctx context.Context, email, name string, role rapport.Role, password string) (*rapport.User, error) {
	u, err := rapport.NewUser(email, name, role, d.now())
	if err != nil {
		return nil, err
	}
	if err := rapport.CheckPassword(password, u.Email); err != nil {
		return nil, err
	}
	hash := hashPassword(password, DefaultPasswordParams)
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.SetPasswordHash(ctx, u.ID, hash)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
