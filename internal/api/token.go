package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// tokenJSON is an API token as the API shows it: never the secret or its
// hash, which are shown once at creation and not stored respectively.
type tokenJSON struct {
	ID        int64     `json:"id"`
	Label     string    `json:"label"`
	CreatedAt time.Time `json:"created_at"`
}

func writeTokens(w http.ResponseWriter, toks []*rapport.Token) error {
	out := make([]tokenJSON, len(toks))
	for i, t := range toks {
		out[i] = tokenJSON{ID: t.ID, Label: t.Label, CreatedAt: t.CreatedAt}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"tokens": out})
}

// myTokens lists the caller's live tokens, newest first.
func (h *Handler) myTokens(w http.ResponseWriter, r *http.Request) error {
	toks, err := h.desk.MyTokens(r.Context())
	if err != nil {
		return err
	}
	return writeTokens(w, toks)
}

// revokeMyToken revokes one of the caller's tokens; it fails from the next
// request on. Revoking the token in use signs the caller out.
func (h *Handler) revokeMyToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no token %q: token ids are whole numbers like 3.", r.PathValue("id"))
	}
	if err := h.desk.RevokeMyToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// userTokens lists an account's live tokens (admins).
func (h *Handler) userTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	toks, err := h.desk.TokensAsAdmin(r.Context(), id)
	if err != nil {
		return err
	}
	return writeTokens(w, toks)
}

// revokeUserTokens revokes every token of an account (admins) and says how
// many were live.
func (h *Handler) revokeUserTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	n, err := h.desk.RevokeTokensAsAdmin(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]int{"revoked": n})
}
