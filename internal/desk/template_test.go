package desk_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestTemplatePermissions: staff see the shared templates and their own;
// another person's personal template does not exist for them; agents
// cannot share or change shared ones; requesters can do nothing at all.
func TestTemplatePermissions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		bea := mustAdd(t, d, "bea@example.com", rapport.RoleAgent)
		sue := mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor)
		starters, err := d.Templates(as(ann), "")
		if err != nil {
			t.Fatal(err)
		}

		mine, err := d.CreateTemplate(as(ann), desk.NewTemplate{TemplateInput: rapport.TemplateInput{Name: "Ann's printer fix", Body: "Hi {{requester.preferred_name}}, try the tray."}})
		if err != nil || mine.Shared() || mine.OwnerID != ann.ID {
			t.Fatalf("personal template=%+v, %v", mine, err)
		}
		if _, err := d.CreateTemplate(as(ann), desk.NewTemplate{Shared: true, TemplateInput: rapport.TemplateInput{Name: "For all", Body: "Hi"}}); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("agent shares a template: err=%v, want EFORBIDDEN", err)
		}
		shared, err := d.CreateTemplate(as(sue), desk.NewTemplate{Shared: true, TemplateInput: rapport.TemplateInput{Name: "Printer tray", Body: "Hi {{requester.preferred_name}}"}})
		if err != nil || !shared.Shared() {
			t.Fatalf("shared template=%+v, %v", shared, err)
		}

		for _, tc := range []struct {
			name string
			u    *rapport.User
			want int // templates listed beyond the starters
		}{{"owner", ann, 2}, {"another agent", bea, 1}, {"supervisor", sue, 1}} {
			got, err := d.Templates(as(tc.u), "")
			if err != nil || len(got) != len(starters)+tc.want {
				t.Fatalf("%s lists %d templates (%v), want %d", tc.name, len(got), err, len(starters)+tc.want)
			}
		}
		for _, tc := range []struct {
			name string
			u    *rapport.User
			id   int64
			code string // of reading, changing, deleting, previewing
		}{
			{"another agent reads a personal one", bea, mine.ID, rapport.ENOTFOUND},
			{"supervisor reads an agent's personal one", sue, mine.ID, rapport.ENOTFOUND},
			{"requester reads a shared one", pat, shared.ID, rapport.EFORBIDDEN},
		} {
			if _, err := d.Template(as(tc.u), tc.id); rapport.ErrorCode(err) != tc.code {
				t.Errorf("%s: read err=%v, want %s", tc.name, err, tc.code)
			}
			if _, err := d.UpdateTemplate(as(tc.u), tc.id, desk.TemplateUpdate{Name: ptr("Mine now")}); rapport.ErrorCode(err) != tc.code {
				t.Errorf("%s: update err=%v, want %s", tc.name, err, tc.code)
			}
			if err := d.DeleteTemplate(as(tc.u), tc.id); rapport.ErrorCode(err) != tc.code {
				t.Errorf("%s: delete err=%v, want %s", tc.name, err, tc.code)
			}
		}
		if _, err := d.Templates(as(pat), ""); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Errorf("requester lists templates: err=%v, want EFORBIDDEN", err)
		}
		if _, err := d.CreateTemplate(as(pat), desk.NewTemplate{TemplateInput: rapport.TemplateInput{Name: "x", Body: "y"}}); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Errorf("requester creates a template: err=%v, want EFORBIDDEN", err)
		}
		if _, err := d.UpdateTemplate(as(ann), shared.ID, desk.TemplateUpdate{Body: ptr("Changed")}); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Errorf("agent changes a shared template: err=%v, want EFORBIDDEN", err)
		}
		if err := d.DeleteTemplate(as(ann), shared.ID); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Errorf("agent deletes a shared template: err=%v, want EFORBIDDEN", err)
		}
		if _, err := d.UpdateTemplate(as(ann), mine.ID, desk.TemplateUpdate{Shared: ptr(true)}); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Errorf("agent shares their own: err=%v, want EFORBIDDEN", err)
		}

		// The owner edits theirs; a supervisor edits and deletes shared ones
		// (the starters too) and can take a shared one back as their own.
		got, err := d.UpdateTemplate(as(ann), mine.ID, desk.TemplateUpdate{Body: ptr("Hi {{requester.preferred_name}}, try tray 2.")})
		if err != nil || got.Body != "Hi {{requester.preferred_name}}, try tray 2." || got.Name != mine.Name {
			t.Fatalf("owner's update=%+v, %v", got, err)
		}
		if got, err := d.UpdateTemplate(as(sue), starters[0].ID, desk.TemplateUpdate{Subject: ptr("")}); err != nil || got.Subject != "" || !got.Shared() {
			t.Fatalf("supervisor edits a starter=%+v, %v", got, err)
		}
		if err := d.DeleteTemplate(as(sue), starters[1].ID); err != nil {
			t.Fatalf("supervisor deletes a starter: %v", err)
		}
		if _, err := d.Template(as(ann), starters[1].ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("deleted starter: err=%v, want ENOTFOUND", err)
		}
		if got, err := d.UpdateTemplate(as(sue), shared.ID, desk.TemplateUpdate{Shared: ptr(false)}); err != nil || got.OwnerID != sue.ID {
			t.Fatalf("supervisor takes a shared one back=%+v, %v", got, err)
		}
		if _, err := d.Template(as(ann), shared.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("agent reads what is now the supervisor's own: err=%v, want ENOTFOUND", err)
		}
		if err := d.DeleteTemplate(as(ann), mine.ID); err != nil {
			t.Fatalf("owner deletes theirs: %v", err)
		}
		if err := d.DeleteTemplate(as(ann), mine.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("delete twice: err=%v, want ENOTFOUND", err)
		}
	})
}

