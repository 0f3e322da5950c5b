package rapport_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
)

// TestTemplateVariables: every known variable takes its value from the
// ticket, the requester's profile or the agent; unknown and malformed ones
// are refused when the template is saved, naming the variable and listing
// the known ones.
func TestTemplateVariables(t *testing.T) {
	ticket := &rapport.Ticket{ID: 42, Subject: "Printer jams"}
	bob := &rapport.User{ID: 1, Name: "Robert Smith", PreferredName: "Bob"}
	ann := &rapport.User{ID: 2, Name: "Ann Lee", Role: rapport.RoleAgent, Phone: "+44 20 7946 0000"}
	for _, tc := range []struct {
		name, body string
		requester  *rapport.User
		agent      *rapport.User
		want       string // the rendered text
		saveErr    string // part of the error when saving, "" when it saves
		renderErr  string // part of the error when rendering
	}{
		{name: "preferred name", body: "Hi {{requester.preferred_name}},", want: "Hi Bob,"},
		{name: "first name without a preferred one", body: "Hi {{requester.preferred_name}},", requester: &rapport.User{Name: "Robert Smith"}, want: "Hi Robert,"},
		{name: "no name at all", body: "Hi {{requester.preferred_name}},", requester: &rapport.User{}, want: "Hi there,"},
		{name: "full name", body: "Dear {{requester.name}}", want: "Dear Robert Smith"},
		{name: "ticket number", body: "Ticket {{ticket.number}}.", want: "Ticket 42."},
		{name: "ticket subject", body: "About “{{ticket.subject}}”", want: "About “Printer jams”"},
		{name: "agent name", body: "{{agent.name}}", want: "Ann Lee"},
		{name: "agent preferred name", body: "{{agent.preferred_name}}", agent: &rapport.User{Name: "Annabel Lee", PreferredName: "Bel"}, want: "Bel"},
		{name: "agent phone", body: "Call {{agent.phone}}", want: "Call +44 20 7946 0000"},
		{name: "spaces inside braces", body: "Hi {{ requester.preferred_name }}!", want: "Hi Bob!"},
		{name: "repeated and several", body: "{{ticket.number}}/{{ticket.number}} {{agent.name}}", want: "42/42 Ann Lee"},
		{name: "single braces are text", body: "Use {curly} and } alone", want: "Use {curly} and } alone"},
		{name: "no variables", body: "Thanks!", want: "Thanks!"},

		{name: "unknown", body: "Hi {{requester.nickname}}", saveErr: "uses {{requester.nickname}}, which Rapport does not know. Known variables: {{requester.preferred_name}}"},
		{name: "two unknown", body: "{{a.b}} {{c}} {{a.b}}", saveErr: "uses {{a.b}} and {{c}}, which Rapport does not know"},
		{name: "unclosed", body: "Hi {{requester.preferred_name,", saveErr: "has an opening {{ with no closing }}, near “{{requester.preferred_n…”"},
		{name: "unclosed before another", body: "Hi {{requester {{ticket.number}}", saveErr: "opening {{ with no closing }}"},
		{name: "stray closing", body: "Hi {requester.preferred_name}}", saveErr: "has a closing }} with no opening {{"},
		{name: "empty braces", body: "Hi {{ }}", saveErr: "has empty braces {{}}"},
		{name: "not a name", body: "Hi {{Requester Name}}", saveErr: "has {{Requester Name}}, which is not a variable name"},
		{name: "a function call", body: `{{ printf "%s" .Secret }}`, saveErr: "which is not a variable name"},
		{name: "template action", body: `{{define "x"}}{{end}}`, saveErr: "which is not a variable name"},
		{name: "triple braces", body: "{{{ticket.number}}}", saveErr: "which is not a variable name"},

		{name: "agent without a phone", body: "Call {{agent.phone}}", agent: &rapport.User{Name: "Ann Lee"},
			renderErr: "uses {{agent.phone}}, but your profile has no phone number yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tpl rapport.Template
			err := tpl.Apply(rapport.TemplateInput{Name: "T", Body: tc.body})
			if tc.saveErr != "" {
				if rapport.ErrorCode(err) != rapport.EINVALID || len(rapport.ErrorFields(err)) != 1 || rapport.ErrorFields(err)[0].Field != "body" ||
					!strings.Contains(rapport.ErrorFields(err)[0].Message, tc.saveErr) {
					t.Fatalf("save: err=%v, want EINVALID on body containing %q", err, tc.saveErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("save: %v", err)
			}
			req, agent := bob, ann
			if tc.requester != nil {
				req = tc.requester
			}
			if tc.agent != nil {
				agent = tc.agent
			}
			got, err := tpl.Render(rapport.TemplateContext{Ticket: ticket, Requester: req, Agent: agent})
			if tc.renderErr != "" {
				if rapport.ErrorCode(err) != rapport.ECONFLICT || !strings.Contains(rapport.ErrorMessage(err), tc.renderErr) {
					t.Fatalf("render: err=%v, want ECONFLICT containing %q", err, tc.renderErr)
				}
				return
			}
			if err != nil || got.Body != tc.want {
				t.Fatalf("render=%+v, %v, want body %q", got, err, tc.want)
			}
		})
	}
}

// TestTemplateApply: plain-language errors for each field, the subject
// checked like the text, and nothing changed on a mistake.
func TestTemplateApply(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     rapport.TemplateInput
		fields []string
	}{
		{"fine", rapport.TemplateInput{Name: " Welcome ", Subject: "About {{ticket.subject}}", Body: " Hi {{requester.preferred_name}} \n"}, nil},
		{"no name", rapport.TemplateInput{Body: "Hi"}, []string{"name"}},
		{"name on two lines", rapport.TemplateInput{Name: "A\nB", Body: "Hi"}, []string{"name"}},
		{"long name", rapport.TemplateInput{Name: strings.Repeat("n", rapport.MaxTemplateNameLen+1), Body: "Hi"}, []string{"name"}},
		{"no text", rapport.TemplateInput{Name: "A", Body: "  \n"}, []string{"body"}},
		{"long text", rapport.TemplateInput{Name: "A", Body: strings.Repeat("x", rapport.MaxTemplateBodyLen+1)}, []string{"body"}},
		{"NUL", rapport.TemplateInput{Name: "A", Body: "a\x00b"}, []string{"body"}},
		{"bad UTF-8", rapport.TemplateInput{Name: "A", Body: "a\xffb"}, []string{"body"}},
		{"subject unknown variable", rapport.TemplateInput{Name: "A", Subject: "{{ticket.id}}", Body: "Hi"}, []string{"subject"}},
		{"subject on two lines", rapport.TemplateInput{Name: "A", Subject: "a\nb", Body: "Hi"}, []string{"subject"}},
		{"everything wrong", rapport.TemplateInput{Subject: "{{x}}", Body: "{{y}}"}, []string{"name", "subject", "body"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := rapport.Template{Name: "old", Body: "old"}
			err := tpl.Apply(tc.in)
			var got []string
			for _, f := range rapport.ErrorFields(err) {
				got = append(got, f.Field)
				if f.Message == "" || !strings.HasSuffix(f.Message, ".") {
					t.Errorf("field %s: message %q is not a sentence", f.Field, f.Message)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("fields=%v (%v), want %v", got, err, tc.fields)
			}
			if tc.fields == nil {
				if tpl.Name != "Welcome" || tpl.Body != "Hi {{requester.preferred_name}}" {
					t.Fatalf("kept %+v, want trimmed", tpl)
				}
			} else if tpl.Name != "old" || tpl.Body != "old" {
				t.Fatalf("a refused input changed the template: %+v", tpl)
			}
		})
	}
}

// TestTemplatePermissions: staff see shared templates and their own;
// only supervisors and administrators edit shared ones; requesters
// nothing.
func TestTemplatePermissions(t *testing.T) {
	req := &rapport.User{ID: 1, Role: rapport.RoleRequester}
	agent := &rapport.User{ID: 2, Role: rapport.RoleAgent}
	other := &rapport.User{ID: 3, Role: rapport.RoleAgent}
	sup := &rapport.User{ID: 4, Role: rapport.RoleSupervisor}
	adm := &rapport.User{ID: 5, Role: rapport.RoleAdmin}
	shared := &rapport.Template{}
	mine := &rapport.Template{OwnerID: agent.ID}
	supOwn := &rapport.Template{OwnerID: sup.ID}
	for _, tc := range []struct {
		name       string
		t          *rapport.Template
		u          *rapport.User
		view, edit bool
	}{
		{"requester, shared", shared, req, false, false},
		{"requester, personal with their id", &rapport.Template{OwnerID: req.ID}, req, false, false},
		{"agent, shared", shared, agent, true, false},
		{"agent, own", mine, agent, true, true},
		{"agent, another's", mine, other, false, false},
		{"supervisor, shared", shared, sup, true, true},
		{"supervisor, an agent's", mine, sup, false, false},
		{"supervisor, own", supOwn, sup, true, true},
		{"admin, shared", shared, adm, true, true},
		{"admin, a supervisor's", supOwn, adm, false, false},
		{"nobody", shared, nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.t.CanView(tc.u); got != tc.view {
				t.Errorf("CanView=%v, want %v", got, tc.view)
			}
			if got := tc.t.CanEdit(tc.u); got != tc.edit {
				t.Errorf("CanEdit=%v, want %v", got, tc.edit)
			}
		})
	}
}
