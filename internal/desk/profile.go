package desk

import (
	"context"
	"strconv"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/rapportdesk/rapport"
)

// LanguageTag checks a BCP 47 tag against the IANA registry that
// golang.org/x/text keeps, and returns it in canonical form ("EN-gb" gives
// "en-GB"). "und" (no language) is not a choice: leave the field empty.
func LanguageTag(s string) (string, bool) {
	tag, err := language.Parse(s)
	if err != nil || tag == language.Und {
		return "", false
	}
	return tag.String(), true
}

// LanguageName says a tag in English and in itself, "French (Canada) ·
// français (Canada)", so an agent knows what to expect; the tag itself
// when it has no name.
func LanguageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	en := display.English.Tags().Name(t)
	self := display.Self.Name(t)
	switch {
	case en == "":
		return tag
	case self == "" || self == en:
		return en
	}
	return en + " · " + self
}

// MyProfile returns the signed-in person as stored now, with their
// profile. Notes stay among staff: a requester gets theirs blanked.
func (d *Desk) MyProfile(ctx context.Context) (*rapport.User, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	u, err := d.store.FindUserByID(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	return personForViewer(me, u), nil
}

// UpdateMyProfile changes the signed-in person's own profile. Notes are
// staff's: a requester who sends them is refused, so nobody believes they
// wrote something that staff will read as staff's own.
func (d *Desk) UpdateMyProfile(ctx context.Context, up rapport.ProfileUpdate) (*rapport.User, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return d.updateProfile(ctx, me, me.ID, up)
}

// UpdateProfile changes the profile of the account with id. Staff may
// change a requester's profile and anyone's notes field on them, and
// their own; only administrators change other staff members' profiles.
func (d *Desk) UpdateProfile(ctx context.Context, id int64, up rapport.ProfileUpdate) (*rapport.User, error) {
	me, err := staff(ctx, "change other people's profiles")
	if err != nil {
		return nil, err
	}
	return d.updateProfile(ctx, me, id, up)
}

func (d *Desk) updateProfile(ctx context.Context, me *rapport.User, id int64, up rapport.ProfileUpdate) (*rapport.User, error) {
	if up.Notes != nil && !me.IsStaff() {
		return nil, rapport.Errorf(rapport.EFORBIDDEN, "Notes on a profile are for help desk staff; you can change everything else.")
	}
	var u *rapport.User
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		var err error
		if u, err = tx.LockUser(ctx, id); rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return rapport.Errorf(rapport.ENOTFOUND, "There is no account number %d.", id)
		} else if err != nil {
			return err
		}
		if u.ID != me.ID && u.IsStaff() && me.Role != rapport.RoleAdmin {
			return rapport.Errorf(rapport.EFORBIDDEN, "%s works on the help desk: they change their own profile, or an administrator does.", u.Name)
		}
		if err := u.ApplyProfile(up, LanguageTag); err != nil {
			return err
		}
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return personForViewer(me, u), nil
}

// Person is what staff see of someone: their account and profile, notes
// included, for the person's page and the ticket's person card.
// Reading someone else's profile is audited.
func (d *Desk) Person(ctx context.Context, id int64) (*rapport.User, error) {
	return d.auditedPerson(ctx, id, "")
}

// TicketPerson is Person for the person card on ticket ticketID: the
// audit entry names the ticket, so the log says why it was read.
func (d *Desk) TicketPerson(ctx context.Context, id, ticketID int64) (*rapport.User, error) {
	return d.auditedPerson(ctx, id, "on ticket "+strconv.FormatInt(ticketID, 10))
}

func (d *Desk) auditedPerson(ctx context.Context, id int64, ref string) (*rapport.User, error) {
	u, err := d.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := d.audit(ctx, rapport.UserFromContext(ctx), u.ID, rapport.AuditProfile, ref); err != nil {
		return nil, err
	}
	return u, nil
}

// PersonTickets returns a page of the tickets person id asked for, newest
// first, for staff: the history of past tickets on the person's profile.
func (d *Desk) PersonTickets(ctx context.Context, id int64, after string, limit int) ([]*rapport.Ticket, string, error) {
	if _, err := staff(ctx, "see other people's ticket history"); err != nil {
		return nil, "", err
	}
	if _, err := d.User(ctx, id); err != nil {
		return nil, "", err
	}
	return d.store.FindTickets(ctx, rapport.TicketFilter{RequesterID: &id, Sort: rapport.SortNewest, After: after, Limit: limit})
}

// LogCall records a phone call with the ticket's requester (see
// rapport.Ticket.LogCall), with their profile as it is now: the number
// called and their local time go into the record.
func (d *Desk) LogCall(ctx context.Context, ticketID int64, in rapport.CallLog) (*rapport.Event, error) {
	var ev *rapport.Event
	_, err := d.changeTx(ctx, ticketID, func(tx rapport.Tx, me *rapport.User, t *rapport.Ticket) (*rapport.Event, error) {
		var person *rapport.User
		if t.Requester != nil {
			p, err := tx.FindUserByEmail(ctx, t.Requester.Email)
			if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
				return nil, err
			}
			person = p
		}
		var err error
		ev, err = t.LogCall(me, person, in, d.now())
		return ev, err
	})
	return ev, err
}

// personForViewer is u as viewer may see it: without the notes unless viewer
// is staff.
func personForViewer(viewer, u *rapport.User) *rapport.User {
	if viewer.IsStaff() || u.Notes == "" {
		return u
	}
	c := *u
	c.Notes = ""
	return &c
}