// TestTemplateNames: a name is unique among the shared templates and
// among each person's own, in any case; the same name may be personal to
// two people. Invalid input is refused with the field named.
func TestTemplateNames(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, _, ann := people(t, db, nil)
		bea := mustAdd(t, d, "bea@example.com", rapport.RoleAgent)
		sue := mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor)
		in := func(name string) rapport.TemplateInput {
			return rapport.TemplateInput{Name: name, Body: "Hello {{requester.preferred_name}}"}
		}
		for _, tc := range []struct {
			name string
			u    *rapport.User
			in   desk.NewTemplate
			code string
			// field is the field the error names
			field string
		}{
			{"personal", ann, desk.NewTemplate{TemplateInput: in("VPN help")}, "", ""},
			{"same name, other case, same person", ann, desk.NewTemplate{TemplateInput: in("vpn HELP")}, rapport.ECONFLICT, "name"},
			{"same name, another person", bea, desk.NewTemplate{TemplateInput: in("VPN help")}, "", ""},
			{"same name, shared", sue, desk.NewTemplate{Shared: true, TemplateInput: in("VPN help")}, "", ""},
			{"a starter's name, shared", sue, desk.NewTemplate{Shared: true, TemplateInput: in("PASSWORD RESET")}, rapport.ECONFLICT, "name"},
			{"a starter's name, personal", ann, desk.NewTemplate{TemplateInput: in("Password reset")}, "", ""},
			{"unknown variable", ann, desk.NewTemplate{TemplateInput: rapport.TemplateInput{Name: "X", Body: "Hi {{name}}"}}, rapport.EINVALID, "body"},
			{"no name", ann, desk.NewTemplate{TemplateInput: rapport.TemplateInput{Body: "Hi"}}, rapport.EINVALID, "name"},
		} {
			_, err := d.CreateTemplate(as(tc.u), tc.in)
			if rapport.ErrorCode(err) != tc.code {
				t.Fatalf("%s: err=%v, want %q", tc.name, err, tc.code)
			}
			if f := rapport.ErrorFields(err); tc.field != "" && (len(f) == 0 || f[0].Field != tc.field) {
				t.Fatalf("%s: fields=%v, want %s", tc.name, f, tc.field)
			}
		}
		// Renaming onto a taken name is refused and changes nothing.
		other, err := d.CreateTemplate(as(ann), desk.NewTemplate{TemplateInput: in("Printer")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.UpdateTemplate(as(ann), other.ID, desk.TemplateUpdate{Name: ptr("vpn help")}); rapport.ErrorCode(err) != rapport.ECONFLICT {
			t.Fatalf("rename onto a taken name: err=%v, want ECONFLICT", err)
		}
		if _, err := d.UpdateTemplate(as(ann), other.ID, desk.TemplateUpdate{Body: ptr("{{oops")}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("update with a malformed variable: err=%v, want EINVALID", err)
		}
		if got, _ := d.Template(as(ann), other.ID); got.Name != "Printer" || got.Body != "Hello {{requester.preferred_name}}" {
			t.Fatalf("after refused updates=%+v, want unchanged", got)
		}
	})
}

// TestTemplateSearch: q keeps templates whose name, subject or text
// contains it, in any case.
func TestTemplateSearch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, _, ann := people(t, db, nil)
		if _, err := d.CreateTemplate(as(ann), desk.NewTemplate{TemplateInput: rapport.TemplateInput{Name: "Zebra", Subject: "Striped", Body: "Hi {{requester.preferred_name}}, about the KEYBOARD."}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"zeb", []string{"Zebra"}},
			{"keyboard", []string{"Zebra"}},
			{"STRIPED", []string{"Zebra"}},
			{"password", []string{"Password reset"}},
			{"DELIVERY", []string{"New laptop delayed"}},
			{"no such words here", nil},
		} {
			got, err := d.Templates(as(ann), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tpl := range got {
				names = append(names, tpl.Name)
			}
			if strings.Join(names, "|") != strings.Join(tc.want, "|") {
				t.Errorf("q=%q: %v, want %v", tc.q, names, tc.want)
			}
		}
	})
}

