package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

const holidayICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:boxing@test\r\n" +
	"DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261226\r\nSUMMARY:Boxing Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// upload sends body with contentType and decodes the JSON answer.
func (e *env) upload(token, path, contentType, body string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

func fields(m map[string]any) []string {
	var out []string
	for _, f := range m["errors"].([]any) {
		out = append(out, f.(map[string]any)["field"].(string))
	}
	return out
}

func TestCalendarsPoliciesAndTicketSLA(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		if err := desk.New(db).SetupSLA(context.Background(), "Europe/London"); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, db)
		list := e.must(200, e.agent, "GET", "/api/v1/calendars", "")
		cals := list["calendars"].([]any)
		office := cals[0].(map[string]any)
		if len(cals) != 1 || office["default"] != true || office["time_zone"] != "Europe/London" || len(office["hours"].([]any)) != 5 {
			t.Fatalf("fresh install calendars: %v", cals)
		}
		e.must(403, e.pat, "GET", "/api/v1/calendars", "")
		e.must(403, e.agent, "POST", "/api/v1/calendars", `{"name":"X","time_zone":"UTC","hours":[]}`)

		bad := e.must(400, e.admin, "POST", "/api/v1/calendars", `{"name":" ","time_zone":"Mars/Base","hours":[{"day":"funday","from":"9","to":"17:00"}]}`)
		if got := strings.Join(fields(bad), ","); !strings.Contains(got, "name") || !strings.Contains(got, "time_zone") || !strings.Contains(got, "hours") {
			t.Fatalf("bad calendar fields %q: %v", got, bad)
		}
		var week []string
		for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
			week = append(week, `{"day":"`+d+`","from":"00:00","to":"24:00"}`)
		}
		always := e.must(201, e.admin, "POST", "/api/v1/calendars", `{"name":"Always open","default":true,"time_zone":"UTC","hours":[`+strings.Join(week, ",")+`]}`)
		if always["default"] != true || always["open_now"] != true || always["next_open_at"] != nil {
			t.Fatalf("created %v", always)
		}
		e.must(400, e.admin, "POST", "/api/v1/calendars", `{"name":"Always open","time_zone":"UTC","hours":[]}`) // the name is taken

		e.must(403, e.agent, "PUT", "/api/v1/sla-policies/critical", `{"calendar_id":`+id(always)+`,"first_response_minutes":60,"resolution_minutes":480}`)
		badPol := e.must(400, e.admin, "PUT", "/api/v1/sla-policies/urgent", `{"calendar_id":999,"first_response_minutes":0,"resolution_minutes":480,"warn_percent":100}`)
		if got := strings.Join(fields(badPol), ","); got != "priority,first_response,warn_percent" {
			t.Fatalf("bad policy fields %q", got)
		}
		pol := e.must(200, e.admin, "PUT", "/api/v1/sla-policies/critical", `{"calendar_id":`+id(always)+`,"first_response_minutes":60,"resolution_minutes":480}`)
		if pol["warn_percent"] != float64(75) || pol["first_response_minutes"] != float64(60) {
			t.Fatalf("policy %v", pol)
		}
		pols := e.must(200, e.agent, "GET", "/api/v1/sla-policies", "")["policies"].([]any)
		if len(pols) != 2 || pols[0].(map[string]any)["calendar_id"] != always["id"] {
			t.Fatalf("policies %v", pols)
		}

		tk := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Server down","body":"All of it","impact":{"outage":true}}`)
		path := "/api/v1/tickets/" + id(tk)
		if _, ok := e.must(200, e.pat, "GET", path, "")["sla"]; ok {
			t.Fatalf("the requester sees the SLA")
		}
		sla := e.must(200, e.agent, "GET", path, "")["sla"].(map[string]any)
		first := sla["first_response"].(map[string]any)
		if r := first["remaining_seconds"].(float64); r > 3600 || r < 3500 || first["paused"] != false || first["due_at"] == nil || first["met"] != nil {
			t.Fatalf("first response %v", first)
		}
		e.must(200, e.agent, "POST", "/api/v1/queue/next", "")
		e.must(200, e.agent, "POST", path+"/wait", `{"reason":"Waiting for the vendor"}`)
		sla = e.must(200, e.agent, "GET", path, "")["sla"].(map[string]any)
		res := sla["resolution"].(map[string]any)
		if res["paused"] != true || res["due_at"] != nil || res["breached"] != false {
			t.Fatalf("paused resolution %v", res)
		}

		// Holidays from a file, then from a URL; twice adds nothing.
		officePath := "/api/v1/calendars/" + id(office)
		code, out := e.upload(e.admin, officePath+"/holidays/import", "text/calendar", holidayICS)
		if code != 200 || out["imported"] != float64(1) {
			t.Fatalf("import = %d %v", code, out)
		}
		if code, out = e.upload(e.admin, officePath+"/holidays/import", "text/calendar", "BEGIN:VCALENDAR\r\nnonsense"); code != 400 {
			t.Fatalf("bad file = %d %v", code, out)
		}
		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/holidays.ics" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/calendar")
			io.WriteString(w, holidayICS)
		}))
		defer feed.Close()
		// The feed is on loopback, which the desk's own client refuses.
		loopback := `{"url":"` + feed.URL + `/holidays.ics"}`
		if got := e.must(400, e.admin, "POST", officePath+"/holidays/import", loopback); !strings.Contains(got["errors"].([]any)[0].(map[string]any)["message"].(string), "inside this network") {
			t.Fatalf("loopback import %v", got)
		}
		e.desk.HTTPClient = feed.Client()
		if got := e.must(200, e.admin, "POST", officePath+"/holidays/import", `{"url":"`+feed.URL+`/holidays.ics"}`); got["imported"] != float64(0) {
			t.Fatalf("second import %v", got)
		}
		for _, u := range []string{feed.URL + "/missing.ics", "ftp://example.com/x.ics", "http://127.0.0.1:1/x.ics"} {
			if got := e.must(400, e.admin, "POST", officePath+"/holidays/import", `{"url":"`+u+`"}`); fields(got)[0] != "url" {
				t.Fatalf("%s: %v", u, got)
			}
		}
		hol := e.must(200, e.agent, "GET", officePath, "")["holidays"].([]any)
		if len(hol) != 1 || hol[0].(map[string]any)["name"] != "Boxing Day" {
			t.Fatalf("holidays %v", hol)
		}

		// The normal policy still counts on the office calendar; the new
		// default cannot go.
		e.must(409, e.admin, "DELETE", officePath, "")
		e.must(409, e.admin, "DELETE", "/api/v1/calendars/"+id(always), "")
		e.must(200, e.admin, "PUT", "/api/v1/sla-policies/normal", `{"calendar_id":`+id(always)+`,"first_response_minutes":480,"resolution_minutes":2400}`)
		e.must(204, e.admin, "DELETE", officePath, "")
		e.must(404, e.agent, "GET", officePath, "")
	})
}
