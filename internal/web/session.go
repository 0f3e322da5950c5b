package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/rapportdesk/rapport"
)

// SessionCookie names the cookie that carries a web UI session's secret.
const SessionCookie = "rapport_session"

// SessionAuthenticator turns a session secret into its signed-in user.
type SessionAuthenticator interface {
	SessionUser(ctx context.Context, secret string) (*rapport.User, error)
}

// LoadSession puts the user of the request's session cookie in the request
// context when the session is live, and clears the cookie of an ended one;
// without a session the request goes on with no user, for the handler to
// send to the sign-in page or not. Mount it on web UI routes only: the API
// never reads the cookie (RequireUser takes bearer tokens), which keeps
// cross-site request forgery away from it altogether. Other failures (the
// database is down) go to fail.
func LoadSession(auth SessionAuthenticator, secure func(*http.Request) bool, fail func(http.ResponseWriter, *http.Request, error), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret := SessionSecret(r)
		if secret == "" {
			next.ServeHTTP(w, r)
			return
		}
		u, err := auth.SessionUser(r.Context(), secret)
		switch {
		case rapport.ErrorCode(err) == rapport.EUNAUTHORIZED:
			ClearSessionCookie(w, secure(r))
			next.ServeHTTP(w, r)
		case err != nil:
			fail(w, r, err)
		default:
			if info := RequestFromContext(r.Context()); info != nil {
				info.UserID = u.ID // for the access log
			}
			// The route goes with the user, for the audit log of reads.
			ctx := rapport.NewContextWithRoute(rapport.NewContextWithUser(r.Context(), u), rapport.RouteWeb)
			next.ServeHTTP(w, r.WithContext(ctx))
		}
	})
}

// SessionSecret returns the session secret the request's cookie carries.
func SessionSecret(r *http.Request) string {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// SetSessionCookie gives the browser a session's secret. The cookie is out
// of scripts' reach (HttpOnly), not sent with cross-site requests other
// than top-level navigation (SameSite=Lax), sent only over TLS when secure,
// and kept until the session's absolute end; the server ends it earlier
// when it is idle.
func SetSessionCookie(w http.ResponseWriter, secret string, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/",
		MaxAge:   int(rapport.SessionMaxAge.Seconds()),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookie tells the browser to forget its session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}

// SecureRequests returns a test of whether a request reached Rapport over
// TLS: directly (r.TLS), or always when the public URL people use starts
// with https:// (TLS ends at a proxy in front).
func SecureRequests(publicURL string) func(*http.Request) bool {
	behindTLS := strings.HasPrefix(strings.ToLower(publicURL), "https://")
	return func(r *http.Request) bool { return behindTLS || r.TLS != nil }
}

// Status returns the HTTP status for err, from the one table in web.go.
func Status(err error) int { return statuses[rapport.ErrorCode(err)] }

// RetryAfterSeconds returns how many seconds an ETOOMANY error asks the
// client to wait, or 0.
func RetryAfterSeconds(err error) int {
	var ra *retryAfter
	if errors.As(err, &ra) {
		return retrySeconds(ra.after)
	}
	return 0
}
