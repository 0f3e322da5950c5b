package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestTemplatesPages: staff list, search, create, edit and delete
// templates; an agent's are personal and the shared ones read-only to
// them; a supervisor shares; mistakes come back beside their field with
// what was typed; requesters are refused.
func TestTemplatesPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.add(t, "sue@example.com", rapport.RoleSupervisor)
		ann, sue, pat := f.client(t), f.client(t), f.client(t)
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, sue, "sue@example.com")
		f.signIn(t, pat, "pat@example.com")

		body := page(t, f, ann, "/templates")
		for _, want := range []string{`<a href="/templates">Templates</a>`, "Password reset", "Shared with all staff", "{{requester.preferred_name}}", "Save template"} {
			if !strings.Contains(body, want) {
				t.Fatalf("templates page lacks %q", want)
			}
		}
		if strings.Contains(body, "Share with all staff") {
			t.Fatalf("an agent is offered sharing")
		}
		if body := page(t, f, ann, "/templates?q=laptop"); !strings.Contains(body, "New laptop delayed") || strings.Contains(body, ">Access granted<") {
			t.Fatalf("search for laptop:\n%s", body)
		}

		// A mistake comes back with the words and the error beside the field.
		res, body := f.do(t, ann, "POST", "/templates", url.Values{"name": {"Mine"}, "body": {"Hi {{requester.nick}}, long words kept"}}, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "uses {{requester.nick}}, which Rapport does not know") ||
			!strings.Contains(body, "long words kept") || !strings.Contains(body, `id="template-body-error"`) {
			t.Fatalf("create with an unknown variable: %v\n%s", res.StatusCode, body)
		}
		if res, body := f.do(t, ann, "POST", "/templates", url.Values{"name": {"Mine"}, "body": {"Hi {{requester.preferred_name}}, mine."}, "shared": {"yes"}}, nil); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "Only supervisors and administrators can share templates.") {
			t.Fatalf("agent shares a template: %v\n%s", res.StatusCode, body)
		}
		f.post(t, ann, "/templates", url.Values{"name": {"Mine"}, "body": {"Hi {{requester.preferred_name}}, mine."}}, "/templates")
		ts, err := f.desk.Templates(f.as(t, "ann@example.com"), "Mine")
		if err != nil || len(ts) != 1 || ts[0].Shared() {
			t.Fatalf("created=%v, %v: want one personal template", ts, err)
		}
		mine := "/templates/" + itoa(ts[0].ID)
		if body := page(t, f, ann, mine); !strings.Contains(body, "Save changes") || !strings.Contains(body, "Delete template") {
			t.Fatalf("own template page:\n%s", body)
		}
		f.post(t, ann, mine, url.Values{"name": {"Mine, renamed"}, "body": {"Hello {{requester.preferred_name}}."}}, mine)
		if res, _ := f.do(t, sue, "GET", mine, nil, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("supervisor reads an agent's personal template: %v, want 404", res.StatusCode)
		}

		// Shared: read-only to the agent, kept by the supervisor.
		shared, _ := f.desk.Templates(f.as(t, "ann@example.com"), "Password reset")
		sharedPath := "/templates/" + itoa(shared[0].ID)
		if body := page(t, f, ann, sharedPath); strings.Contains(body, "Save changes") || !strings.Contains(body, "Only supervisors and administrators can change") {
			t.Fatalf("shared template as an agent:\n%s", body)
		}
		if res, _ := f.do(t, ann, "POST", sharedPath+"/delete", url.Values{}, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("agent deletes a shared template: %v, want 403", res.StatusCode)
		}
		if body := page(t, f, sue, sharedPath); !strings.Contains(body, "Save changes") || !strings.Contains(body, "Share with all staff") {
			t.Fatalf("shared template as a supervisor:\n%s", body)
		}
		f.post(t, sue, "/templates", url.Values{"name": {"Team note"}, "body": {"Hi {{requester.preferred_name}}"}, "shared": {"yes"}}, "/templates")
		if ts, _ := f.desk.Templates(f.as(t, "ann@example.com"), "Team note"); len(ts) != 1 || !ts[0].Shared() {
			t.Fatalf("supervisor's shared template as the agent sees it: %v", ts)
		}
		f.post(t, sue, sharedPath+"/delete", url.Values{}, "/templates")
		if res, _ := f.do(t, ann, "GET", sharedPath, nil, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted template: %v, want 404", res.StatusCode)
		}
		f.post(t, ann, mine+"/delete", url.Values{}, "/templates")

		for _, path := range []string{"/templates", sharedPath} {
			if res, _ := f.do(t, pat, "GET", path, nil, nil); res.StatusCode != http.StatusForbidden {
				t.Fatalf("requester GET %s: %v, want 403", path, res.StatusCode)
			}
		}
		if res, _ := f.do(t, pat, "POST", "/templates", url.Values{"name": {"x"}, "body": {"y"}}, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("requester creates a template: %v, want 403", res.StatusCode)
		}
		if body := page(t, f, pat, "/"); strings.Contains(body, `href="/templates"`) {
			t.Fatalf("requester's nav links to templates")
		}
	})
}

