package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// addStaff adds a member of staff to e's database and returns their token.
func addStaff(t *testing.T, db *store.DB, email string, role rapport.Role) string {
	t.Helper()
	d := desk.New(db)
	if _, err := d.AddUser(context.Background(), email, "Staff "+email, role); err != nil {
		t.Fatal(err)
	}
	tok, err := d.CreateToken(context.Background(), email, "")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func fieldOf(p map[string]any) string {
	errs, _ := p["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	return errs[0].(map[string]any)["field"].(string)
}

// TestStrikesAPI walks Three Strikes through the API: who may do what,
// the plain errors, the count in ticket JSON (staff only), the fourth
// refused, withdrawing, the history and the texts.
func TestStrikesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sue := addStaff(t, db, "sue@example.com", rapport.RoleSupervisor)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"Fix this, you clowns."}`)
		tid := id(tk)
		base := "/api/v1/tickets/" + tid
		var msgs []string
		for _, b := range []string{"Useless.", "Still useless.", "Pathetic."} {
			msgs = append(msgs, id(e.must(201, e.pat, "POST", base+"/messages", `{"body":"`+b+`"}`)))
		}
		reply := id(e.must(201, e.agent, "POST", base+"/messages", `{"body":"Looking now."}`))
		other := e.must(201, e.sam, "POST", "/api/v1/tickets", `{"subject":"Mail","body":"Hello"}`)
		otherMsg := id(e.must(201, e.sam, "POST", "/api/v1/tickets/"+id(other)+"/messages", `{"body":"Thanks"}`))

		for _, tc := range []struct {
			name, token, body string
			status            int
			field, detail     string
		}{
			{"requester", e.pat, `{"event_id":` + msgs[0] + `}`, 403, "", "Only help desk staff"},
			{"no event", e.agent, `{}`, 400, "event_id", ""},
			{"agent's reply", e.agent, `{"event_id":` + reply + `}`, 400, "event_id", ""},
			{"another ticket's message", e.agent, `{"event_id":` + otherMsg + `}`, 400, "event_id", ""},
			{"unknown key", e.agent, `{"event":` + msgs[0] + `}`, 400, "event", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, p, _ := e.do(tc.token, "POST", base+"/strikes", tc.body)
				if code != tc.status || fieldOf(p) != tc.field || !strings.Contains(p["detail"].(string), tc.detail) {
					t.Fatalf("status %d %v, want %d field %q detail %q", code, p, tc.status, tc.field, tc.detail)
				}
			})
		}
		got := e.must(200, e.agent, "GET", base+"/strikes", "")
		next := got["next"].(map[string]any)
		if jsonNum(next["step"]) != "1" || !strings.HasPrefix(next["text"].(string), "Hello Person,") {
			t.Fatalf("next strike %v", next)
		}
		first := e.must(201, e.agent, "POST", base+"/strikes", `{"event_id":`+msgs[0]+`,"note":"Name-calling."}`)
		s1 := first["strike"].(map[string]any)
		if jsonNum(s1["step"]) != "1" || s1["note"] != "Name-calling." || jsonNum(first["ticket"].(map[string]any)["strikes"]) != "1" {
			t.Fatalf("first strike %v", first)
		}
		if n := e.must(200, e.agent, "GET", base, "")["strikes"]; jsonNum(n) != "1" {
			t.Fatalf("ticket strikes %v", n)
		}
		if _, ok := e.must(200, e.pat, "GET", base, "")["strikes"]; ok {
			t.Fatal("the requester's ticket JSON carries strikes")
		}
		if code, p, _ := e.do(e.agent, "POST", base+"/strikes", `{"event_id":`+msgs[0]+`}`); code != 409 || !strings.Contains(p["detail"].(string), "already has a strike") {
			t.Fatalf("same message again: %d %v", code, p)
		}
		e.must(201, e.agent, "POST", base+"/strikes", `{"event_id":`+msgs[1]+`}`)
		created := id(e.must(200, e.agent, "GET", base+"/timeline", "")["events"].([]any)[0].(map[string]any))
		third := e.must(201, e.agent, "POST", base+"/strikes", `{"event_id":`+created+`}`)
		if tkj := third["ticket"].(map[string]any); tkj["status"] != "closed" || jsonNum(tkj["strikes"]) != "3" {
			t.Fatalf("after the third strike: %v", tkj)
		}
		if code, p, _ := e.do(e.agent, "POST", base+"/strikes", `{"event_id":`+msgs[2]+`}`); code != 409 || !strings.Contains(p["detail"].(string), "no fourth strike") {
			t.Fatalf("fourth strike: %d %v", code, p)
		}
		if got := e.must(200, e.agent, "GET", base+"/strikes", ""); got["next"] != nil || len(got["strikes"].([]any)) != 3 {
			t.Fatalf("strikes after three: %v", got)
		}

		// Withdrawing: supervisors only, with a reason; DELETE or POST.
		s1id := id(s1)
		if code, _, _ := e.do(e.agent, "DELETE", base+"/strikes/"+s1id+"?reason=Fair", ""); code != 403 {
			t.Fatalf("an agent withdrew: %d", code)
		}
		if code, p, _ := e.do(sue, "DELETE", base+"/strikes/"+s1id, ""); code != 400 || fieldOf(p) != "reason" {
			t.Fatalf("no reason: %d %v", code, p)
		}
		w := e.must(200, sue, "DELETE", base+"/strikes/"+s1id+"?reason=Quoted+an+error+message", "")
		if s := w["strike"].(map[string]any); s["withdrawn"] != true || s["withdraw_reason"] != "Quoted an error message" {
			t.Fatalf("withdrawn %v", w)
		}
		if tkj := w["ticket"].(map[string]any); jsonNum(tkj["strikes"]) != "2" || tkj["status"] != "closed" {
			t.Fatalf("after withdrawing: %v", tkj)
		}
		s2id := id(e.must(200, e.agent, "GET", base+"/strikes", "")["strikes"].([]any)[1].(map[string]any))
		e.must(200, e.admin, "POST", base+"/strikes/"+s2id+"/withdraw", `{"reason":"Too quick."}`)
		if code, _, _ := e.do(sue, "POST", base+"/strikes/"+s2id+"/withdraw", `{"reason":"Again"}`); code != 409 {
			t.Fatalf("withdrawn twice: %d", code)
		}
		if code, _, _ := e.do(sue, "POST", base+"/strikes/99999/withdraw", `{"reason":"x"}`); code != 404 {
			t.Fatalf("unknown strike: %d", code)
		}

		// The person's history, for staff.
		me := e.must(200, e.pat, "GET", "/api/v1/me", "")
		hist := e.must(200, e.agent, "GET", "/api/v1/users/"+id(me)+"/strikes", "")["strikes"].([]any)
		if len(hist) != 3 || hist[0].(map[string]any)["withdrawn"] != true || hist[2].(map[string]any)["withdrawn"] != false {
			t.Fatalf("history %v", hist)
		}
		if code, _, _ := e.do(e.pat, "GET", "/api/v1/users/"+id(me)+"/strikes", ""); code != 403 {
			t.Fatalf("the requester reads their strike history: %d", code)
		}

		// The texts: staff read, supervisors and admins edit.
		if texts := e.must(200, e.agent, "GET", "/api/v1/strike-texts", "")["texts"].([]any); len(texts) != 3 {
			t.Fatalf("texts %v", texts)
		}
		for _, tc := range []struct {
			name, token, path, body string
			status                  int
		}{
			{"requester reads", e.pat, "/api/v1/strike-texts", "", 403},
			{"agent edits", e.agent, "/api/v1/strike-texts/1", `{"body":"Be nice."}`, 403},
			{"no such step", sue, "/api/v1/strike-texts/4", `{"body":"Bye."}`, 404},
			{"not a step", sue, "/api/v1/strike-texts/one", `{"body":"Bye."}`, 404},
			{"old single-brace placeholder", sue, "/api/v1/strike-texts/1", `{"body":"Hi {name}"}`, 400},
			{"supervisor edits", sue, "/api/v1/strike-texts/1", `{"body":"Hi {{requester.preferred_name}}, please keep this respectful."}`, 200},
		} {
			t.Run(tc.name, func(t *testing.T) {
				method := "PUT"
				if tc.body == "" {
					method = "GET"
				}
				if code, p, _ := e.do(tc.token, method, tc.path, tc.body); code != tc.status {
					t.Fatalf("status %d %v, want %d", code, p, tc.status)
				}
			})
		}
	})
}

// TestStrikeTextVariables: strike texts take the templates' variables;
// an unknown or malformed one is refused naming it, the preview is the
// filled-in text, and a variable with no value (the agent's phone) shows
// as a problem in the preview and refuses the strike, writing nothing.
func TestStrikeTextVariables(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sue := addStaff(t, db, "sue@example.com", rapport.RoleSupervisor)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"Fix this, you clowns."}`)
		tid := id(tk)
		base := "/api/v1/tickets/" + tid
		for _, tc := range []struct {
			name, body string
			status     int
			want       string
		}{
			{"unknown variable", `{"body":"Hi {{requester.nickname}}"}`, 400, "{{requester.nickname}}, which Rapport does not know"},
			{"malformed variable", `{"body":"Hi {{requester.preferred_name}"}`, 400, "opening {{ with no closing }}"},
			{"single braces", `{"body":"Hi {ticket.number}"}`, 400, "{ticket.number} with single braces"},
			{"variables", `{"body":"Hello {{requester.preferred_name}}, ticket {{ticket.number}} ({{ticket.subject}}): keep it civil. {{agent.name}}"}`, 200, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, p, _ := e.do(sue, "PUT", "/api/v1/strike-texts/1", tc.body)
				if code != tc.status || tc.want != "" && (fieldOf(p) != "body" || !strings.Contains(fmt.Sprint(p["errors"]), tc.want)) {
					t.Fatalf("status %d %v, want %d saying %q", code, p, tc.status, tc.want)
				}
			})
		}
		next := e.must(200, e.agent, "GET", base+"/strikes", "")["next"].(map[string]any)
		agentName := e.must(200, e.agent, "GET", "/api/v1/me", "")["name"].(string)
		if want := "Hello Person, ticket " + tid + " (VPN): keep it civil. " + agentName; next["text"] != want || next["problem"] != nil {
			t.Fatalf("preview %v, want text %q", next, want)
		}
		e.must(200, sue, "PUT", "/api/v1/strike-texts/1", `{"body":"Hello {{requester.preferred_name}}, call me on {{agent.phone}}."}`)
		next = e.must(200, e.agent, "GET", base+"/strikes", "")["next"].(map[string]any)
		if next["text"] != nil || jsonNum(next["step"]) != "1" || !strings.Contains(next["problem"].(string), "no phone number") {
			t.Fatalf("preview without a phone: %v", next)
		}
		created := id(e.must(200, e.agent, "GET", base+"/timeline", "")["events"].([]any)[0].(map[string]any))
		if code, p, _ := e.do(e.agent, "POST", base+"/strikes", `{"event_id":`+created+`}`); code != 409 || !strings.Contains(p["detail"].(string), "{{agent.phone}}") {
			t.Fatalf("strike without a phone: %d %v", code, p)
		}
		if n := jsonNum(e.must(200, e.agent, "GET", base, "")["strikes"]); n != "0" {
			t.Fatalf("a refused strike counted: %s", n)
		}
	})
}

