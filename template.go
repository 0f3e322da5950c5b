package rapport

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Template is a response template: words an agent starts a reply from,
// with variables ({{requester.preferred_name}}) filled in from the ticket
// when it is inserted. A shared template is visible to all staff and kept
// by supervisors and administrators; a personal one belongs to one member
// of staff and nobody else sees it.
type Template struct {
	ID      int64
	Name    string
	Subject string // optional
	Body    string
	// OwnerID is the member of staff a personal template belongs to; 0
	// for a shared template.
	OwnerID   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Template sizes, in characters.
const (
	MaxTemplateNameLen = 100
	MaxTemplateBodyLen = 20_000
)

// Shared reports whether every member of staff sees t.
func (t *Template) Shared() bool { return t.OwnerID == 0 }

// CanView reports whether u may see and use t: staff see the shared
// templates and their own.
func (t *Template) CanView(u *User) bool {
	return u.IsStaff() && (t.Shared() || t.OwnerID == u.ID)
}

// CanEdit reports whether u may change or delete t: a personal template
// only by its owner, a shared one only by a supervisor or administrator.
func (t *Template) CanEdit(u *User) bool {
	if t.Shared() {
		return u.CanShareTemplates()
	}
	return u.IsStaff() && t.OwnerID == u.ID
}

// CanShareTemplates reports whether u keeps the shared templates.
func (u *User) CanShareTemplates() bool {
	return u != nil && (u.Role == RoleSupervisor || u.Role == RoleAdmin)
}

// TemplateInput is a template as someone types it.
type TemplateInput struct {
	Name    string
	Subject string
	Body    string
}

// Apply checks in and, when it is valid, copies it into t. Every variable
// must be a known one (see TemplateVars): a mistake is caught here, when
// the template is saved, never as a gap in a reply.
func (t *Template) Apply(in TemplateInput) error {
	var p Problems
	name := CleanText(&p, "name", "The name", in.Name, true, MaxTemplateNameLen)
	if strings.ContainsAny(name, "\r\n") {
		p.Add("name", "The name must fit on one line.")
	}
	subject := CleanText(&p, "subject", "The subject", in.Subject, false, MaxSubjectLen)
	if strings.ContainsAny(subject, "\r\n") {
		p.Add("subject", "The subject must fit on one line.")
	} else if _, err := parseTemplateText(subject); err != "" {
		p.Add("subject", "The subject %s", err)
	}
	body := strings.TrimSpace(in.Body)
	switch {
	case body == "":
		p.Add("body", "The text is required: it is what goes into the reply.")
	case !utf8.ValidString(body):
		p.Add("body", "The text contains bytes that are not valid text (UTF-8); please check how it was encoded.")
	case strings.ContainsRune(body, 0):
		p.Add("body", "The text contains a NUL character; please remove it.")
	case utf8.RuneCountInString(body) > MaxTemplateBodyLen:
		p.Add("body", "The text is too long: %d characters, the limit is %d.", utf8.RuneCountInString(body), MaxTemplateBodyLen)
	default:
		if _, err := parseTemplateText(body); err != "" {
			p.Add("body", "The text %s", err)
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	t.Name, t.Subject, t.Body = name, subject, body
	return nil
}

// NameKey is the form of t's name kept unique: no two shared templates,
// and no two of one person's, are named alike in any case.
func (t *Template) NameKey() string { return strings.ToLower(t.Name) }
