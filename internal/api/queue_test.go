package api_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestQueuePaging: GET /queue pages by cursor with a Link rel="next"
// header, numbering every page by the same rule, and refuses offsets and
// cursors it did not give out.
func TestQueuePaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var want []string
		var crit []string
		for i := range 7 {
			impact := `{}`
			if i == 3 || i == 5 {
				impact = `{"outage":true}`
			}
			tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"s","body":"b","impact":`+impact+`}`)
			if impact != `{}` {
				crit = append(crit, id(tk))
			} else {
				want = append(want, id(tk))
			}
		}
		want = append(crit, want...)
		var got []string
		path := "/api/v1/queue?limit=3"
		for pages := 0; path != ""; pages++ {
			if pages > 3 {
				t.Fatalf("more than 3 pages of 3 for 7 tickets")
			}
			code, out, h := e.do(e.agent, "GET", path, "")
			if code != 200 {
				t.Fatalf("GET %s = %d: %v", path, code, out)
			}
			for _, tk := range out["tickets"].([]any) {
				m := tk.(map[string]any)
				got = append(got, id(m))
				if pos := jsonNum(m["queue_position"]); pos != jsonNum(len(got)) {
					t.Fatalf("ticket %s listed at %s, want %d", id(m), pos, len(got))
				}
			}
			path = ""
			if link := h.Get("Link"); link != "" {
				next, ok := strings.CutSuffix(link, `>; rel="next"`)
				if !ok || !strings.HasPrefix(next, "</api/v1/queue?") {
					t.Fatalf("Link=%q", link)
				}
				path = next[1:]
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("paged queue %v, want %v", got, want)
		}
		for _, bad := range []string{"?offset=3", "?cursor=nonsense", "?cursor=cTE6Mjox", "?limit=0"} {
			e.must(400, e.agent, "GET", "/api/v1/queue"+bad, "")
		}
		e.must(403, e.pat, "GET", "/api/v1/queue", "")
	})
}
