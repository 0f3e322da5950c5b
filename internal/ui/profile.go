package ui

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// Profiles (issue 8, "Know the person"): the person's own profile on the
// Account page, a person's page for staff with their profile, notes and
// ticket history, the person card on the ticket page with the "Prefers a
// call" cue, and logging a call.

// profileFields are the inputs of the profile form, named as the desk's
// field errors name them.
var profileFields = []string{"preferred_name", "pronunciation", "phone", "preferred_channel", "time_zone", "language", "notes"}

// profileForm is the profile form's data: the values shown (what was
// typed, after a mistake), the errors beside their fields, and whether the
// staff-only notes field is offered.
type profileForm struct {
	Action string // where the form posts
	Values map[string]string
	Error  string
	Errors formErrors
	Notes  bool // staff editing: the notes field is shown
	Staff  bool // the profile is a staff member's: the phone signs replies
}

// profileValues are u's profile as the form's values.
func profileValues(u *rapport.User) map[string]string {
	return map[string]string{"preferred_name": u.PreferredName, "pronunciation": u.Pronunciation, "phone": u.Phone,
		"preferred_channel": string(u.PreferredChannel), "time_zone": u.TimeZone, "language": u.Language, "notes": u.Notes}
}

// readProfile reads the profile form; notes only when the form has them,
// so that a requester's form never touches them.
func readProfile(r *http.Request, notes bool) (rapport.ProfileUpdate, map[string]string) {
	v := map[string]string{}
	for _, f := range profileFields {
		v[f] = r.PostFormValue(f)
	}
	get := func(f string) *string { s := v[f]; return &s }
	up := rapport.ProfileUpdate{PreferredName: get("preferred_name"), Pronunciation: get("pronunciation"), Phone: get("phone"),
		PreferredChannel: get("preferred_channel"), TimeZone: get("time_zone"), Language: get("language")}
	if notes {
		up.Notes = get("notes")
	}
	return up, v
}

// updateMyProfile serves POST /account/profile: the person's own profile.
func (u *UI) updateMyProfile(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	up, v := readProfile(r, false)
	_, err := u.desk.UpdateMyProfile(r.Context(), up)
	if rapport.ErrorCode(err) == rapport.EINVALID {
		me := rapport.UserFromContext(r.Context())
		return u.renderAccount(w, r, http.StatusUnprocessableEntity, &accountPage{Errors: formErrors{},
			Profile: profileForm{Action: "/account/profile", Values: v, Error: rapport.ErrorMessage(err), Errors: fieldErrors(err), Staff: me.IsStaff()}})
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/account", "Your profile is saved.")
	return nil
}

// personPage is a person as staff see them: profile, notes and the
// tickets they asked for, newest first.
type personPage struct {
	Person  *rapport.User
	Tickets []*rapport.Ticket
	// Older links to the next page of their tickets; "" on the last.
	Older string
	// Edit is the profile form, nil when the viewer may not change it
	// (another staff member's, unless the viewer is an administrator).
	Edit *profileForm
	// Account links to the account page, for supervisors and admins.
	Account bool
	// Kudos are the thanks a member of staff received, newest first;
	// Thanks is the form to add some (nil for a requester's page).
	Kudos  []*rapport.Kudos
	Thanks *kudosForm
}

// person serves GET /people/{id}, for staff.
func (u *UI) person(w http.ResponseWriter, r *http.Request) error {
	return u.renderPerson(w, r, http.StatusOK, nil)
}

func (u *UI) renderPerson(w http.ResponseWriter, r *http.Request, status int, form *profileForm) error {
	return u.renderPersonWith(w, r, status, form, nil)
}

// renderPersonWith is renderPerson with the "Say thanks" form sent back
// after a mistake (followup.go).
func (u *UI) renderPersonWith(w http.ResponseWriter, r *http.Request, status int, form *profileForm, thanks *kudosForm) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	person, err := u.desk.Person(ctx, id)
	if err != nil {
		return err
	}
	after := r.URL.Query().Get("after")
	ts, next, err := u.desk.PersonTickets(ctx, id, after, 20)
	if err != nil {
		return err
	}
	me := rapport.UserFromContext(ctx)
	p := &personPage{Person: person, Tickets: ts, Account: me.Role == rapport.RoleAdmin || me.Role == rapport.RoleSupervisor}
	if next != "" {
		p.Older = "/people/" + strconv.FormatInt(id, 10) + "?" + url.Values{"after": {next}}.Encode() + "#history-heading"
	}
	if !person.IsStaff() || person.ID == me.ID || me.Role == rapport.RoleAdmin {
		p.Edit = form
		if p.Edit == nil {
			p.Edit = &profileForm{Values: profileValues(person), Errors: formErrors{}}
		}
		p.Edit.Action, p.Edit.Notes, p.Edit.Staff = "/people/"+strconv.FormatInt(id, 10)+"/profile", true, person.IsStaff()
	}
	if person.IsStaff() {
		if p.Kudos, err = u.desk.Kudos(ctx, id, 20); err != nil {
			return err
		}
		p.Thanks = thanks
		if p.Thanks == nil {
			p.Thanks = &kudosForm{}
		}
	}
	u.render(w, r, status, "person", person.Name, p)
	return nil
}

