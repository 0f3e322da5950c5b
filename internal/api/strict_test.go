package api_test

import (
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestUnknownKeysAndBadUTF8Refused: a typo in a key, at the top or nested,
// and text that is not UTF-8 are refused and nothing is filed.
func TestUnknownKeysAndBadUTF8Refused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, tc := range []struct{ name, body, field, msg string }{
			{"typo", `{"subject":"Payroll down","body":"x","impcat":{"costs_money":true}}`, "impcat", `Unknown field "impcat"; did you mean "impact"?`},
			{"nested", `{"subject":"Payroll down","body":"x","impact":{"cost_money":true}}`, "impact.cost_money", `Unknown field "cost_money"; did you mean "costs_money"?`},
			{"bad utf-8", "{\"subject\":\"Caf\xe9 down\",\"body\":\"x\"}", "", "The request body is not valid UTF-8 text. Please send JSON encoded as UTF-8."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out := e.must(400, e.pat, "POST", "/api/v1/tickets", tc.body)
				if tc.field == "" {
					if out["detail"] != tc.msg {
						t.Fatalf("detail=%v, want %q", out["detail"], tc.msg)
					}
					return
				}
				errs, _ := out["errors"].([]any)
				if len(errs) != 1 || errs[0].(map[string]any)["field"] != tc.field || errs[0].(map[string]any)["message"] != tc.msg {
					t.Fatalf("errors=%v, want %s: %s", out["errors"], tc.field, tc.msg)
				}
			})
		}
		if n := len(e.must(200, e.pat, "GET", "/api/v1/tickets", "")["tickets"].([]any)); n != 0 {
			t.Fatalf("%d tickets filed from refused requests", n)
		}
	})
}
