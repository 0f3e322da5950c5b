package ui

import (
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// accountPage is the signed-in person's own account: their API tokens and
// the change-password form. Passwords are never written back into the
// form after a mistake, as on the sign-in page.
type accountPage struct {
	RoleTitles map[rapport.Role]string
	Tokens     []*rapport.Token
	Error      string
	Errors     formErrors
	// Profile is the profile form (profile.go).
	Profile profileForm
}

// account serves GET /account, for everyone signed in.
func (u *UI) account(w http.ResponseWriter, r *http.Request) error {
	return u.renderAccount(w, r, http.StatusOK, &accountPage{Errors: formErrors{}})
}

func (u *UI) renderAccount(w http.ResponseWriter, r *http.Request, status int, p *accountPage) error {
	p.RoleTitles = roleTitles
	var err error
	if p.Tokens, err = u.desk.MyTokens(r.Context()); err != nil {
		return err
	}
	if p.Profile.Action == "" {
		me, err := u.desk.MyProfile(r.Context())
		if err != nil {
			return err
		}
		p.Profile = profileForm{Action: "/account/profile", Values: profileValues(me), Errors: formErrors{}, Staff: me.IsStaff()}
	}
	u.render(w, r, status, "account", "Your account", p)
	return nil
}

// changePassword serves POST /account/password: the current password and
// the new one twice. A wrong current password counts as a failed sign-in
// (web.SignIn), so a borrowed session cannot be used to guess it. After
// the change every other session of the account has ended; this browser
// gets a fresh one.
func (u *UI) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	me := rapport.UserFromContext(r.Context())
	old, pw, again := r.PostFormValue("old_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password_again")
	p := &accountPage{Errors: formErrors{}}
	failed := func(status int, err error) error {
		if p.Error == "" {
			p.Error = rapport.ErrorMessage(err)
		}
		if s := web.RetryAfterSeconds(err); s > 0 {
			w.Header().Set("Retry-After", itoa(s))
		}
		return u.renderAccount(w, r, status, p)
	}
	if pw != again {
		p.Errors["new_password_again"] = "The two new passwords are not the same. Please type the new one twice."
		return failed(http.StatusUnprocessableEntity, rapport.Invalid("new_password_again", "%s", p.Errors["new_password_again"]))
	}
	for _, limit := range []func() error{func() error { return u.signIn.LimitAddress(r) }, func() error { return u.signIn.LimitAccount(me.Email) }} {
		if err := limit(); err != nil {
			p.Errors["old_password"] = rapport.ErrorMessage(err)
			return failed(web.Status(err), err)
		}
	}
	secret, err := u.desk.ChangeMyPassword(r.Context(), old, pw)
	switch rapport.ErrorCode(err) {
	case "":
	case rapport.EINVALID:
		p.Errors = fieldErrors(err)
		if old != "" && p.Errors["old_password"] != "" {
			u.signIn.Failed(r, me.Email, "wrong current password")
		}
		return failed(http.StatusUnprocessableEntity, err)
	default:
		return err
	}
	web.SetSessionCookie(w, secret, u.secure(r))
	u.redirect(w, r, "/account", "Your password is changed. Anyone else signed in as you has been signed out.")
	return nil
}

// revokeMyToken serves POST /account/tokens/{id}/revoke: one of the
// person's own API tokens stops working. Anyone else's is not found.
func (u *UI) revokeMyToken(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return rapport.Errorf(rapport.ENOTFOUND, "You have no such API token.")
	}
	if err := u.desk.RevokeMyToken(r.Context(), id); err != nil {
		return err
	}
	u.redirect(w, r, "/account", "The API token is revoked: programs using it can no longer reach Rapport.")
	return nil
}
