package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/ratelimit"
)

// Authenticator turns a bearer token into a user.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*rapport.User, error)
}

// RequireUser lets a request through only with a valid bearer token, and
// puts its user in the request context. A wrong token counts as a failed
// sign-in of the client's address (see SignIn); while the address has
// failed too often every bearer request from it answers 429, the right
// token included, so that guessing gains nothing.
func RequireUser(log *slog.Logger, auth Authenticator, signIn *SignIn, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		scheme, token, _ := strings.Cut(h, " ")
		if h == "" || !strings.EqualFold(scheme, "Bearer") {
			Error(log, w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "Please sign in: send your API token as \"Authorization: Bearer TOKEN\"."))
			return
		}
		if err := signIn.LimitAddress(r); err != nil {
			Error(log, w, r, err)
			return
		}
		u, err := auth.Authenticate(r.Context(), token)
		if err != nil {
			if rapport.ErrorCode(err) == rapport.EUNAUTHORIZED {
				reason := "unknown, revoked or disabled token"
				if strings.TrimSpace(token) == "" {
					reason = "empty bearer token"
				}
				signIn.Failed(r, "", reason)
			}
			Error(log, w, r, err)
			return
		}
		// The route goes with the user, for the audit log of reads.
		ctx := rapport.NewContextWithRoute(rapport.NewContextWithUser(r.Context(), u), rapport.RouteAPI)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// The default sign-in allowances (see NewSignIn).
const (
	AddressFailures = 10 // failed sign-ins per client address per minute
	AccountFailures = 5  // failed sign-ins per account per minute
	maxSignInKeys   = 100_000
)

// SignIn throttles failed sign-in attempts per client address and per
// account, and logs each failure (address, account, reason; never the
// secret). Bearer tokens use the address limit; the password sign-in uses
// both: LimitAddress and LimitAccount before checking, Failed after.
type SignIn struct {
	ByAddress *ratelimit.Limiter
	ByAccount *ratelimit.Limiter
	log       *slog.Logger
}

// NewSignIn returns a SignIn with the default allowances: AddressFailures
// and AccountFailures a minute, each refilling one at a time.
func NewSignIn(log *slog.Logger) *SignIn {
	return &SignIn{
		ByAddress: ratelimit.New(AddressFailures, time.Minute, maxSignInKeys),
		ByAccount: ratelimit.New(AccountFailures, time.Minute, maxSignInKeys),
		log:       log,
	}
}

// LimitAddress returns an ETOOMANY error, which Error answers with 429 and
// Retry-After, while r's client address has failed too often.
func (s *SignIn) LimitAddress(r *http.Request) error {
	return tooMany(s.ByAddress.Wait(ClientAddress(r)), "from your address")
}

// LimitAccount is LimitAddress for the account with email; the sign-in form
// calls it before checking a password.
func (s *SignIn) LimitAccount(email string) error {
	return tooMany(s.ByAccount.Wait(accountKey(email)), "for this account")
}

// Failed records and logs a failed sign-in from r. account is the email
// tried, or "" when the attempt named none (a bearer token).
func (s *SignIn) Failed(r *http.Request, account, reason string) {
	addr := ClientAddress(r)
	wait := s.ByAddress.Fail(addr)
	attrs := []any{"addr", addr, "reason", reason, "method", r.Method, "path", r.URL.Path}
	if account != "" {
		wait = max(wait, s.ByAccount.Fail(accountKey(account)))
		attrs = append(attrs, "account", accountKey(account))
	}
	if wait > 0 {
		attrs = append(attrs, "blocked_for", wait.String())
	}
	s.log.Warn("sign-in failed", attrs...)
}

func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ClientAddress returns the address a request came from, as a limiter key:
// the IP, or for IPv6 its /64 network, which one client usually holds
// whole.
func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// retryAfter is an error that tells the client when to try again.
type retryAfter struct {
	err   error
	after time.Duration
}

func (e *retryAfter) Error() string { return e.err.Error() }
func (e *retryAfter) Unwrap() error { return e.err }

func tooMany(wait time.Duration, where string) error {
	if wait <= 0 {
		return nil
	}
	secs := retrySeconds(wait)
	return &retryAfter{after: wait, err: rapport.Errorf(rapport.ETOOMANY,
		"Too many failed sign-in attempts %s. Please wait %d second%s and try again.", where, secs, plural(secs))}
}

// retrySeconds rounds a wait up to whole seconds, as Retry-After counts.
func retrySeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// setRetryAfter sets the Retry-After header when err says when to retry.
func setRetryAfter(w http.ResponseWriter, err error) {
	var ra *retryAfter
	if errors.As(err, &ra) {
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(ra.after)))
	}
}
