package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// loginPage is the sign-in form's data. Email is kept after a mistake;
// the password never is.
type loginPage struct {
	Email, Next, Error string
}

// loginForm serves GET /login. Someone already signed in goes on.
func (u *UI) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if rapport.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	u.render(w, r, http.StatusOK, "login", "Sign in", &loginPage{Next: next})
	return nil
}

// login serves POST /login. Failed attempts are throttled per client
// address and per account (web.SignIn); the limit is checked before the
// password, so a blocked guesser learns nothing even when right.
func (u *UI) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return rapport.Errorf(rapport.EINVALID, "The form could not be read; please try again.")
	}
	p := &loginPage{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	if err := u.signIn.LimitAddress(r); err != nil {
		return u.loginFailed(w, r, p, err)
	}
	if err := u.signIn.LimitAccount(p.Email); err != nil {
		return u.loginFailed(w, r, p, err)
	}
	secret, _, err := u.desk.SignIn(r.Context(), p.Email, password)
	switch rapport.ErrorCode(err) {
	case "":
	case rapport.EUNAUTHORIZED:
		u.signIn.Failed(r, p.Email, "wrong email or password")
		return u.loginFailed(w, r, p, err)
	case rapport.EFORBIDDEN:
		u.signIn.Failed(r, p.Email, "account disabled")
		return u.loginFailed(w, r, p, err)
	default:
		return err
	}
	// A new secret at every sign-in; the one this browser had, if any,
	// ends, so a secret planted before sign-in is worth nothing after.
	if old := web.SessionSecret(r); old != "" {
		if err := u.desk.SignOut(r.Context(), old); err != nil {
			return err
		}
	}
	web.SetSessionCookie(w, secret, u.secure(r))
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
	return nil
}

// loginFailed shows the form again with one plain message beside it.
func (u *UI) loginFailed(w http.ResponseWriter, r *http.Request, p *loginPage, err error) error {
	p.Error = rapport.ErrorMessage(err)
	if s := web.RetryAfterSeconds(err); s > 0 {
		w.Header().Set("Retry-After", itoa(s))
	}
	u.render(w, r, web.Status(err), "login", "Sign in", p)
	return nil
}

// logout serves POST /logout: the session ends on the server, not only in
// this browser.
func (u *UI) logout(w http.ResponseWriter, r *http.Request) error {
	if err := u.desk.SignOut(r.Context(), web.SessionSecret(r)); err != nil {
		return err
	}
	web.ClearSessionCookie(w, u.secure(r))
	u.redirect(w, r, "/login", "You are signed out.")
	return nil
}

// safeNext returns next when it is a path on this site, else "/": a link
// to /login?next=https://evil.example must not send anyone elsewhere.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, func(c rune) bool { return c < 0x20 || c == 0x7f || c == '\\' }) {
		return "/"
	}
	v, err := url.Parse(next)
	if err != nil || v.Scheme != "" || v.Host != "" || v.Path == "/login" {
		return "/"
	}
	return next
}
