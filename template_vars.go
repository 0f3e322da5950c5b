package rapport

import (
	"fmt"
	"strconv"
	"strings"
)

// Template variables are written between double braces, {{ticket.number}},
// spaces inside the braces allowed. There are no functions, conditions or
// loops: a variable is replaced by its value and that is all, so a body can
// do nothing but say words, and a template that was accepted when saved
// renders whole. (text/template was the alternative; its pipelines and
// function calls are exactly what a body must not have, and it fails
// half-way through at execution time.)

// TemplateVar is a variable a template may use.
type TemplateVar struct {
	Name        string // as written between the braces: requester.preferred_name
	Description string // what it becomes, for the people writing templates
	Example     string
	value       func(c *TemplateContext) string
	// missing, for a variable that may have no value, says why and what
	// to do; a template using it does not render until there is a value.
	missing string
}

// TemplateContext is what a template is filled in from: the ticket, its
// requester's account (with their profile) and the member of staff
// replying.
//
// Knowledge-base links will be a field here and a kb.* variable below when
// the knowledge base exists.
type TemplateContext struct {
	Ticket    *Ticket
	Requester *User
	Agent     *User
}

// TemplateVars lists every variable templates may use, in the order the
// help shows them.
var TemplateVars = []TemplateVar{
	{Name: "requester.preferred_name", Description: "What the requester likes to be called: their preferred name, else their first name.", Example: "Bob",
		value: func(c *TemplateContext) string { return c.Requester.GreetingName() }},
	{Name: "requester.name", Description: "The requester's full name.", Example: "Robert Smith",
		value: func(c *TemplateContext) string {
			if c.Requester != nil {
				return c.Requester.Name
			}
			return ""
		},
		missing: "we do not have the requester's name"},
	{Name: "ticket.number", Description: "The ticket's number.", Example: "42",
		value: func(c *TemplateContext) string { return strconv.FormatInt(c.Ticket.ID, 10) }},
	{Name: "ticket.subject", Description: "The ticket's subject, as the requester wrote it.", Example: "Printer on floor 2 jams",
		value: func(c *TemplateContext) string { return c.Ticket.Subject }},
	{Name: "agent.name", Description: "Your full name, as the person replying.", Example: "Ann Lee",
		value: func(c *TemplateContext) string { return c.Agent.Name }},
	{Name: "agent.preferred_name", Description: "What you like to be called: your preferred name, else your first name.", Example: "Ann",
		value: func(c *TemplateContext) string { return c.Agent.GreetingName() }},
	{Name: "agent.phone", Description: "Your phone number, from your profile.", Example: "+44 20 7946 0000",
		value:   func(c *TemplateContext) string { return c.Agent.Phone },
		missing: "your profile has no phone number yet: add one to your profile, or choose another template"},
}

func templateVar(name string) *TemplateVar {
	for i := range TemplateVars {
		if TemplateVars[i].Name == name {
			return &TemplateVars[i]
		}
	}
	return nil
}

// knownVars lists the variable names as written, for error messages.
func knownVars() string {
	names := make([]string, len(TemplateVars))
	for i, v := range TemplateVars {
		names[i] = "{{" + v.Name + "}}"
	}
	return strings.Join(names, ", ")
}

// templatePart is literal text, or a variable when name is set.
type templatePart struct{ text, name string }

