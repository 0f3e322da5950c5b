package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// usersPageSize is how many people one page of the Users list shows.
const usersPageSize = 50

var roleOptions = []option{
	{string(rapport.RoleRequester), "Requester: asks for help"},
	{string(rapport.RoleAgent), "Agent: works on tickets"},
	{string(rapport.RoleSupervisor), "Supervisor: an agent who can see everyone's accounts"},
	{string(rapport.RoleAdmin), "Administrator: also manages accounts"},
}

// roleTitles name each role on its own.
var roleTitles = map[rapport.Role]string{
	rapport.RoleRequester:  "Requester",
	rapport.RoleAgent:      "Agent",
	rapport.RoleSupervisor: "Supervisor",
	rapport.RoleAdmin:      "Administrator",
}

// roleNames say each role in a sentence: "Ann is now an agent".
var roleNames = map[rapport.Role]string{
	rapport.RoleRequester:  "a requester",
	rapport.RoleAgent:      "an agent",
	rapport.RoleSupervisor: "a supervisor",
	rapport.RoleAdmin:      "an administrator",
}

// usersPage is the Users list with its filters, and for administrators
// the form that adds a person, as typed.
type usersPage struct {
	RoleTitles      map[rapport.Role]string
	Admin           bool
	Q               string
	Selects         []selectField
	Users           []*rapport.User
	Next, FirstPage string
	Later, Filtered bool
	Error           string
	Add             addUserForm
}

// addUserForm is the "Add a person" form, kept after a mistake.
type addUserForm struct {
	Name, Email string
	Role        selectField
	Error       string
	Errors      formErrors
}

// supervising refuses anyone but supervisors and administrators. The desk
// lets any member of staff list accounts (agents need names to assign);
// these pages are a supervisor's tool, so agents do not get them.
func supervising(r *http.Request) error {
	if me := rapport.UserFromContext(r.Context()); me.Role != rapport.RoleAdmin && me.Role != rapport.RoleSupervisor {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only supervisors and administrators can see the list of people.")
	}
	return nil
}

func isAdmin(r *http.Request) bool {
	return rapport.UserFromContext(r.Context()).Role == rapport.RoleAdmin
}

// users serves GET /users: people, filtered by role and by the
// start of a name or email address, paged by cursor.
func (u *UI) users(w http.ResponseWriter, r *http.Request) error {
	add := addUserForm{Role: selectField{ID: "new-role", Label: "Role", Value: string(rapport.RoleRequester), Options: roleOptions}, Errors: formErrors{}}
	return u.renderUsers(w, r, http.StatusOK, add)
}

func (u *UI) renderUsers(w http.ResponseWriter, r *http.Request, status int, add addUserForm) error {
	if err := supervising(r); err != nil {
		return err
	}
	qs := r.URL.Query()
	p := &usersPage{RoleTitles: roleTitles, Admin: isAdmin(r), Q: strings.TrimSpace(qs.Get("q")), Later: qs.Get("cursor") != "", Add: add}
	role := qs.Get("role")
	p.Filtered = p.Q != "" || role != ""
	roleSel := selectField{ID: "role", Label: "Filter by role", Value: role, Options: append([]option{{"", "Any role"}}, roleOptions...)}
	if !known(roleSel.Options, role) {
		roleSel.Error = "Choose a role from the list."
	} else {
		us, next, err := u.desk.Users(r.Context(), rapport.UserFilter{Role: rapport.Role(role), Query: p.Q, After: qs.Get("cursor"), Limit: usersPageSize})
		switch rapport.ErrorCode(err) {
		case "":
			p.Users, p.Next = us, web.SetNext(w, r, next)
		case rapport.EINVALID:
			p.Error = rapport.ErrorMessage(err)
			for _, f := range rapport.ErrorFields(err) {
				p.Error = f.Message + " Start again from the first page."
			}
		default:
			return err
		}
	}
	if roleSel.Error != "" || p.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	p.Selects = []selectField{roleSel}
	if p.Later {
		first := r.URL.Query()
		first.Del("cursor")
		p.FirstPage = pageURL(r.URL.Path, first)
	}
	u.render(w, r, status, "users", "Users", p)
	return nil
}

// passwordPage shows a password Rapport made, this once. It is rendered
// in answer to the POST itself, never redirected to: the password must not
// travel in a URL or a cookie. Pages are never cached (see render).
type passwordPage struct {
	Person   *rapport.User
	Password string
	New      bool
}

// addUser serves POST /users: an administrator adds a person; the page
// that follows shows their first password once.
func (u *UI) addUser(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := addUserForm{
		Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Role:   selectField{ID: "new-role", Label: "Role", Value: r.PostFormValue("role"), Options: roleOptions},
		Errors: formErrors{},
	}
	person, pw, err := u.desk.AddUserWithNewPassword(r.Context(), f.Email, f.Name, rapport.Role(f.Role.Value))
	switch rapport.ErrorCode(err) {
	case "":
	case rapport.EINVALID, rapport.ECONFLICT:
		f.Error, f.Errors = rapport.ErrorMessage(err), fieldErrors(err)
		if rapport.ErrorCode(err) == rapport.ECONFLICT && len(f.Errors) == 0 {
			f.Errors["email"] = f.Error
		}
		f.Role.Error = f.Errors["role"]
		return u.renderUsers(w, r, formStatus(err), f)
	default:
		return err
	}
	u.render(w, r, http.StatusOK, "password", "New password for "+person.Name, &passwordPage{Person: person, Password: pw, New: true})
	return nil
}

