package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestCoach: POST /api/v1/coach answers the reading grade and findings to
// staff, with offsets in characters; requesters, empty, oversized and
// unknown tickets get plain problems.
func TestCoach(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"It drops","impact":{"outage":false,"costs_money":false,"blocks_work":false}}`)
		body := func(text, ticket string) string {
			b, _ := json.Marshal(text)
			if ticket == "" {
				return `{"text":` + string(b) + `}`
			}
			return `{"text":` + string(b) + `,"ticket_id":` + ticket + `}`
		}

		// A blunt, jargon-heavy draft on a known ticket (the requester is
		// "Person", so their greeting name is "Person").
		draft := "Zoë’s VPN client is fixed, obviously."
		out := e.must(200, e.agent, "POST", "/api/v1/coach", body(draft, id(tk)))
		if _, ok := out["reading_grade"].(float64); !ok {
			t.Fatalf("reading_grade=%v, want a number", out["reading_grade"])
		}
		kinds := map[string]bool{}
		for _, x := range out["findings"].([]any) {
			f := x.(map[string]any)
			kinds[f["kind"].(string)] = true
			for _, k := range []string{"start", "end", "message", "suggestion"} {
				if _, ok := f[k]; !ok {
					t.Fatalf("finding %v has no %s", f, k)
				}
			}
			if f["kind"] == "jargon" {
				// "Zoë’s " is 6 characters (8 bytes): the VPN client is at [6,16).
				if jsonNum(f["start"]) != "6" || jsonNum(f["end"]) != "16" || f["suggestion"] != "secure connection app" {
					t.Fatalf("jargon finding %v, want [6,16) \"secure connection app\"", f)
				}
			}
		}
		for _, k := range []string{"jargon", "brusque", "blame"} {
			if !kinds[k] {
				t.Fatalf("findings %v have no %s", out["findings"], k)
			}
		}

		// A good reply: no findings, and findings is [] not null.
		good := e.must(200, e.agent, "POST", "/api/v1/coach", body("Hi Person,\n\nI have fixed your connection. Please try again, and tell me if it drops.\n\nThanks,\nAnn", id(tk)))
		if fs, ok := good["findings"].([]any); !ok || len(fs) != 0 {
			t.Fatalf("findings=%v, want []", good["findings"])
		}

		for _, tc := range []struct {
			name, token, body string
			status            int
			field             string
		}{
			{"requester", e.pat, body("Hello", ""), 403, ""},
			{"signed out", "", body("Hello", ""), 401, ""},
			{"empty text", e.agent, body("  ", ""), 400, "text"},
			{"no text", e.agent, `{}`, 400, "text"},
			{"oversized text", e.agent, body(strings.Repeat("a", 50_001), ""), 400, "text"},
			{"ticket zero", e.agent, body("Hello", "0"), 400, "ticket_id"},
			{"unknown ticket", e.agent, body("Hello", "999999"), 404, ""},
			{"unknown field", e.agent, `{"text":"Hello","ticket":1}`, 400, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, out, _ := e.do(tc.token, "POST", "/api/v1/coach", tc.body)
				if got != tc.status {
					t.Fatalf("status=%d, want %d: %v", got, tc.status, out)
				}
				if tc.field != "" && !strings.Contains(jsonNum(out), `"field":"`+tc.field+`"`) {
					t.Fatalf("problem %v, want a field error on %s", out, tc.field)
				}
			})
		}
	})
}