// TestStrikeStep: a strike given with the step the agent meant is refused
// with 409, writing nothing, when the ticket has moved to another step;
// a step out of range is a plain 400.
func TestStrikeStep(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"Fix this, you clowns."}`)
		base := "/api/v1/tickets/" + id(tk)
		a := id(e.must(201, e.pat, "POST", base+"/messages", `{"body":"Useless."}`))
		b := id(e.must(201, e.pat, "POST", base+"/messages", `{"body":"Pathetic."}`))
		timeline := func() int { return len(e.must(200, e.agent, "GET", base+"/timeline", "")["events"].([]any)) }

		// Two agents both read "strike 1"; the first one's lands.
		e.must(201, e.agent, "POST", base+"/strikes", `{"event_id":`+a+`,"step":1}`)
		before := timeline()
		for _, tc := range []struct {
			name, body string
			status     int
			field      string
			detail     string
		}{
			{"step already given", `{"event_id":` + b + `,"step":1}`, 409, "", "this would now be strike 2 of 3"},
			{"step skipped ahead", `{"event_id":` + b + `,"step":3}`, 409, "", "this would now be strike 2 of 3"},
			{"step zero", `{"event_id":` + b + `,"step":0}`, 400, "step", "1 to 3"},
			{"step four", `{"event_id":` + b + `,"step":4}`, 400, "step", "1 to 3"},
			{"step not a number", `{"event_id":` + b + `,"step":"2"}`, 400, "step", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, p, _ := e.do(e.agent, "POST", base+"/strikes", tc.body)
				if code != tc.status || fieldOf(p) != tc.field || !strings.Contains(p["detail"].(string)+fmt.Sprint(p["errors"]), tc.detail) {
					t.Fatalf("status %d %v, want %d field %q detail %q", code, p, tc.status, tc.field, tc.detail)
				}
			})
		}
		if n := jsonNum(e.must(200, e.agent, "GET", base, "")["strikes"]); n != "1" || timeline() != before {
			t.Fatalf("after refused strikes: %s strikes, %d events (was %d)", n, timeline(), before)
		}
		if s := e.must(201, e.agent, "POST", base+"/strikes", `{"event_id":`+b+`,"step":2}`)["strike"].(map[string]any); jsonNum(s["step"]) != "2" {
			t.Fatalf("strike with the right step: %v", s)
		}
	})
}

// TestStrikeIdempotent: a strike sent twice with one Idempotency-Key is
// given once and answered the same.
func TestStrikeIdempotent(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db)
	tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"You are all idiots."}`)
	base := "/api/v1/tickets/" + id(tk)
	created := id(e.must(200, e.agent, "GET", base+"/timeline", "")["events"].([]any)[0].(map[string]any))
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("POST", e.url+base+"/strikes", strings.NewReader(`{"event_id":`+created+`}`))
		req.Header.Set("Authorization", "Bearer "+e.agent)
		req.Header.Set("Idempotency-Key", "strike-once")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	if got := e.must(200, e.agent, "GET", base+"/strikes", "")["strikes"].([]any); len(got) != 1 {
		t.Fatalf("%d strikes after a retried request, want 1", len(got))
	}
}