var replyBox = regexp.MustCompile(`(?s)<textarea id="reply-body"[^>]*>(.*?)</textarea>`)

// TestInsertTemplateWithoutJS: the ticket page's control works as plain
// form buttons posting the reply form: Filter narrows the list and keeps
// what was typed; Insert template puts the filled-in template into Reply
// after the typed text and sends nothing; a template that cannot be
// filled in says why and loses nothing. The
// JSON preview for templates.js answers the same text.
func TestInsertTemplateWithoutJS(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tk := f.ask(t, "Laptop is slow", "Very slow")
		ann, pat := f.client(t), f.client(t)
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, pat, "pat@example.com")
		ticket := "/tickets/" + itoa(tk.ID)
		laptop, _ := f.desk.Templates(f.as(t, "ann@example.com"), "New laptop delayed")
		visit, _ := f.desk.Templates(f.as(t, "ann@example.com"), "Scheduled visit")

		body := page(t, f, ann, ticket)
		if !strings.Contains(body, "<summary>Insert template</summary>") || !strings.Contains(body, "templates.") || strings.Contains(body, "<details class=\"reply-templates\" id=\"reply-templates\" data-ticket=\""+itoa(tk.ID)+"\" open") {
			t.Fatalf("ticket page lacks a closed Insert template control")
		}
		if body := page(t, f, pat, ticket); strings.Contains(body, "Insert template") {
			t.Fatalf("the requester sees the template control")
		}

		post := func(form url.Values) string {
			t.Helper()
			res, body := f.do(t, ann, "POST", ticket+"/templates", form, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("POST %s/templates %v: %v\n%s", ticket, form, res.StatusCode, body)
			}
			return body
		}
		q := url.Values{"tq": {"laptop"}, "body": {"Typed first."}, "internal": {""}}
		body = post(q)
		if !strings.Contains(body, ">New laptop delayed</option>") || strings.Contains(body, ">Access granted</option>") || !strings.Contains(body, " open>") {
			t.Fatalf("filtered control:\n%s", body)
		}
		if m := replyBox.FindStringSubmatch(body); m == nil || m[1] != "Typed first." {
			t.Fatalf("reply after filtering=%q, want what was typed", m)
		}

		q.Set("use", "yes")
		q.Set("template", itoa(laptop[0].ID))
		body = post(q)
		m := replyBox.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no reply box")
		}
		got := html.UnescapeString(m[1])
		if !strings.HasPrefix(got, "Typed first.\n\nHi Person,\n\nI'm sorry: your new laptop") || !strings.Contains(got, "ticket "+itoa(tk.ID)) || strings.Contains(got, "{{") {
			t.Fatalf("reply after inserting=%q", got)
		}
		if evs, _, _ := f.desk.Timeline(f.as(t, "ann@example.com"), tk.ID, "", 50); len(evs) != 1 {
			t.Fatalf("inserting a template sent something: %d events", len(evs))
		}

		// Ann's profile has no phone number: the visit template says so.
		q.Set("template", itoa(visit[0].ID))
		body = post(q)
		if !strings.Contains(body, "your profile has no phone number yet") || html.UnescapeString(replyBox.FindStringSubmatch(body)[1]) != "Typed first." {
			t.Fatalf("insert without a phone:\n%s", body)
		}
		q.Del("template")
		if body := post(q); !strings.Contains(body, "Choose a template from the list first") {
			t.Fatalf("insert with nothing chosen:\n%s", body)
		}
		if res, _ := f.do(t, pat, "POST", ticket+"/templates", q, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("requester posts the control: %v, want 403", res.StatusCode)
		}

		// The preview templates.js reads.
		res, js := f.do(t, ann, "GET", ticket+"/templates/"+itoa(laptop[0].ID), nil, nil)
		if res.StatusCode != 200 || !strings.Contains(js, `"body":"Hi Person,`) || !strings.Contains(js, `"subject":"An update on your new laptop"`) {
			t.Fatalf("preview JSON: %v %s", res.StatusCode, js)
		}
		if res, js := f.do(t, ann, "GET", ticket+"/templates/"+itoa(visit[0].ID), nil, nil); res.StatusCode != http.StatusConflict || !strings.Contains(js, "no phone number") {
			t.Fatalf("preview JSON without a phone: %v %s", res.StatusCode, js)
		}
		if res, _ := f.do(t, pat, "GET", ticket+"/templates/"+itoa(laptop[0].ID), nil, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("requester preview: %v, want 403", res.StatusCode)
		}
		if res, _ := f.do(t, ann, "GET", ticket+"/templates/x", nil, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("preview of no template: %v, want 404", res.StatusCode)
		}
	})
}
