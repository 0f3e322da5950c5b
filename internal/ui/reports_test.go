package ui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestReportsPage: supervisors see every report with a chart that has a
// title and description, its table and its CSV link; agents and
// requesters get a plain 403; bad dates come back beside the form with
// what was typed; the CSV links answer with the file.
func TestReportsPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := f.desk.AddUserWithPassword(f.as(t, "ann@example.com"), "sue@example.com", "Sue Park", rapport.RoleSupervisor, password); err != nil {
			t.Fatal(err)
		}
		tk := f.ask(t, "Printer", "It jams.")
		if _, err := f.desk.AddMessage(f.as(t, "ann@example.com"), tk.ID, "On my way.", false); err != nil {
			t.Fatal(err)
		}
		pat, ann, sue := f.client(t), f.client(t), f.client(t)
		f.signIn(t, pat, "pat@example.com")
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, sue, "sue@example.com")

		for _, c := range []*http.Client{pat, ann} {
			res, body := f.do(t, c, "GET", "/reports", nil, nil)
			if res.StatusCode != 403 || !strings.Contains(body, "Only supervisors and administrators can see the reports.") {
				t.Fatalf("GET /reports as non-supervisor: %d\n%s", res.StatusCode, body)
			}
			if res, _ := f.do(t, c, "GET", "/reports/times.csv", nil, nil); res.StatusCode != 403 {
				t.Fatalf("GET /reports/times.csv as non-supervisor: %d", res.StatusCode)
			}
		}

		body := page(t, f, sue, "/reports")
		today := time.Now().UTC().Format("2006-01-02")
		for _, want := range []string{
			`<a href="/reports">Reports</a>`,
			`value="` + today + `"`,
			`<title id="response-chart-title">First response time, `,
			`aria-labelledby="backlog-chart-title backlog-chart-desc"`,
			`<desc id="channels-chart-desc">1 ticket created, by the way they came in.</desc>`,
			`Normal, median`,
			`<td>First response</td><td>normal</td><td>1</td>`,
			`Reopen rate: <strong>0.0%</strong>`,
			`No comments in this range.`,
			`No kudos in this range.`,
			`href="/reports/backlog.csv?from=`,
			`Whole days in the site’s time zone (UTC)`,
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("the reports page lacks %q", want)
			}
		}
		// Seven bar charts, each drawn wide and narrow (phones), and the
		// backlog; kudos has none to draw.
		if n := strings.Count(body, `role="img"`); n != 15 {
			t.Fatalf("%d chart drawings, want 15", n)
		}
		if n := strings.Count(body, ` download>`); n != 9 {
			t.Fatalf("%d CSV links, want 9", n)
		}
		if strings.Contains(body, "<script") && strings.Contains(body, "reports") && strings.Contains(body, "chart.js") {
			t.Fatal("the charts need no script")
		}

		res, body := f.do(t, sue, "GET", "/reports?from=2026-13-01&to=2026-01-31", nil, nil)
		if res.StatusCode != 400 || !strings.Contains(body, `value="2026-13-01"`) || !strings.Contains(body, `id="from-error"`) ||
			!strings.Contains(body, "from must be a date written like") || strings.Contains(body, `role="img"`) {
			t.Fatalf("bad from: %d\n%s", res.StatusCode, body)
		}
		res, body = f.do(t, sue, "GET", "/reports?from=2024-01-01&to=2026-01-31", nil, nil)
		if res.StatusCode != 400 || !strings.Contains(body, "A report covers at most 366 days") {
			t.Fatalf("too long: %d\n%s", res.StatusCode, body)
		}

		res, body = f.do(t, sue, "GET", "/reports/channels.csv?from="+today+"&to="+today, nil, nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || body != "channel,tickets\nportal,1\n" {
			t.Fatalf("channels.csv: %d %q", res.StatusCode, body)
		}
		if res, _ := f.do(t, sue, "GET", "/reports/secrets.csv", nil, nil); res.StatusCode != 404 {
			t.Fatalf("unknown CSV: %d", res.StatusCode)
		}
	})
}