// userPage is one person's account: what staff may know, and for an
// administrator the forms that change it.
type userPage struct {
	RoleTitles  map[rapport.Role]string
	Person      *rapport.User
	Admin, Self bool
	Role        selectField
	Tokens      []*rapport.Token
	Error       string
	// Strikes is the person's strike history (strikes.go).
	Strikes []*rapport.Strike
}

// user serves GET /users/{id}.
func (u *UI) user(w http.ResponseWriter, r *http.Request) error {
	return u.renderUser(w, r, http.StatusOK, "", "")
}

// renderUser shows the account of the path's id, with a message about a
// change that was refused: beside the role field when field is "role",
// at the top otherwise.
func (u *UI) renderUser(w http.ResponseWriter, r *http.Request, status int, field, message string) error {
	if err := supervising(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	person, err := u.desk.User(r.Context(), id)
	if err != nil {
		return err
	}
	p := &userPage{RoleTitles: roleTitles, Person: person, Admin: isAdmin(r), Self: person.ID == rapport.UserFromContext(r.Context()).ID,
		Role: selectField{ID: "role", Label: "Role", Value: string(person.Role), Options: roleOptions}}
	if field == "role" {
		p.Role.Error = message
	} else {
		p.Error = message
	}
	if p.Strikes, err = u.desk.UserStrikes(r.Context(), id); err != nil {
		return err
	}
	if p.Admin {
		if p.Tokens, err = u.desk.TokensAsAdmin(r.Context(), id); err != nil {
			return err
		}
	}
	u.render(w, r, status, "user", person.Name, p)
	return nil
}

// changeRole serves POST /users/{id}/role.
func (u *UI) changeRole(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	role := rapport.Role(r.PostFormValue("role"))
	return u.updateUser(w, r, desk.UserUpdate{Role: &role}, func(p *rapport.User) string {
		return fmt.Sprintf("%s is now %s.", p.Name, roleNames[p.Role])
	})
}

// disableUser serves POST /users/{id}/disable: the person is signed out
// everywhere and their API tokens stop working (the desk does both).
func (u *UI) disableUser(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	yes := true
	return u.updateUser(w, r, desk.UserUpdate{Disabled: &yes}, func(p *rapport.User) string {
		return fmt.Sprintf("%s's account is disabled: they are signed out, and their API tokens no longer work.", p.Name)
	})
}

// enableUser serves POST /users/{id}/enable.
func (u *UI) enableUser(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	no := false
	return u.updateUser(w, r, desk.UserUpdate{Disabled: &no}, func(p *rapport.User) string {
		return fmt.Sprintf("%s's account is enabled again: they can sign in with their password. Their old API tokens stay revoked.", p.Name)
	})
}

// updateUser applies up to the path's account (its form already read) and goes back to its page
// with done's message; a refusal (the last administrator, a bad role) is
// shown on the page.
func (u *UI) updateUser(w http.ResponseWriter, r *http.Request, up desk.UserUpdate, done func(*rapport.User) string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := u.desk.UpdateUserAsAdmin(r.Context(), id, up)
	switch rapport.ErrorCode(err) {
	case "":
	case rapport.EINVALID, rapport.ECONFLICT:
		field := ""
		if up.Role != nil {
			field = "role"
		}
		msg := rapport.ErrorMessage(err)
		if fs := rapport.ErrorFields(err); len(fs) > 0 {
			msg = fs[0].Message
		}
		return u.renderUser(w, r, formStatus(err), field, msg)
	default:
		return err
	}
	u.redirect(w, r, fmt.Sprintf("/users/%d", p.ID), done(p))
	return nil
}

// resetPassword serves POST /users/{id}/password: Rapport makes a new
// password, shows it this once, and the person's sessions end.
func (u *UI) resetPassword(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pw, err := u.desk.ResetPasswordAsAdmin(r.Context(), id)
	if err != nil {
		return err
	}
	person, err := u.desk.User(r.Context(), id)
	if err != nil {
		return err
	}
	u.render(w, r, http.StatusOK, "password", "New password for "+person.Name, &passwordPage{Person: person, Password: pw})
	return nil
}

// revokeUserTokens serves POST /users/{id}/tokens/revoke: every API token
// of the person stops working.
func (u *UI) revokeUserTokens(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := u.desk.RevokeTokensAsAdmin(r.Context(), id)
	if err != nil {
		return err
	}
	msg := "There were no API tokens to revoke."
	if n > 0 {
		msg = plural(n, "API token") + " revoked: programs using them can no longer reach Rapport."
	}
	u.redirect(w, r, fmt.Sprintf("/users/%d", id), msg)
	return nil
}

// formStatus is the status of a form shown again with err beside its
// fields: 422 for a mistake in it, else err's own (409 for a conflict).
func formStatus(err error) int {
	if rapport.ErrorCode(err) == rapport.EINVALID {
		return http.StatusUnprocessableEntity
	}
	return web.Status(err)
}

// pathID reads the {id} of the path; anything but a positive number is a
// page that does not exist.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "There is no page at this address. It may have moved, or the link may be mistyped.")
	}
	return id, nil
}

// readForm reads a small form's fields.
func readForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return rapport.Errorf(rapport.EINVALID, "The form could not be read; please try again.")
	}
	return nil
}
