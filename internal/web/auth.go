package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/rapportdesk/rapport"
)

// Authenticator turns a bearer token into a user.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*rapport.User, error)
}

// RequireUser lets a request through only with a valid bearer token, and
// puts its user in the request context.
func RequireUser(log *slog.Logger, auth Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		scheme, token, _ := strings.Cut(h, " ")
		if h == "" || !strings.EqualFold(scheme, "Bearer") {
			Error(log, w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "Please sign in: send your API token as \"Authorization: Bearer TOKEN\"."))
			return
		}
		u, err := auth.Authenticate(r.Context(), token)
		if err != nil {
			Error(log, w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(rapport.NewContextWithUser(r.Context(), u)))
	})
}
