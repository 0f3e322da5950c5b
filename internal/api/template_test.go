package api_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestTemplatesAPI: staff list (with q), create, read, change, preview
// against a ticket and delete templates; a personal template is its
// owner's alone, shared ones are for admins and supervisors to keep;
// requesters get 403 everywhere; an unknown variable is a 400 naming it.
func TestTemplatesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Printer jams","body":"Again and again"}`)

		starters := e.must(200, e.agent, "GET", "/api/v1/templates", "")["templates"].([]any)
		if len(starters) < 7 {
			t.Fatalf("%d starter templates, want at least 7", len(starters))
		}
		vars := e.must(200, e.agent, "GET", "/api/v1/templates/variables", "")["variables"].([]any)
		if len(vars) == 0 || vars[0].(map[string]any)["name"] != "requester.preferred_name" {
			t.Fatalf("variables=%v", vars)
		}

		// An unknown variable is refused, naming it and the known ones.
		out := e.must(400, e.agent, "POST", "/api/v1/templates", `{"name":"Bad","body":"Hi {{requester.nick}}"}`)
		errs := out["errors"].([]any)
		msg, _ := errs[0].(map[string]any)["message"].(string)
		if errs[0].(map[string]any)["field"] != "body" || !strings.Contains(msg, "{{requester.nick}}") || !strings.Contains(msg, "{{ticket.number}}") {
			t.Fatalf("errors=%v", errs)
		}
		e.must(403, e.agent, "POST", "/api/v1/templates", `{"name":"Shared","body":"Hi","shared":true}`)

		mine := e.must(201, e.agent, "POST", "/api/v1/templates",
			`{"name":"Printer fix","subject":"About {{ticket.subject}}","body":"Hi {{requester.preferred_name}}, ticket {{ticket.number}} is with {{agent.name}}."}`)
		if mine["shared"] != false || mine["can_edit"] != true || mine["owner_id"] == nil {
			t.Fatalf("created=%v", mine)
		}
		path := "/api/v1/templates/" + id(mine)
		e.must(409, e.agent, "POST", "/api/v1/templates", `{"name":"printer FIX","body":"Hi"}`)

		got := e.must(200, e.agent, "POST", path+"/preview", `{"ticket_id":`+id(tk)+`}`)
		if got["body"] != "Hi Person, ticket "+id(tk)+" is with Person." || got["subject"] != "About Printer jams" {
			t.Fatalf("preview=%v", got)
		}
		e.must(400, e.agent, "POST", path+"/preview", `{}`)
		e.must(404, e.agent, "POST", path+"/preview", `{"ticket_id":999999}`)

		if got := e.must(200, e.agent, "GET", "/api/v1/templates?q=PRINTER", "")["templates"].([]any); len(got) != 1 || id(got[0].(map[string]any)) != id(mine) {
			t.Fatalf("q=PRINTER: %v", got)
		}
		if got := e.must(200, e.admin, "GET", "/api/v1/templates?q=printer", "")["templates"].([]any); len(got) != 0 {
			t.Fatalf("the admin sees the agent's personal template: %v", got)
		}
		e.must(404, e.admin, "GET", path, "")
		e.must(404, e.admin, "PATCH", path, `{"name":"Mine"}`)

		changed := e.must(200, e.agent, "PATCH", path, `{"body":"Hello {{requester.preferred_name}}."}`)
		if changed["body"] != "Hello {{requester.preferred_name}}." || changed["name"] != "Printer fix" {
			t.Fatalf("changed=%v", changed)
		}
		e.must(400, e.agent, "PATCH", path, `{"body":"Hello {{oops"}`)

		// Shared ones: the admin keeps them, the agent uses them.
		shared := e.must(201, e.admin, "POST", "/api/v1/templates", `{"name":"Welcome","body":"Hi {{requester.preferred_name}}","shared":true}`)
		spath := "/api/v1/templates/" + id(shared)
		if got := e.must(200, e.agent, "GET", spath, ""); got["can_edit"] != false || got["shared"] != true || got["owner_id"] != nil {
			t.Fatalf("shared as the agent sees it=%v", got)
		}
		e.must(403, e.agent, "PATCH", spath, `{"name":"Mine"}`)
		e.must(403, e.agent, "DELETE", spath, "")
		e.must(200, e.agent, "POST", spath+"/preview", `{"ticket_id":`+id(tk)+`}`)

		for _, c := range []struct{ method, path, body string }{
			{"GET", "/api/v1/templates", ""}, {"GET", "/api/v1/templates/variables", ""}, {"GET", spath, ""},
			{"POST", "/api/v1/templates", `{"name":"x","body":"y"}`}, {"PATCH", spath, `{"name":"x"}`},
			{"DELETE", spath, ""}, {"POST", spath + "/preview", `{"ticket_id":` + id(tk) + `}`},
		} {
			e.must(403, e.pat, c.method, c.path, c.body)
		}
		e.must(401, "", "GET", "/api/v1/templates", "")
		e.must(404, e.agent, "GET", "/api/v1/templates/abc", "")

		e.must(204, e.admin, "DELETE", spath, "")
		e.must(204, e.agent, "DELETE", path, "")
		e.must(404, e.agent, "GET", path, "")
	})
}