// TestAskAColleagueAPI: invitations and handovers, with plain errors for
// colleagues who cannot be asked.
func TestAskAColleagueAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		bob := addStaff(t, db, "bob@example.com", rapport.RoleAgent)
		addStaff(t, db, "gone@example.com", rapport.RoleAgent)
		disabled := true
		if _, err := desk.New(db).UpdateUser(context.Background(), "gone@example.com", desk.UserUpdate{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"Help"}`)
		base := "/api/v1/tickets/" + id(tk)
		for _, tc := range []struct {
			name, token, path, body string
			status                  int
			field                   string
		}{
			{"requester invites", e.pat, "/invite", `{"colleague":"bob@example.com"}`, 403, ""},
			{"invite a requester", e.agent, "/invite", `{"colleague":"sam@example.com"}`, 400, "colleague"},
			{"invite the disabled", e.agent, "/invite", `{"colleague":"gone@example.com"}`, 400, "colleague"},
			{"invite nobody", e.agent, "/invite", `{"colleague":"nobody@example.com"}`, 400, "colleague"},
			{"handover without note", e.agent, "/handover", `{"colleague":"bob@example.com"}`, 400, "note"},
			{"handover to the disabled", e.agent, "/handover", `{"colleague":"gone@example.com","note":"Yours"}`, 400, "colleague"},
			{"invite", e.agent, "/invite", `{"colleague":"bob@example.com","message":"Could you sit in?"}`, 201, ""},
			{"handover", e.agent, "/handover", `{"colleague":"bob@example.com","note":"Reinstalled the profile; be patient with them."}`, 200, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, p, _ := e.do(tc.token, "POST", base+tc.path, tc.body)
				if code != tc.status || fieldOf(p) != tc.field {
					t.Fatalf("status %d %v, want %d field %q", code, p, tc.status, tc.field)
				}
			})
		}
		if a := e.must(200, bob, "GET", base, "")["assignee"].(map[string]any); a["email"] != "bob@example.com" {
			t.Fatalf("assignee after handover %v", a)
		}
		evs := e.must(200, bob, "GET", base+"/timeline", "")["events"].([]any)
		last := evs[len(evs)-1].(map[string]any)
		if last["type"] != "handover" || last["internal"] != true || !strings.Contains(last["body"].(string), "be patient") {
			t.Fatalf("last event %v", last)
		}
		for _, ev := range e.must(200, e.pat, "GET", base+"/timeline", "")["events"].([]any) {
			if typ := ev.(map[string]any)["type"]; typ == "handover" || typ == "invited" {
				t.Fatalf("the requester sees %v", ev)
			}
		}
	})
}
