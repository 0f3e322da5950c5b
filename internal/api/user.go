package api

import (
	"net/http"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := web.Page(r)
	if err != nil {
		return err
	}
	role := rapport.Role(r.URL.Query().Get("role"))
	if role != "" && !role.Valid() {
		return rapport.Invalid("role", "The role must be one of requester, agent, supervisor or admin.")
	}
	f := rapport.UserFilter{Role: role, Query: r.URL.Query().Get("q"), After: cursor, Limit: limit}
	users, next, err := h.desk.Users(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]*userJSON, len(users))
	for i, u := range users {
		out[i] = toUser(u)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"users": out, "next": nullable(web.SetNext(w, r, next))})
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Role  string `json:"role"`
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	if in.Role == "" {
		in.Role = string(rapport.RoleRequester)
	}
	u, err := h.desk.AddUserAsAdmin(r.Context(), in.Email, in.Name, rapport.Role(in.Role))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, toUser(u))
}