// TestTemplatePreview: a template is filled in with the real values of
// the ticket, its requester and the agent previewing it; tickets and
// templates the agent may not see are refused; a missing value is a clear
// error, not a gap.
func TestTemplatePreview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Printer jams", Body: "Again"}})
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := d.CreateTemplate(as(ann), desk.NewTemplate{TemplateInput: rapport.TemplateInput{Name: "P", Subject: "Re: {{ticket.subject}}",
			Body: "Hi {{requester.preferred_name}} ({{requester.name}}), ticket {{ticket.number}} is with {{agent.name}}."}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.PreviewTemplate(as(ann), tpl.ID, tk.ID)
		want := "Hi Person (Person pat@example.com), ticket " + strconv.FormatInt(tk.ID, 10) + " is with Person ann@example.com."
		if err != nil || got.Body != want || got.Subject != "Re: Printer jams" {
			t.Fatalf("preview=%+v, %v, want body %q", got, err, want)
		}

		// The agent's phone comes from the signed-in account; without one
		// the template that needs it says so.
		phoned, err := d.CreateTemplate(as(ann), desk.NewTemplate{TemplateInput: rapport.TemplateInput{Name: "Call", Body: "Call me on {{agent.phone}}."}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.PreviewTemplate(as(ann), phoned.ID, tk.ID); rapport.ErrorCode(err) != rapport.ECONFLICT || !strings.Contains(rapport.ErrorMessage(err), "no phone number") {
			t.Fatalf("preview without a phone: err=%v, want ECONFLICT about the phone", err)
		}
		withPhone := *ann
		withPhone.Phone = "+1 555 0100"
		if got, err := d.PreviewTemplate(as(&withPhone), phoned.ID, tk.ID); err != nil || got.Body != "Call me on +1 555 0100." {
			t.Fatalf("preview with a phone=%+v, %v", got, err)
		}

		bea := mustAdd(t, d, "bea@example.com", rapport.RoleAgent)
		for _, tc := range []struct {
			name     string
			u        *rapport.User
			tpl, tkt int64
			code     string
		}{
			{"another agent's personal template", bea, tpl.ID, tk.ID, rapport.ENOTFOUND},
			{"no such ticket", ann, tpl.ID, tk.ID + 1000, rapport.ENOTFOUND},
			{"no such template", ann, tpl.ID + 1000, tk.ID, rapport.ENOTFOUND},
			{"the requester", pat, tpl.ID, tk.ID, rapport.EFORBIDDEN},
		} {
			if _, err := d.PreviewTemplate(as(tc.u), tc.tpl, tc.tkt); rapport.ErrorCode(err) != tc.code {
				t.Errorf("%s: err=%v, want %s", tc.name, err, tc.code)
			}
		}
	})
}

// TestStarterTemplates: the starter set is there on a new database, shared,
// with the four the help desk asked for; each greets by preferred name,
// is more than a one-line brush-off, tells the person how to come back,
// and renders for a real ticket.
func TestStarterTemplates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		withPhone := *ann
		withPhone.Phone = "+1 555 0100"
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Help", Body: "Please"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.Templates(as(ann), "")
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, tpl := range got {
			names[tpl.Name] = true
			if !tpl.Shared() {
				t.Errorf("%q is not shared", tpl.Name)
			}
			if !strings.HasPrefix(tpl.Body, "Hi {{requester.preferred_name}},") {
				t.Errorf("%q does not greet by preferred name: %.40q", tpl.Name, tpl.Body)
			}
			if len(tpl.Body) < 400 || strings.Count(tpl.Body, "\n\n") < 3 {
				t.Errorf("%q is too short to anticipate the next question (%d characters)", tpl.Name, len(tpl.Body))
			}
			if !strings.Contains(tpl.Body, "reply") {
				t.Errorf("%q does not say how to come back", tpl.Name)
			}
			check := *tpl
			if err := check.Apply(rapport.TemplateInput{Name: tpl.Name, Subject: tpl.Subject, Body: tpl.Body}); err != nil {
				t.Errorf("%q does not validate: %v", tpl.Name, err)
			}
			r, err := d.PreviewTemplate(as(&withPhone), tpl.ID, tk.ID)
			if err != nil || strings.Contains(r.Body, "{{") || !strings.HasPrefix(r.Body, "Hi Person,") {
				t.Errorf("%q renders as %+v, %v", tpl.Name, r, err)
			}
		}
		for _, want := range []string{"Password reset", "New laptop delayed", "Access granted", "On hold: waiting for a supplier date",
			"We need more information", "Resolved: how to check", "Scheduled visit"} {
			if !names[want] {
				t.Errorf("no starter template %q in %v", want, names)
			}
		}
	})
}
