package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// getCSV fetches path and reads it as CSV.
func (e *env) getCSV(token, path string) (int, http.Header, [][]string) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		return res.StatusCode, res.Header, nil
	}
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil {
		e.t.Fatalf("GET %s: not CSV: %v\n%s", path, err, raw)
	}
	return res.StatusCode, res.Header, rows
}

// TestReportsAPI: who may read the reports, the plain errors on bad
// ranges, and the figures of a small desk in JSON and CSV.
func TestReportsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sue := addStaff(t, db, "sue@example.com", rapport.RoleSupervisor)
		outage := e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"Payroll down","body":"Nobody can log in.","impact":{"outage":true}}`)
		e.must(201, e.agent, "POST", "/api/v1/tickets/"+id(outage)+"/messages", `{"body":"Looking at it now."}`)
		e.must(200, e.agent, "POST", "/api/v1/tickets/"+id(outage)+"/resolve", `{"resolution":"Restarted the payroll server."}`)
		e.must(201, e.sam, "POST", "/api/v1/tickets", `{"subject":"Printer","body":"It jams."}`)
		e.must(201, e.agent, "POST", "/api/v1/tickets", `{"subject":"Phone","body":"Called in.","requester":"pat@example.com","channel":"phone"}`)

		for _, tc := range []struct {
			name, token, query string
			status             int
			field, detail      string
		}{
			{"nobody", "", "", 401, "", ""},
			{"requester", e.pat, "", 403, "", "Only supervisors and administrators"},
			{"agent", e.agent, "", 403, "", "Only supervisors and administrators"},
			{"requester with bad dates", e.pat, "?from=soon", 403, "", "Only supervisors and administrators"},
			{"bad from", sue, "?from=01/11/2026", 400, "from", ""},
			{"bad to", sue, "?to=2026-02-30", 400, "to", ""},
			{"swapped", sue, "?from=2026-11-30&to=2026-11-01", 400, "from", ""},
			{"too long", sue, "?from=2020-01-01&to=2026-01-01", 400, "from", ""},
			{"supervisor", sue, "", 200, "", ""},
			{"admin", e.admin, "?from=2026-01-01&to=2026-12-31", 200, "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out := e.must(tc.status, tc.token, "GET", "/api/v1/reports/summary"+tc.query, "")
				if tc.field != "" && fieldOf(out) != tc.field {
					t.Fatalf("errors=%v, want one on %s", out["errors"], tc.field)
				}
				if tc.detail != "" && !strings.Contains(out["detail"].(string), tc.detail) {
					t.Fatalf("detail=%v, want %q", out["detail"], tc.detail)
				}
				if tc.status == 400 {
					msg := out["errors"].([]any)[0].(map[string]any)["message"].(string)
					if msg == "" || strings.Contains(msg, "parsing time") {
						t.Fatalf("message %q is not plain", msg)
					}
				}
			})
		}

		rep := e.must(200, sue, "GET", "/api/v1/reports/summary", "")
		today := time.Now().UTC().Format("2006-01-02")
		if rep["to"] != today || jsonNum(rep["days"]) != "30" {
			t.Fatalf("range = %v to %v (%v days), want 30 days to %s", rep["from"], rep["to"], rep["days"], today)
		}
		tickets := rep["tickets"].(map[string]any)
		if jsonNum(tickets["created"]) != "3" || jsonNum(tickets["reopened"]) != "0" || tickets["reopen_rate_percent"].(float64) != 0 {
			t.Fatalf("tickets = %v", tickets)
		}
		channels := map[string]string{}
		for _, c := range tickets["by_channel"].([]any) {
			c := c.(map[string]any)
			channels[c["channel"].(string)] = jsonNum(c["tickets"])
		}
		if len(channels) != 2 || channels["phone"] != "1" {
			t.Fatalf("by_channel = %v, want phone 1 and the rest from the API", channels)
		}
		times := map[string]map[string]any{}
		for _, x := range rep["times"].([]any) {
			x := x.(map[string]any)
			times[x["measure"].(string)+"/"+x["priority"].(string)] = x
		}
		if len(times) != 4 || jsonNum(times["first_response/critical"]["tickets"]) != "1" || times["first_response/critical"]["median_seconds"] == nil ||
			jsonNum(times["resolution/critical"]["tickets"]) != "1" || jsonNum(times["first_response/normal"]["tickets"]) != "0" ||
			times["first_response/normal"]["median_seconds"] != nil {
			t.Fatalf("times = %v", times)
		}
		backlog := rep["backlog"].([]any)
		last := backlog[len(backlog)-1].(map[string]any)
		if len(backlog) != 30 || last["day"] != today || jsonNum(last["critical"]) != "0" || jsonNum(last["normal"]) != "2" {
			t.Fatalf("backlog ends %v after %d days, want 0 critical and 2 normal today", last, len(backlog))
		}
		if sla := rep["sla"].([]any); len(sla) != 4 || sla[0].(map[string]any)["attainment_percent"] != nil {
			t.Fatalf("sla = %v, want four targets none decided", sla)
		}
		if csat := rep["csat"].(map[string]any); jsonNum(csat["answered"]) != "0" || csat["average"] != nil || len(csat["scores"].([]any)) != 5 {
			t.Fatalf("csat = %v", csat)
		}
		if s := rep["strikes"].([]any); len(s) != 3 {
			t.Fatalf("strikes = %v", s)
		}

		status, h, rows := e.getCSV(sue, "/api/v1/reports/backlog.csv?from=2026-01-01&to="+today)
		if status != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.Contains(h.Get("Content-Disposition"), `filename="rapport-backlog-2026-01-01-to-`+today+`.csv"`) {
			t.Fatalf("backlog.csv: %d %v", status, h)
		}
		if strings.Join(rows[0], ",") != "day,critical,normal,total" || strings.Join(rows[len(rows)-1], ",") != today+",0,2,2" {
			t.Fatalf("backlog.csv = %v ... %v", rows[0], rows[len(rows)-1])
		}
		if _, _, rows = e.getCSV(sue, "/api/v1/reports/channels.csv"); len(rows) != 3 || strings.Join(rows[0], ",") != "channel,tickets" || strings.Join(rows[1], ",") != "api,2" {
			t.Fatalf("channels.csv = %v", rows)
		}
		for _, tc := range []struct {
			token, path string
			status      int
		}{
			{e.agent, "/api/v1/reports/times.csv", 403},
			{sue, "/api/v1/reports/nothing.csv", 404},
			{sue, "/api/v1/reports/times.csv?from=tomorrow", 400},
		} {
			got, out, _ := e.do(tc.token, "GET", tc.path, "")
			if got != tc.status {
				t.Fatalf("GET %s = %d, want %d: %v", tc.path, got, tc.status, out)
			}
		}
	})
}

// TestReportsSiteZone: report days are the site's (RAPPORT_TIME_ZONE). At
// 19:00 on 22 November in Los Angeles (03:00 UTC on the 23rd) today is the
// 22nd, and a ticket created then counts on the 22nd.
func TestReportsSiteZone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		la, err := time.LoadLocation("America/Los_Angeles")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
		e.desk.Location, e.desk.Now = la, func() time.Time { return now }
		if changed, err := e.desk.SetupReports(context.Background()); err != nil || !changed {
			t.Fatalf("SetupReports = %v, %v; want the days moved to Los Angeles", changed, err)
		}
		sue := addStaff(t, db, "sue@example.com", rapport.RoleSupervisor)
		e.must(201, e.pat, "POST", "/api/v1/tickets", `{"subject":"VPN","body":"It drops every evening."}`)

		rep := e.must(200, sue, "GET", "/api/v1/reports/summary", "")
		if rep["to"] != "2026-11-22" {
			t.Fatalf("to = %v, want today in Los Angeles, 2026-11-22", rep["to"])
		}
		for day, want := range map[string]string{"2026-11-22": "1", "2026-11-23": "0"} {
			rep := e.must(200, sue, "GET", "/api/v1/reports/summary?from="+day+"&to="+day, "")
			if got := jsonNum(rep["tickets"].(map[string]any)["created"]); got != want {
				t.Fatalf("created on %s = %s, want %s", day, got, want)
			}
		}
		if _, _, rows := e.getCSV(sue, "/api/v1/reports/backlog.csv?from=2026-11-21&to=2026-11-22"); len(rows) != 3 || strings.Join(rows[1], ",") != "2026-11-21,0,0,0" || strings.Join(rows[2], ",") != "2026-11-22,0,1,1" {
			t.Fatalf("backlog.csv = %v, want the ticket open from the 22nd", rows)
		}
	})
}

// TestReportsKudosCSV: the page and the summary name the agents with most
// kudos; the CSV file names every one of them.
func TestReportsKudosCSV(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sue := addStaff(t, db, "sue@example.com", rapport.RoleSupervisor)
		d := desk.New(db)
		n := rapport.ReportTopAgents + 3
		for i := 0; i < n; i++ {
			u, err := d.AddUser(context.Background(), fmt.Sprintf("agent%02d@example.com", i), "Agent", rapport.RoleAgent)
			if err != nil {
				t.Fatal(err)
			}
			for k := 0; k <= i%3; k++ {
				e.must(201, e.admin, "POST", "/api/v1/kudos", fmt.Sprintf(`{"to":%d,"message":"Thanks for the help"}`, u.ID))
			}
		}
		kudos := e.must(200, sue, "GET", "/api/v1/reports/summary", "")["kudos"].(map[string]any)
		if top := kudos["top"].([]any); len(top) != rapport.ReportTopAgents {
			t.Fatalf("summary names %d agents, want the top %d", len(top), rapport.ReportTopAgents)
		}
		_, _, rows := e.getCSV(sue, "/api/v1/reports/kudos.csv")
		if len(rows) != n+1 || strings.Join(rows[0], ",") != "agent_id,agent_name,agent_email,kudos" || rows[1][3] != "3" || rows[n][3] != "1" {
			t.Fatalf("kudos.csv has %d rows, want a header and %d agents, most first: %v", len(rows), n, rows)
		}
	})
}