// parseTemplateText splits s into text and variables. When s is not a
// valid template it returns what is wrong as the end of a sentence that
// starts "The text" ("uses {{x}}, which Rapport does not know…").
func parseTemplateText(s string) ([]templatePart, string) {
	var parts []templatePart
	var unknown []string
	for s != "" {
		open, close := strings.Index(s, "{{"), strings.Index(s, "}}")
		if close >= 0 && (open < 0 || close < open) {
			return nil, fmt.Sprintf("has a closing }} with no opening {{, near “%s”. Write variables with two braces on each side, like {{ticket.number}}.", near(s, close))
		}
		if open < 0 {
			parts = append(parts, templatePart{text: s})
			break
		}
		if open > 0 {
			parts = append(parts, templatePart{text: s[:open]})
		}
		rest := s[open+2:]
		end := strings.Index(rest, "}}")
		if next := strings.Index(rest, "{{"); end < 0 || (next >= 0 && next < end) {
			return nil, fmt.Sprintf("has an opening {{ with no closing }}, near “%s”. Write variables with two braces on each side, like {{ticket.number}}.", near(s, open))
		}
		name := strings.TrimSpace(rest[:end])
		switch {
		case name == "":
			return nil, "has empty braces {{}}. Put a variable between them, like {{ticket.number}}, or remove them."
		case !validVarName(name):
			return nil, fmt.Sprintf("has {{%s}}, which is not a variable name: names are lower-case words joined by dots, like {{ticket.number}}. Known variables: %s.", Cut(name, 40), knownVars())
		case templateVar(name) == nil:
			if !contains(unknown, name) {
				unknown = append(unknown, name)
			}
		}
		parts = append(parts, templatePart{name: name})
		s = rest[end+2:]
	}
	if len(unknown) > 0 {
		list := make([]string, len(unknown))
		for i, n := range unknown {
			list[i] = "{{" + n + "}}"
		}
		return nil, fmt.Sprintf("uses %s, which Rapport does not know. Known variables: %s.", joinAnd(list), knownVars())
	}
	return parts, ""
}

// near quotes a little of s from i, so that a person can find the spot.
func near(s string, i int) string {
	return Cut(strings.ReplaceAll(s[i:], "\n", " "), 24)
}

func validVarName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, w := range strings.Split(s, ".") {
		if w == "" {
			return false
		}
		for _, c := range w {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
				return false
			}
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// joinAnd joins "a", "b" and "c" as people write them.
func joinAnd(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

// RenderedTemplate is a template filled in for one ticket.
type RenderedTemplate struct {
	Subject string
	Body    string
}

// Render fills t in from c. It fails whole, before anything is sent: a
// variable with no value (an agent with no phone number on their profile)
// is ECONFLICT saying what to do, never a blank in the reply.
func (t *Template) Render(c TemplateContext) (*RenderedTemplate, error) {
	if c.Ticket == nil || c.Agent == nil {
		return nil, fmt.Errorf("render template %d: ticket and agent are required", t.ID)
	}
	var f filler
	fill := func(field, label, s string) (string, error) {
		parts, bad := parseTemplateText(s)
		if bad != "" {
			// Saved before a variable was withdrawn: say so, never guess.
			return "", Invalid(field, "The template %q cannot be used as it is: its %s %s Please correct it on the Templates page.", t.Name, label, bad)
		}
		return f.fill(parts, &c), nil
	}
	subject, err := fill("subject", "subject", t.Subject)
	if err != nil {
		return nil, err
	}
	body, err := fill("body", "text", t.Body)
	if err != nil {
		return nil, err
	}
	if len(f.missing) > 0 {
		return nil, Errorf(ECONFLICT, "The template %q uses %s, but %s.", t.Name, joinAnd(f.missing), strings.Join(f.why, "; and "))
	}
	return &RenderedTemplate{Subject: subject, Body: body}, nil
}

// filler fills parsed template texts in, collecting the variables that
// have no value (and why) instead of leaving blanks, so that the caller
// can refuse the whole text.
type filler struct {
	missing []string // as written: {{agent.phone}}
	why     []string // each one's reason, same order
}

func (f *filler) fill(parts []templatePart, c *TemplateContext) string {
	var b strings.Builder
	for _, p := range parts {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		v := templateVar(p.name)
		val := v.value(c)
		if strings.TrimSpace(val) == "" {
			if !contains(f.missing, "{{"+v.Name+"}}") {
				f.missing = append(f.missing, "{{"+v.Name+"}}")
				m := v.missing
				if m == "" {
					m = "it has no value for this ticket"
				}
				f.why = append(f.why, m)
			}
			continue
		}
		b.WriteString(val)
	}
	return b.String()
}
