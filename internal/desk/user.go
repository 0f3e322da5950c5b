package desk

import (
	"context"
	"strings"

	"github.com/rapportdesk/rapport"
)

// Authenticate returns the user owning a bearer token. Answers are cached
// for TokenCacheTTL, so a revocation or a role change made on another node
// takes effect within that time (at once on this one).
func (d *Desk) Authenticate(ctx context.Context, token string) (*rapport.User, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "Please sign in: send your API token as \"Authorization: Bearer TOKEN\".")
	}
	hash := rapport.HashToken(token)
	now := d.Now()
	if u := d.tokens.get(hash, now); u != nil {
		return u, nil
	}
	u, err := d.store.FindUserByTokenHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	d.tokens.put(hash, u, now)
	return u, nil
}

// AddUser creates an account. It is used by the CLI, which runs as the
// machine's operator, and by administrators through the API.
func (d *Desk) AddUser(ctx context.Context, email, name string, role rapport.Role) (*rapport.User, error) {
	u, err := rapport.NewUser(email, name, role, d.now())
	if err != nil {
		return nil, err
	}
	err = d.store.Update(ctx, func(tx rapport.Tx) error { return tx.CreateUser(ctx, u) })
	if err != nil {
		return nil, err
	}
	return u, nil
}

// AddUserAsAdmin is AddUser for a signed-in administrator.
func (d *Desk) AddUserAsAdmin(ctx context.Context, email, name string, role rapport.Role) (*rapport.User, error) {
	if _, err := admin(ctx, "add accounts"); err != nil {
		return nil, err
	}
	return d.AddUser(ctx, email, name, role)
}

// Users returns a page of accounts for staff, and the next page's cursor.
func (d *Desk) Users(ctx context.Context, f rapport.UserFilter) ([]*rapport.User, string, error) {
	if _, err := staff(ctx, "list accounts"); err != nil {
		return nil, "", err
	}
	return d.store.FindUsers(ctx, f)
}

// AllUsers returns a page of accounts for the operator's CLI, and the next
// page's cursor.
func (d *Desk) AllUsers(ctx context.Context, f rapport.UserFilter) ([]*rapport.User, string, error) {
	return d.store.FindUsers(ctx, f)
}

// UserUpdate holds the account fields to change; nil leaves one as it is.
type UserUpdate struct {
	Name     *string
	Role     *rapport.Role
	Disabled *bool
}

// UpdateUser changes an account found by email. Disabling revokes nothing
// but stops sign-in; the person's tickets and history stay.
func (d *Desk) UpdateUser(ctx context.Context, email string, up UserUpdate) (*rapport.User, error) {
	var u *rapport.User
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if u, err = findUser(ctx, tx, email); err != nil {
			return err
		}
		var p rapport.Problems
		if up.Name != nil {
			u.Name = rapport.CleanText(&p, "name", "The name", *up.Name, true, rapport.MaxNameLen)
		}
		if up.Role != nil {
			if !up.Role.Valid() {
				p.Add("role", "The role must be one of requester, agent, supervisor or admin.")
			}
			u.Role = *up.Role
		}
		if err := p.Err(); err != nil {
			return err
		}
		if up.Disabled != nil {
			u.DisabledAt = nil
			if *up.Disabled {
				now := d.now()
				u.DisabledAt = &now
			}
		}
		return tx.UpdateUser(ctx, u)
	})
	d.tokens.clear()
	return u, err
}

// CreateToken issues a new API token for the account with email and returns
// the secret, which is shown only this once.
func (d *Desk) CreateToken(ctx context.Context, email, label string) (string, error) {
	var secret string
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		u, err := findUser(ctx, tx, email)
		if err != nil {
			return err
		}
		if u.DisabledAt != nil {
			return rapport.Errorf(rapport.ECONFLICT, "The account %s is disabled; enable it before issuing a token.", u.Email)
		}
		s, tok := rapport.NewToken(u.ID, label, d.now())
		secret = s
		return tx.CreateToken(ctx, tok)
	})
	return secret, err
}

// RevokeTokens revokes every token of the account with email.
func (d *Desk) RevokeTokens(ctx context.Context, email string) (int, error) {
	var n int
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		u, err := findUser(ctx, tx, email)
		if err != nil {
			return err
		}
		n, err = tx.RevokeTokens(ctx, u.ID, d.now())
		return err
	})
	d.tokens.clear()
	return n, err
}

func findUser(ctx context.Context, tx rapport.Tx, email string) (*rapport.User, error) {
	addr, why := rapport.NormalizeEmail(email)
	if why != "" {
		return nil, rapport.Invalid("email", "%s", why)
	}
	u, err := tx.FindUserByEmail(ctx, addr)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no account for %s.", addr)
	}
	return u, err
}
