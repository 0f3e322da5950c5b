package api_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestProfileAPI: the user JSON carries the profile; PATCH /me edits one's
// own (not notes); staff read anyone's with notes and edit requesters';
// notes never reach a requester; bad fields are plain field errors.
func TestProfileAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		me := e.must(200, e.pat, "GET", "/api/v1/me", "")
		for _, k := range []string{"preferred_name", "pronunciation", "phone", "preferred_channel", "time_zone", "language"} {
			if v, ok := me[k]; !ok || v != "" {
				t.Errorf("new user's %s = %v (present %v), want \"\"", k, v, ok)
			}
		}
		if _, ok := me["notes"]; ok {
			t.Error("a requester's own JSON has notes")
		}
		pat := id(me)
		for _, tc := range []struct {
			name, token, method, path, body string
			status                          int
			fields                          []string
		}{
			{"own profile", e.pat, "PATCH", "/api/v1/me", `{"preferred_name":"Patty","pronunciation":"PAT-ee","phone":"+1 555 0100","preferred_channel":"phone","time_zone":"America/New_York","language":"en-us"}`, 200, nil},
			{"own notes", e.pat, "PATCH", "/api/v1/me", `{"notes":"I am lovely"}`, 403, nil},
			{"bad fields", e.pat, "PATCH", "/api/v1/me", `{"time_zone":"Moon/Base","language":"xx-nope","preferred_channel":"fax"}`, 400, []string{"preferred_channel", "time_zone", "language"}},
			{"unknown field", e.pat, "PATCH", "/api/v1/me", `{"nickname":"P"}`, 400, []string{"nickname"}},
			{"someone else", e.sam, "PATCH", "/api/v1/users/" + pat, `{"preferred_name":"X"}`, 403, nil},
			{"someone else's profile", e.sam, "GET", "/api/v1/users/" + pat, "", 403, nil},
			{"staff notes", e.agent, "PATCH", "/api/v1/users/" + pat, `{"notes":"Prefers mornings."}`, 200, nil},
			{"staff role change", e.agent, "PATCH", "/api/v1/users/" + pat, `{"role":"agent","phone":"123"}`, 403, nil},
			{"admin, account and profile together", e.admin, "PATCH", "/api/v1/users/" + pat, `{"name":"Pat Doe","pronunciation":"PAT doh"}`, 200, nil},
			{"admin, all or nothing", e.admin, "PATCH", "/api/v1/users/" + pat, `{"name":"Never","time_zone":"Nowhere"}`, 400, []string{"time_zone"}},
			{"nobody", e.agent, "GET", "/api/v1/users/9999", "", 404, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, out, _ := e.do(tc.token, tc.method, tc.path, tc.body)
				if status != tc.status {
					t.Fatalf("status=%d, want %d: %v", status, tc.status, out)
				}
				var fields []string
				if errs, ok := out["errors"].([]any); ok {
					for _, f := range errs {
						fields = append(fields, f.(map[string]any)["field"].(string))
					}
				}
				if strings.Join(fields, ",") != strings.Join(tc.fields, ",") {
					t.Fatalf("fields=%v, want %v (%v)", fields, tc.fields, out)
				}
			})
		}
		own := e.must(200, e.pat, "GET", "/api/v1/me", "")
		if own["preferred_name"] != "Patty" || own["language"] != "en-US" || own["preferred_channel"] != "phone" || own["name"] != "Pat Doe" || own["pronunciation"] != "PAT doh" {
			t.Fatalf("own profile after the changes: %v", own)
		}
		if _, ok := own["notes"]; ok {
			t.Fatalf("notes reached the requester: %v", own)
		}
		seen := e.must(200, e.agent, "GET", "/api/v1/users/"+pat, "")
		if seen["notes"] != "Prefers mornings." || seen["phone"] != "+1 555 0100" {
			t.Fatalf("staff view: %v", seen)
		}
		list := e.must(200, e.agent, "GET", "/api/v1/users?role=requester", "")
		if first := list["users"].([]any)[0].(map[string]any); first["notes"] != "Prefers mornings." {
			t.Fatalf("staff list: %v", first)
		}
		// The ticket history is the ticket list filtered by requester.
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"Paper jam","impact":{"outage":false,"costs_money":false,"blocks_work":false}}`)
		if got := ids(e.must(200, e.agent, "GET", "/api/v1/tickets?requester="+pat, ""), "tickets"); strings.Join(got, ",") != id(tk) {
			t.Fatalf("history %v, want %s", got, id(tk))
		}
		// Calls.
		ev := e.must(201, e.agent, "POST", "/api/v1/tickets/"+id(tk)+"/calls", `{"minutes":3,"summary":"Cleared the jam together."}`)
		body, _ := ev["body"].(string)
		data, _ := ev["data"].(map[string]any)
		if ev["type"] != "message" || !strings.Contains(body, "called Pat Doe (Patty) on +1 555 0100") || data["call"] != "outbound" || data["minutes"] != "3" {
			t.Fatalf("call event: %v", ev)
		}
		e.must(403, e.pat, "POST", "/api/v1/tickets/"+id(tk)+"/calls", `{"summary":"x"}`)
		if _, out, _ := e.do(e.agent, "POST", "/api/v1/tickets/"+id(tk)+"/calls", `{"direction":"sideways"}`); len(out["errors"].([]any)) != 2 {
			t.Fatalf("bad call: %v", out)
		}
	})
}