// updatePerson serves POST /people/{id}/profile: staff change a
// requester's profile and notes (the desk checks who may).
func (u *UI) updatePerson(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	up, v := readProfile(r, true)
	person, err := u.desk.UpdateProfile(r.Context(), id, up)
	if rapport.ErrorCode(err) == rapport.EINVALID {
		return u.renderPerson(w, r, http.StatusUnprocessableEntity,
			&profileForm{Values: v, Error: rapport.ErrorMessage(err), Errors: fieldErrors(err)})
	} else if err != nil {
		return err
	}
	u.redirect(w, r, "/people/"+strconv.FormatInt(id, 10), person.Name+"'s profile is saved.")
	return nil
}

// logCall serves POST /tickets/{id}/call: staff log a phone call with the
// requester; a mistake comes back beside its field with what was typed.
func (u *UI) logCall() handlerFunc {
	action := u.ticketAction("call", []string{"direction", "outcome", "minutes", "summary", "internal"}, nil,
		func(ctx context.Context, id int64, v map[string]string, _ []desk.File) (string, string, error) {
			in := rapport.CallLog{Direction: v["direction"], Outcome: v["outcome"], Summary: v["summary"], Internal: v["internal"] != ""}
			if m := v["minutes"]; m != "" {
				n, err := strconv.Atoi(m)
				if err != nil {
					return "", "", rapport.Invalid("minutes", "The length of the call is a whole number of minutes, such as 5.")
				}
				in.Minutes = n
			}
			if _, err := u.desk.LogCall(ctx, id, in); err != nil {
				return "", "", err
			}
			if in.Internal {
				return "", "The call is logged as an internal note.", nil
			}
			return "", "The call is logged on the timeline; the requester can read it.", nil
		})
	return func(w http.ResponseWriter, r *http.Request) error {
		// The form is on the staff's person card only: anyone else gets
		// the refusal as a page, not beside a form they cannot see.
		if !rapport.UserFromContext(r.Context()).IsStaff() {
			return rapport.Errorf(rapport.EFORBIDDEN, "Only help desk staff can log phone calls.")
		}
		return action(w, r)
	}
}

// profileFuncs are the template functions of the person card.
func (u *UI) profileFuncs() template.FuncMap {
	return template.FuncMap{
		// tel is the tel: link of a phone number as the domain keeps it
		// (digits, a leading +, an extension): nothing else gets in.
		"tel": func(phone string) template.URL { return template.URL(rapport.TelURI(phone)) },
		// theirTime says what time it is now where the person is:
		// "16:40 on Monday"; "" when they gave no time zone.
		"theirTime": func(p *rapport.User) string {
			if p == nil || p.TimeZone == "" {
				return ""
			}
			return theirTime(u.desk.Now(), p.Location(nil))
		},
		"language": desk.LanguageName,
		"zones":    func() []string { return commonZones },
		"channelPref": func(c rapport.Channel) string {
			switch c {
			case rapport.ChannelPhone:
				return "A phone call"
			case rapport.ChannelEmail:
				return "Email"
			case rapport.ChannelPortal:
				return "This web portal"
			}
			return ""
		},
	}
}

// theirTime is now in loc as people say it: "16:40 on Monday".
func theirTime(now time.Time, loc *time.Location) string {
	return now.In(loc).Format("15:04 on Monday")
}

// commonZones are suggested in the time zone field (any IANA name is
// accepted): the Go standard library cannot list the zones it knows, and
// these cover where most people are.
var commonZones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich", "Europe/Stockholm", "Europe/Warsaw",
	"Europe/Athens", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow", "Africa/Lagos",
	"Africa/Cairo", "Africa/Johannesburg", "Africa/Nairobi", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata",
	"Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong",
	"Asia/Manila", "Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Adelaide", "Australia/Sydney",
	"Pacific/Auckland", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Mexico_City",
	"America/Halifax", "America/New_York", "America/Toronto", "America/Chicago", "America/Denver",
	"America/Phoenix", "America/Los_Angeles", "America/Vancouver", "America/Anchorage", "Pacific/Honolulu",
}
