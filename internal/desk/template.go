package desk

import (
	"context"
	"strings"

	"github.com/rapportdesk/rapport"
)

// Response templates: staff only. Everyone on staff sees the shared
// templates and their own personal ones; supervisors and administrators
// keep the shared ones. Another person's personal template is ENOTFOUND,
// as if it did not exist.

// Templates returns the templates the caller may use, by name. A non-empty
// query keeps those whose name, subject or text contains it, in any case.
func (d *Desk) Templates(ctx context.Context, query string) ([]*rapport.Template, error) {
	me, err := staff(ctx, "use response templates")
	if err != nil {
		return nil, err
	}
	all, err := d.store.FindTemplates(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	return filterTemplates(all, query), nil
}

// filterTemplates keeps the templates whose name, subject or text contains
// query, in any case. It runs here, not in SQL: one person sees a few
// hundred templates at most, and Go's case folding is the same on both
// databases.
func filterTemplates(all []*rapport.Template, query string) []*rapport.Template {
	query = strings.ToLower(strings.TrimSpace(query))
	if query == "" {
		return all
	}
	out := all[:0]
	for _, t := range all {
		if strings.Contains(strings.ToLower(t.Name), query) || strings.Contains(strings.ToLower(t.Subject), query) ||
			strings.Contains(strings.ToLower(t.Body), query) {
			out = append(out, t)
		}
	}
	return out
}

// Template returns one template the caller may use.
func (d *Desk) Template(ctx context.Context, id int64) (*rapport.Template, error) {
	me, err := staff(ctx, "use response templates")
	if err != nil {
		return nil, err
	}
	t, err := d.store.FindTemplateByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.CanView(me) {
		return nil, templateNotFound(id)
	}
	return t, nil
}

// NewTemplate is a template to create: Shared makes it visible to all
// staff (supervisors and administrators only), else it is the caller's.
type NewTemplate struct {
	rapport.TemplateInput
	Shared bool
}

// CreateTemplate saves a new template.
func (d *Desk) CreateTemplate(ctx context.Context, in NewTemplate) (*rapport.Template, error) {
	me, err := staff(ctx, "write response templates")
	if err != nil {
		return nil, err
	}
	if in.Shared && !me.CanShareTemplates() {
		return nil, refuseShared()
	}
	now := d.now()
	t := &rapport.Template{CreatedAt: now, UpdatedAt: now}
	if !in.Shared {
		t.OwnerID = me.ID
	}
	if err := t.Apply(in.TemplateInput); err != nil {
		return nil, err
	}
	if err := d.store.Update(ctx, func(tx rapport.Tx) error { return tx.CreateTemplate(ctx, t) }); err != nil {
		return nil, err
	}
	return t, nil
}

// TemplateUpdate holds the fields to change; nil leaves one as it is.
// Shared moves a template between the shared set and the caller's own.
type TemplateUpdate struct {
	Name, Subject, Body *string
	Shared              *bool
}

// UpdateTemplate changes a template the caller may edit. Making a template
// shared, or taking a shared one back as one's own, is for supervisors and
// administrators.
func (d *Desk) UpdateTemplate(ctx context.Context, id int64, up TemplateUpdate) (*rapport.Template, error) {
	me, err := staff(ctx, "change response templates")
	if err != nil {
		return nil, err
	}
	var t *rapport.Template
	err = d.store.Update(ctx, func(tx rapport.Tx) error {
		if t, err = d.lockEditable(ctx, tx, me, id); err != nil {
			return err
		}
		in := rapport.TemplateInput{Name: t.Name, Subject: t.Subject, Body: t.Body}
		if up.Name != nil {
			in.Name = *up.Name
		}
		if up.Subject != nil {
			in.Subject = *up.Subject
		}
		if up.Body != nil {
			in.Body = *up.Body
		}
		if up.Shared != nil && *up.Shared != t.Shared() {
			if !me.CanShareTemplates() {
				return refuseShared()
			}
			t.OwnerID = 0
			if !*up.Shared {
				t.OwnerID = me.ID
			}
		}
		if err := t.Apply(in); err != nil {
			return err
		}
		t.UpdatedAt = d.now()
		return tx.UpdateTemplate(ctx, t)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// DeleteTemplate deletes a template the caller may edit.
func (d *Desk) DeleteTemplate(ctx context.Context, id int64) error {
	me, err := staff(ctx, "delete response templates")
	if err != nil {
		return err
	}
	return d.store.Update(ctx, func(tx rapport.Tx) error {
		if _, err := d.lockEditable(ctx, tx, me, id); err != nil {
			return err
		}
		return tx.DeleteTemplate(ctx, id)
	})
}

// PreviewTemplate fills a template in with the real values of a ticket the
// caller may see, with the caller as the agent replying: the text to
// insert into a reply. A value that is missing (no phone number on the
// caller's profile) is ECONFLICT saying what to do, never a blank.
func (d *Desk) PreviewTemplate(ctx context.Context, id, ticketID int64) (*rapport.RenderedTemplate, error) {
	me, err := staff(ctx, "use response templates")
	if err != nil {
		return nil, err
	}
	t, err := d.Template(ctx, id)
	if err != nil {
		return nil, err
	}
	tk, err := d.Ticket(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	// The requester's account, for their profile (preferred name); the
	// ticket carries only a reference.
	var requester *rapport.User
	if tk.Requester != nil {
		if requester, err = d.store.FindUserByID(ctx, tk.Requester.ID); err != nil {
			return nil, err
		}
	}
	return t.Render(rapport.TemplateContext{Ticket: tk, Requester: requester, Agent: me})
}

// lockEditable locks a template the caller may edit: another person's
// personal template is ENOTFOUND, a shared one EFORBIDDEN to an agent.
func (d *Desk) lockEditable(ctx context.Context, tx rapport.Tx, me *rapport.User, id int64) (*rapport.Template, error) {
	t, err := tx.LockTemplate(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.CanView(me) {
		return nil, templateNotFound(id)
	}
	if !t.CanEdit(me) {
		return nil, rapport.Errorf(rapport.EFORBIDDEN, "Only supervisors and administrators can change the shared templates. You can copy this one into a personal template of your own and change that.")
	}
	return t, nil
}

func refuseShared() error {
	return &rapport.Error{Code: rapport.EFORBIDDEN, Message: "Only supervisors and administrators can share templates with all staff. You can keep this one as a personal template.",
		Fields: []rapport.FieldError{{Field: "shared", Message: "Only supervisors and administrators can share templates."}}}
}

func templateNotFound(id int64) error {
	return rapport.Errorf(rapport.ENOTFOUND, "There is no template %d, or you do not have access to it.", id)
}

// SharedTemplates returns the shared templates matching query, for the
// operator's CLI, which runs as nobody in particular: personal templates
// stay their owners'.
func (d *Desk) SharedTemplates(ctx context.Context, query string) ([]*rapport.Template, error) {
	all, err := d.store.FindTemplates(ctx, 0)
	if err != nil {
		return nil, err
	}
	return filterTemplates(all, query), nil
}
