package api

import (
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
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
	users, next, err := h.desk.UsersWithProfiles(r.Context(), f) // profiles: audited
	if err != nil {
		return err
	}
	out := make([]*userJSON, len(users))
	for i, u := range users {
		out[i] = toUser(r, u)
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
	return web.JSON(w, http.StatusCreated, toUser(r, u))
}

// updateUser changes an account: its name, role and disabled state
// (admins; disabling or enabling revokes every token of the account), and
// its profile (staff, on requesters; see desk.UpdateProfile), all in one
// transaction.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	var in struct {
		Name     *string `json:"name"`
		Role     *string `json:"role"`
		Disabled *bool   `json:"disabled"`
		profileJSON
	}
	if err := web.Decode(w, r, &in); err != nil {
		return err
	}
	var u *rapport.User
	if in.Name == nil && in.Role == nil && in.Disabled == nil {
		u, err = h.desk.UpdateProfile(r.Context(), id, in.update())
	} else {
		up := desk.UserUpdate{Name: in.Name, Disabled: in.Disabled, Profile: in.update()}
		if in.Role != nil {
			role := rapport.Role(*in.Role)
			up.Role = &role
		}
		u, err = h.desk.UpdateUserAsAdmin(r.Context(), id, up)
	}
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toUser(r, u))
}

// userID reads the {id} path segment of a user route.
func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no user %q: user ids are whole numbers like 7.", r.PathValue("id"))
	}
	return id, nil
}
