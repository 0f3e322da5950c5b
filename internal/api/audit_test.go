package api_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestAuditAPI: a staff read of someone's private data through the API
// writes exactly one entry (route api); a requester's read of their own
// writes none; supervisors and admins page through the log by person and
// by staff member with Link rel=next; others get 403, bad filters 400.
func TestAuditAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sue := addStaff(t, db, "sue@example.com", rapport.RoleSupervisor)
		me := e.must(200, e.pat, "GET", "/api/v1/me", "")
		pat := id(me)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"Jammed"}`)
		status, ev, _ := e.send(e.pat, "/api/v1/tickets/"+id(tk)+"/messages", nil, part{"body", "", "", "Photo"}, part{"file", "jam.txt", "text/plain", "paper"})
		if status != 201 {
			t.Fatalf("upload: %d %v", status, ev)
		}
		file := id(attachments(ev)[0])
		count := func() int { return len(e.walk(sue, "/api/v1/audit?limit=100", "entries")) }

		for _, tc := range []struct {
			name, token, path string
			entries           int
			what              string
		}{
			{"agent reads a profile", e.agent, "/api/v1/users/" + pat, 1, "profile"},
			{"agent reads strike history", e.agent, "/api/v1/users/" + pat + "/strikes", 1, "strikes"},
			{"agent downloads the requester's file", e.agent, "/api/v1/attachments/" + file, 1, "attachment"},
			{"requester reads their own profile", e.pat, "/api/v1/me", 0, ""},
			{"requester downloads their own file", e.pat, "/api/v1/attachments/" + file, 0, ""},
			{"requester is refused another's profile", e.pat, "/api/v1/users/" + pat, 0, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := count()
				res, _ := e.get(tc.token, tc.path)
				if tc.entries > 0 && res.StatusCode != 200 {
					t.Fatalf("GET %s = %d", tc.path, res.StatusCode)
				}
				if got := count() - before; got != tc.entries {
					t.Fatalf("%d new entries, want %d", got, tc.entries)
				}
				if tc.entries == 0 {
					return
				}
				last := e.must(200, sue, "GET", "/api/v1/audit?limit=1", "")["entries"].([]any)[0].(map[string]any)
				if last["what"] != tc.what || last["route"] != "api" || id(last["user"].(map[string]any)) != pat ||
					last["staff"].(map[string]any)["email"] != "ann@example.com" || last["at"] == "" {
					t.Fatalf("entry %v", last)
				}
			})
		}

		// More reads, to page through; then the filters.
		for range 5 {
			e.must(200, sue, "GET", "/api/v1/users/"+pat, "")
		}
		all := e.walk(sue, "/api/v1/audit?limit=100", "entries")
		if paged := e.walk(e.admin, "/api/v1/audit?limit=2", "entries"); strings.Join(paged, ",") != strings.Join(all, ",") || len(all) != 8 {
			t.Fatalf("paged %v, whole %v", paged, all)
		}
		for _, tc := range []struct {
			name, query string
			want        int
		}{
			{"by person, number", "user=" + pat, 8},
			{"by person, email", "user=pat@example.com", 8},
			{"by staff", "staff=sue@example.com", 5},
			{"by both", "user=" + pat + "&staff=ann@example.com", 3},
			{"nobody's data read", "user=sam@example.com", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := e.walk(sue, "/api/v1/audit?limit=3&"+tc.query, "entries"); len(got) != tc.want {
					t.Fatalf("%d entries, want %d", len(got), tc.want)
				}
			})
		}
		for _, tc := range []struct {
			name, token, query string
			status             int
			field              string
		}{
			{"agent", e.agent, "", 403, ""},
			{"requester", e.pat, "", 403, ""},
			{"unknown email", sue, "user=nobody@example.com", 400, "user"},
			{"unknown number", sue, "staff=99999", 400, "staff"},
			{"not a person", sue, "staff=ann", 400, "staff"},
			{"damaged cursor", sue, "cursor=abc", 400, "cursor"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, p, _ := e.do(tc.token, "GET", "/api/v1/audit?"+tc.query, "")
				if code != tc.status || fieldOf(p) != tc.field {
					t.Fatalf("%d %v, want %d on %q", code, p, tc.status, tc.field)
				}
			})
		}

		// The list of people shows profiles: one entry per person listed,
		// the caller excepted.
		before := count()
		listed := e.walk(sue, "/api/v1/users?limit=100", "users")
		if got := count() - before; got != len(listed)-1 || len(listed) != 5 {
			t.Fatalf("listing %d people wrote %d entries, want %d", len(listed), got, len(listed)-1)
		}
	})
}
