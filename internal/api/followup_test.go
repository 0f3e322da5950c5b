package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestFollowUpAPI: the check-in choice at resolve time and after, the
// requester's answers to the check-in and the survey, kudos, and the
// plain refusals of each.
func TestFollowUpAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Screen","body":"Flickers"}`)
		path := "/api/v1/tickets/" + id(tk)
		e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		bad := e.must(400, e.agent, "POST", path+"/resolve", `{"resolution":"New cable.","checkin_after":"soon"}`)
		if !strings.Contains(jsonNum(bad), "checkin_after") {
			t.Fatalf("bad delay: %v", bad)
		}
		e.must(200, e.agent, "POST", path+"/resolve", `{"resolution":"New cable.","checkin_after":"48h"}`)
		cs := e.must(200, e.agent, "GET", path+"/checkins", "")["checkins"].([]any)
		if len(cs) != 1 || cs[0].(map[string]any)["state"] != "scheduled" {
			t.Fatalf("check-ins %v", cs)
		}
		e.must(403, e.pat, "PUT", path+"/checkin", `{"after":"none"}`)
		if got := e.must(200, e.agent, "PUT", path+"/checkin", `{"after":"none"}`); got["checkin"] != nil {
			t.Fatalf("none scheduled %v", got)
		}
		c := e.must(200, e.agent, "PUT", path+"/checkin", `{"after":"24h"}`)["checkin"].(map[string]any)
		if c["state"] != "scheduled" {
			t.Fatalf("rescheduled %v", c)
		}

		// A node whose clock is a day and a bit later sends it.
		later := desk.New(db)
		later.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
		if n, err := later.SendDueCheckins(context.Background()); err != nil || n != 1 {
			t.Fatalf("SendDueCheckins = %d, %v", n, err)
		}
		ss := e.must(200, e.agent, "GET", path+"/surveys", "")["surveys"].([]any)
		if len(ss) != 1 || ss[0].(map[string]any)["score"] != nil {
			t.Fatalf("surveys %v", ss)
		}
		answer := "/api/v1/checkins/" + id(c) + "/answer"
		e.must(404, e.sam, "POST", answer, `{"answer":"fixed"}`)
		e.must(400, e.pat, "POST", answer, `{"answer":"maybe"}`)
		if got := e.must(200, e.pat, "POST", answer, `{"answer":"fixed"}`); got["status"] != "closed" {
			t.Fatalf("after fixed: %v", got["status"])
		}
		e.must(409, e.pat, "POST", answer, `{"answer":"back","words":"It is back"}`)

		survey := "/api/v1/surveys/" + id(ss[0].(map[string]any)) + "/answer"
		e.must(400, e.pat, "POST", survey, `{"score":6}`)
		e.must(404, e.sam, "POST", survey, `{"score":5}`)
		if got := e.must(200, e.pat, "POST", survey, `{"score":5,"comment":"Great"}`); jsonNum(got["score"]) != "5" {
			t.Fatalf("survey %v", got)
		}

		me := e.must(200, e.agent, "GET", "/api/v1/me", "")
		k := e.must(201, e.pat, "POST", "/api/v1/kudos", `{"ticket_id":`+id(tk)+`,"message":"Thank you!"}`)
		if id(k["to"].(map[string]any)) != id(me) {
			t.Fatalf("kudos went to %v", k["to"])
		}
		e.must(400, e.agent, "POST", "/api/v1/kudos", `{"to":`+id(me)+`,"message":"Me"}`)
		e.must(400, e.pat, "POST", "/api/v1/kudos", `{"ticket_id":`+id(tk)+`,"message":""}`)
		ks := e.must(200, e.admin, "GET", "/api/v1/users/"+id(me)+"/kudos", "")["kudos"].([]any)
		if len(ks) != 1 || ks[0].(map[string]any)["message"] != "Thank you!" {
			t.Fatalf("kudos %v", ks)
		}
		e.must(403, e.pat, "GET", "/api/v1/users/"+id(me)+"/kudos", "")
	})
}
