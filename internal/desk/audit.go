package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
)

// audit records that me read what of the person userID (0: mail from an
// address with no account), before the data is handed out: written
// durably like any change, and when it cannot be written the read fails.
// Nothing is written when people read their own data.
func (d *Desk) audit(ctx context.Context, me *rapport.User, userID int64, what rapport.AuditWhat, ref string) error {
	if !me.IsStaff() {
		return nil
	}
	e, err := rapport.NewAuditEntry(me, userID, what, ref, rapport.RouteFromContext(ctx), d.now())
	if err != nil || e == nil {
		return err
	}
	return d.store.Update(ctx, func(tx rapport.Tx) error { return tx.AddAudit(ctx, e) })
}

// UsersWithProfiles is Users for a caller shown each person's profile,
// notes and phone included (the API's list of people): every listed
// person but the caller is audited as a profile read, in one write.
func (d *Desk) UsersWithProfiles(ctx context.Context, f rapport.UserFilter) ([]*rapport.User, string, error) {
	us, next, err := d.Users(ctx, f)
	if err != nil {
		return nil, "", err
	}
	me := rapport.UserFromContext(ctx)
	var es []*rapport.AuditEntry
	for _, u := range us {
		e, err := rapport.NewAuditEntry(me, u.ID, rapport.AuditProfile, "in a list of people", rapport.RouteFromContext(ctx), d.now())
		if err != nil {
			return nil, "", err
		}
		if e != nil {
			es = append(es, e)
		}
	}
	if len(es) > 0 {
		err = d.store.Update(ctx, func(tx rapport.Tx) error {
			for _, e := range es {
				if err := tx.AddAudit(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return us, next, err
}

// Audit returns a page of the audit log of staff reads of private data,
// newest first, for supervisors and administrators.
func (d *Desk) Audit(ctx context.Context, f rapport.AuditFilter) ([]*rapport.AuditEntry, string, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	if !me.CanSupervise() {
		return nil, "", rapport.Errorf(rapport.EFORBIDDEN, "Only supervisors and administrators can read the audit log.")
	}
	return d.AuditAsOperator(ctx, f)
}

// AuditAsOperator is Audit for the rapport command, whose right comes
// from access to the database itself. The people filtered by must exist,
// so a mistyped one says so instead of showing an empty log.
func (d *Desk) AuditAsOperator(ctx context.Context, f rapport.AuditFilter) ([]*rapport.AuditEntry, string, error) {
	for _, x := range []struct {
		field string
		id    int64
	}{{"user", f.UserID}, {"staff", f.StaffID}} {
		if x.id == 0 {
			continue
		}
		if x.id < 0 {
			return nil, "", rapport.Invalid(x.field, "%s must be an account number like 42.", x.field)
		}
		if _, err := d.store.FindUserByID(ctx, x.id); rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return nil, "", rapport.Invalid(x.field, "There is no account number %d.", x.id)
		} else if err != nil {
			return nil, "", err
		}
	}
	return d.store.FindAudit(ctx, f)
}

// AuditPerson reads an audit filter naming a person as field (user or
// staff): an account number or an email address; 0 when s is empty. The
// API, the web UI and the CLI all take either.
func (d *Desk) AuditPerson(ctx context.Context, field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if strings.Contains(s, "@") {
		u, err := d.store.FindUserByEmail(ctx, s)
		switch rapport.ErrorCode(err) {
		case "":
			return u.ID, nil
		case rapport.ENOTFOUND, rapport.EINVALID:
			return 0, rapport.Invalid(field, "There is no account with the address %s.", rapport.Cut(s, 100))
		}
		return 0, fmt.Errorf("audit filter %s: %w", field, err)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, rapport.Invalid(field, "%s must be an account number like 42 or an email address.", field)
	}
	return id, nil
}
