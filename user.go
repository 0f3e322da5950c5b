package rapport

import (
	"strings"
	"time"
)

// Role is what a person may do in Rapport.
type Role string

// The roles, from least to most trusted.
const (
	RoleRequester  Role = "requester"
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Roles lists every role in order of trust.
var Roles = []Role{RoleRequester, RoleAgent, RoleSupervisor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// IsStaff reports whether r works on the help desk (agent or above).
func (r Role) IsStaff() bool {
	return r == RoleAgent || r == RoleSupervisor || r == RoleAdmin
}

// User is a person known to the help desk: a requester or a member of staff.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      Role
	CreatedAt time.Time
	// DisabledAt is set when the account may no longer sign in. The person's
	// tickets and history stay.
	DisabledAt *time.Time

	// The profile: how the person likes to be addressed and reached.
	// Everything is optional; the person edits it, and staff see it.
	PreferredName string // what to call them: "Bob" for Robert Smith
	Pronunciation string // how to say their name: "SHIV-on" for Siobhan
	Phone         string
	// PreferredChannel is email, phone or portal; empty when they did not
	// say. Phone means "call me": the agent sees a cue to call.
	PreferredChannel Channel
	TimeZone         string // IANA name, such as Europe/Paris; empty for the site's
	Language         string // BCP 47 tag, such as en or fr-CA; empty for the site's
	// Notes are staff-only notes about the person; never shown to them.
	Notes string
}

// GreetingName is what to call u in a greeting: their preferred name, else
// the first word of their name, else "there" ("Hello there").
func (u *User) GreetingName() string {
	if u == nil {
		return "there"
	}
	if u.PreferredName != "" {
		return u.PreferredName
	}
	if f := strings.Fields(u.Name); len(f) > 0 {
		return f[0]
	}
	return "there"
}

// IsStaff reports whether u works on the help desk.
func (u *User) IsStaff() bool { return u != nil && u.Role.IsStaff() }

// Ref returns the short form of u used inside tickets and events.
func (u *User) Ref() *UserRef {
	if u == nil {
		return nil
	}
	return &UserRef{ID: u.ID, Email: u.Email, Name: u.Name}
}

// UserRef names a person inside a ticket or an event.
type UserRef struct {
	ID    int64
	Email string
	Name  string
}

// NewUser validates the input for a new account and returns the user.
func NewUser(email, name string, role Role, now time.Time) (*User, error) {
	var p Problems
	addr, why := NormalizeEmail(email)
	if why != "" {
		p.Add("email", "%s", why)
	}
	name = CleanText(&p, "name", "The name", name, true, MaxNameLen)
	if !role.Valid() {
		p.Add("role", "The role must be one of requester, agent, supervisor or admin.")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &User{Email: addr, Name: name, Role: role, CreatedAt: now}, nil
}

// NameFromEmail guesses a display name from an address ("jane.doe@x" gives
// "Jane Doe"), for people whose first contact is logged by an agent. It is
// cut to MaxNameLen: an address may be longer than a name may be.
func NameFromEmail(email string) string {
	local := email
	for i := 0; i < len(email); i++ {
		if email[i] == '@' {
			local = email[:i]
			break
		}
	}
	out := make([]byte, 0, len(local))
	upper := true
	for i := 0; i < len(local); i++ {
		c := local[i]
		switch {
		case c == '.' || c == '_' || c == '-' || c == '+':
			if len(out) > 0 && out[len(out)-1] != ' ' {
				out = append(out, ' ')
			}
			upper = true
		case upper && c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
			upper = false
		default:
			out = append(out, c)
			upper = false
		}
	}
	if len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return Cut(email, MaxNameLen)
	}
	return Cut(string(out), MaxNameLen)
}
