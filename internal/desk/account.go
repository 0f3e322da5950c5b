package desk

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/rapportdesk/rapport"
)

// An administrator never chooses another person's password: Rapport makes
// one (NewPassword) and shows it once, for the administrator to pass on in
// person or by phone. So no account starts with "Welcome1", no password
// travels in a URL, a cookie or a log, and the person changes it on their
// Account page when they like.

// passwordAlphabet leaves out letters and digits that are easily confused
// when read aloud or from a screen (0/o, 1/l/i).
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewPassword returns a random password of 16 characters from
// passwordAlphabet (about 79 bits), in groups of four for reading aloud:
// "k7mq-x2pf-9ht4-wnca".
func NewPassword() string {
	var b strings.Builder
	for i := range 16 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordAlphabet[randIndex(len(passwordAlphabet))])
	}
	return b.String()
}

// randIndex returns a uniformly random index below n (n <= 256): draws
// that would favour the first indexes are thrown away.
func randIndex(n int) int {
	limit := 256 - 256%n
	var one [1]byte
	for {
		rand.Read(one[:]) // crypto/rand does not fail on supported platforms
		if int(one[0]) < limit {
			return int(one[0]) % n
		}
	}
}

// User returns the account with id, for staff.
func (d *Desk) User(ctx context.Context, id int64) (*rapport.User, error) {
	if _, err := staff(ctx, "see accounts"); err != nil {
		return nil, err
	}
	u, err := d.store.FindUserByID(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no account number %d.", id)
	}
	return u, err
}

// AddUserWithNewPassword creates an account for a signed-in administrator,
// with a password from NewPassword, which it returns: the only time anyone
// sees it.
func (d *Desk) AddUserWithNewPassword(ctx context.Context, email, name string, role rapport.Role) (*rapport.User, string, error) {
	if _, err := admin(ctx, "add accounts"); err != nil {
		return nil, "", err
	}
	pw := NewPassword()
	u, err := d.AddUserWithPassword(ctx, email, name, role, pw)
	if err != nil {
		return nil, "", err
	}
	return u, pw, nil
}

// ResetPasswordAsAdmin gives the account with id a new password from
// NewPassword, for a signed-in administrator, and ends every web session
// of the account: whoever is signed in with the old one is signed out. It
// returns the password, shown only this once. API tokens stay; revoking
// them is a separate choice (RevokeTokensAsAdmin).
func (d *Desk) ResetPasswordAsAdmin(ctx context.Context, id int64) (string, error) {
	if _, err := admin(ctx, "reset other people's passwords"); err != nil {
		return "", err
	}
	pw := NewPassword()
	hash := hashPassword(pw, DefaultPasswordParams) // outside the write: it takes a while
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		u, err := tx.LockUser(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.SetPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		_, err = tx.RevokeSessions(ctx, u.ID, d.now())
		return err
	})
	if err != nil {
		return "", err
	}
	return pw, nil
}

// ChangeMyPassword sets the signed-in person's password, given their
// current one. Every session of the account ends, the caller's too, and a
// new session starts for the caller, whose secret it returns for the
// browser's cookie: anyone else signed in as them is signed out. A wrong
// current password is an EINVALID error on the field "old_password" (the
// caller should count it as a failed sign-in); a new password that breaks
// the rules is one on "new_password". Both are reported together.
func (d *Desk) ChangeMyPassword(ctx context.Context, old, password string) (string, error) {
	me, err := actor(ctx)
	if err != nil {
		return "", err
	}
	var p rapport.Problems
	_, hash, err := d.store.FindCredentials(ctx, me.Email)
	if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return "", err
	}
	switch {
	case old == "":
		p.Add("old_password", "Type your current password, so that nobody else can change it at your desk.")
	case hash == "":
		verifyPassword(dummyHash(), old, DefaultPasswordParams)
		p.Add("old_password", "That is not your current password.")
	default:
		ok, _, err := verifyPassword(hash, old, DefaultPasswordParams)
		if err != nil {
			return "", err
		}
		if !ok {
			p.Add("old_password", "That is not your current password.")
		}
	}
	if err := rapport.CheckPassword(password, me.Email); err != nil {
		for _, f := range rapport.ErrorFields(err) {
			p.Add("new_password", "%s", f.Message)
		}
	} else if password == old {
		p.Add("new_password", "The new password is the same as the current one; please choose a different one.")
	}
	if err := p.Err(); err != nil {
		return "", err
	}
	newHash := hashPassword(password, DefaultPasswordParams)
	now := d.now()
	secret, s := rapport.NewSession(me.ID, now)
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		if err := tx.SetPasswordHash(ctx, me.ID, newHash); err != nil {
			return err
		}
		if _, err := tx.RevokeSessions(ctx, me.ID, now); err != nil {
			return err
		}
		return tx.CreateSession(ctx, s)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}
