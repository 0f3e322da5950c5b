package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestMoodStaffOnly: staff read the mood in ticket JSON, on the timeline
// and through the list filter; the requester finds it nowhere.
func TestMoodStaffOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		angry := id(e.must(201, e.pat, "POST", "/api/v1/tickets",
			`{"subject":"Laptop","body":"This is completely unacceptable. If this isn't fixed today I'm escalating to your manager."}`))
		calm := id(e.must(201, e.sam, "POST", "/api/v1/tickets", `{"subject":"Mouse","body":"Could I get a new mouse please? Thanks."}`))
		reply := e.must(201, e.sam, "POST", "/api/v1/tickets/"+calm+"/messages",
			`{"body":"This is still not working and the mouse froze again. I can't work like this."}`)

		// The requester: nothing in the ticket, the timeline or the reply.
		for _, path := range []string{"/api/v1/tickets/" + angry, "/api/v1/tickets/" + angry + "/timeline",
			"/api/v1/tickets"} {
			b, _ := json.Marshal(e.must(200, e.pat, "GET", path, ""))
			if strings.Contains(string(b), "mood") {
				t.Errorf("the requester's GET %s shows the mood: %s", path, b)
			}
		}
		if b, _ := json.Marshal(e.must(200, e.sam, "GET", "/api/v1/tickets/"+calm+"/timeline", "")); strings.Contains(string(b), "mood") {
			t.Errorf("the requester's timeline shows the mood: %s", b)
		}
		if b, _ := json.Marshal(reply); strings.Contains(string(b), "mood") {
			t.Errorf("the requester's reply comes back with the mood: %s", b)
		}
		if code, _, _ := e.do(e.pat, "GET", "/api/v1/tickets?status=new&mood=angry", ""); code != 403 {
			t.Errorf("a requester filtering by mood = %d, want 403", code)
		}

		// Staff.
		tk := e.must(200, e.agent, "GET", "/api/v1/tickets/"+angry, "")
		if tk["mood"] != "angry" || !strings.Contains(tk["mood_reason"].(string), "threatens to escalate") {
			t.Errorf("staff see mood %v (%v)", tk["mood"], tk["mood_reason"])
		}
		evs := e.must(200, e.agent, "GET", "/api/v1/tickets/"+calm+"/timeline", "")["events"].([]any)
		last := evs[len(evs)-1].(map[string]any)["data"].(map[string]any)
		if last["mood"] != "frustrated" || last["mood_reason"] == "" {
			t.Errorf("staff see the reply's data %v", last)
		}
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"status=new&mood=angry", []string{angry}},
			{"status=new,open&mood=frustrated", []string{calm}},
			{"status=new&mood=calm", nil},
			{"q=laptop&mood=angry", []string{angry}},
		} {
			got := ids(e.must(200, e.agent, "GET", "/api/v1/tickets?"+tc.query, ""), "tickets")
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("GET ?%s = %v, want %v", tc.query, got, tc.want)
			}
		}
		for _, q := range []string{"mood=angry", "status=new&mood=livid"} {
			if code, body, _ := e.do(e.agent, "GET", "/api/v1/tickets?"+q, ""); code != 400 {
				t.Errorf("GET ?%s = %d, want 400: %v", q, code, body)
			}
		}
	})
}
