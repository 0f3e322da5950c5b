package desk

import (
	"context"
	"strings"

	"github.com/rapportdesk/rapport"
)

// Authenticate returns the enabled owner of a live bearer token. It asks the
// database every time (one lookup by the token's unique hash), never a
// cache: a revoked token, a disabled account or a changed role holds from
// the very next request on every node, whoever made the change (another
// node, the CLI). BenchmarkAuthenticate measures the cost.
func (d *Desk) Authenticate(ctx context.Context, token string) (*rapport.User, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "Please sign in: send your API token as \"Authorization: Bearer TOKEN\".")
	}
	return d.store.FindUserByTokenHash(ctx, rapport.HashToken(token))
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
// Profile changes the profile in the same transaction.
type UserUpdate struct {
	Name     *string
	Role     *rapport.Role
	Disabled *bool
	Profile  rapport.ProfileUpdate
}

// UpdateUser changes the account with email, for the operator's CLI. See
// updateUser for the rules.
func (d *Desk) UpdateUser(ctx context.Context, email string, up UserUpdate) (*rapport.User, error) {
	return d.updateUser(ctx, func(tx rapport.Tx) (int64, error) {
		u, err := findUser(ctx, tx, email)
		if err != nil {
			return 0, err
		}
		return u.ID, nil
	}, up)
}

// UpdateUserAsAdmin changes the account with id, for a signed-in
// administrator.
func (d *Desk) UpdateUserAsAdmin(ctx context.Context, id int64, up UserUpdate) (*rapport.User, error) {
	if _, err := admin(ctx, "change accounts"); err != nil {
		return nil, err
	}
	return d.updateUser(ctx, func(rapport.Tx) (int64, error) { return id, nil }, up)
}

// updateUser applies up to the account whose id find returns. Disabling or
// enabling revokes every token and web session of the account in the same
// transaction:
// disabling ends all access at once, and enabling starts afresh, so nothing
// issued before the account was disabled comes back (revoking at both ends
// also catches a token created while the account was being disabled). No
// change may leave Rapport without an enabled administrator. The person's
// tickets and history always stay.
func (d *Desk) updateUser(ctx context.Context, find func(rapport.Tx) (int64, error), up UserUpdate) (*rapport.User, error) {
	var u *rapport.User
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		id, err := find(tx)
		if err != nil {
			return err
		}
		// Administrators first, then the account, in every transaction
		// that does both, so that concurrent changes cannot deadlock.
		admins, err := tx.LockAdmins(ctx)
		if err != nil {
			return err
		}
		if u, err = tx.LockUser(ctx, id); err != nil {
			return err
		}
		wasAdmin := u.Role == rapport.RoleAdmin && u.DisabledAt == nil
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
		if err := u.ApplyProfile(up.Profile, LanguageTag); err != nil {
			p = append(p, rapport.ErrorFields(err)...)
		}
		if err := p.Err(); err != nil {
			return err
		}
		if up.Disabled != nil && *up.Disabled != (u.DisabledAt != nil) {
			now := d.now()
			u.DisabledAt = nil
			if *up.Disabled {
				u.DisabledAt = &now
			}
			if _, err := tx.RevokeTokens(ctx, u.ID, now); err != nil {
				return err
			}
			if _, err := tx.RevokeSessions(ctx, u.ID, now); err != nil {
				return err
			}
		}
		isAdmin := u.Role == rapport.RoleAdmin && u.DisabledAt == nil
		if wasAdmin && !isAdmin && len(admins) <= 1 {
			return rapport.Errorf(rapport.ECONFLICT, "%s is the last enabled administrator. Make another account an administrator first, so that someone can still manage Rapport.", u.Email)
		}
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
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
		var p rapport.Problems
		label = rapport.CleanText(&p, "label", "The label", label, false, rapport.MaxNameLen)
		if err := p.Err(); err != nil {
			return err
		}
		s, tok := rapport.NewToken(u.ID, label, d.now())
		secret = s
		return tx.CreateToken(ctx, tok)
	})
	return secret, err
}

// RevokeTokens revokes every token of the account with email, for the
// operator's CLI, and says how many were live.
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
	return n, err
}

// RevokeTokensAsAdmin revokes every token of the account with id, for a
// signed-in administrator.
func (d *Desk) RevokeTokensAsAdmin(ctx context.Context, id int64) (int, error) {
	if _, err := admin(ctx, "revoke other people's tokens"); err != nil {
		return 0, err
	}
	var n int
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		u, err := tx.LockUser(ctx, id)
		if err != nil {
			return err
		}
		n, err = tx.RevokeTokens(ctx, u.ID, d.now())
		return err
	})
	return n, err
}

// Tokens lists the live tokens of the account with email, for the
// operator's CLI.
func (d *Desk) Tokens(ctx context.Context, email string) ([]*rapport.Token, error) {
	addr, why := rapport.NormalizeEmail(email)
	if why != "" {
		return nil, rapport.Invalid("email", "%s", why)
	}
	u, err := d.store.FindUserByEmail(ctx, addr)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no account for %s.", addr)
	} else if err != nil {
		return nil, err
	}
	return d.store.FindTokens(ctx, u.ID)
}

// TokensAsAdmin lists the live tokens of the account with id, for a
// signed-in administrator.
func (d *Desk) TokensAsAdmin(ctx context.Context, id int64) ([]*rapport.Token, error) {
	if _, err := admin(ctx, "see other people's tokens"); err != nil {
		return nil, err
	}
	if _, err := d.store.FindUserByID(ctx, id); err != nil {
		return nil, err
	}
	return d.store.FindTokens(ctx, id)
}

// MyTokens lists the signed-in person's live tokens.
func (d *Desk) MyTokens(ctx context.Context) ([]*rapport.Token, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return d.store.FindTokens(ctx, u.ID)
}

// RevokeMyToken revokes one of the signed-in person's own tokens; anyone
// else's is ENOTFOUND. Revoking the token in use signs the caller out.
func (d *Desk) RevokeMyToken(ctx context.Context, tokenID int64) error {
	u, err := actor(ctx)
	if err != nil {
		return err
	}
	return d.store.Update(ctx, func(tx rapport.Tx) error {
		return tx.RevokeToken(ctx, u.ID, tokenID, d.now())
	})
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
