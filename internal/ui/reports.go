package ui

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/report"
)

// The supervisor reports page (issue 9): a date range, one section per
// report with its chart, its figures as a table and its CSV file.

// reportsPage is the data of the reports page.
type reportsPage struct {
	From, To string // as typed, sent back with an error
	Errors   formErrors
	Report   *rapport.Report
	Query    string // from=…&to=… of the shown range, for the CSV links
	Zone     string // the site's time zone, whose days the range counts

	Response, Resolution, SLA, Reopens, CSAT, Kudos, Strikes, Channels *barChart
	Backlog                                                            *lineChart
}

// CSV is the link to file of the shown range.
func (p *reportsPage) CSV(file string) string { return "/reports/" + file + "?" + p.Query }

// Span, Count and Percent write figures as the page shows them.
func (p *reportsPage) Span(s rapport.DurationStat, p90 bool) string {
	switch {
	case s.Count == 0:
		return "no tickets"
	case p90:
		return span(s.P90)
	}
	return span(s.Median)
}
func (*reportsPage) Some(n int, one, many string) string { return some(n, one, many) }
func (*reportsPage) Count(n int) string                  { return count(n) }
func (*reportsPage) Percent(x float64, ok bool) string   { return percent(x, ok) }
func (*reportsPage) Day(d rapport.BacklogDay) string     { return rapport.FormatDay(d.Day) }
func (*reportsPage) Attainment(s rapport.SLAStat) string { return percent(s.Attainment()) }

// ReopenRate and the CSAT figures for the template.
func (p *reportsPage) ReopenRate() string { return percent(p.Report.ReopenRate()) }
func (p *reportsPage) Satisfied() string  { return percent(p.Report.CSAT.Satisfied()) }
func (p *reportsPage) CSATAverage() string {
	avg, ok := p.Report.CSAT.Average()
	if !ok {
		return "no answers"
	}
	return fmt.Sprintf("%.2f out of 5", avg)
}

// Inc is i+1, for numbering from 1.
func (*reportsPage) Inc(i int) int { return i + 1 }

// Files lists the CSV exports.
func (*reportsPage) Files() []report.File { return report.Files }

// reports serves GET /reports?from=&to= (supervisors and administrators).
func (u *UI) reports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &reportsPage{From: q.Get("from"), To: q.Get("to"), Zone: u.site.String()}
	rep, err := u.desk.Report(r.Context(), p.From, p.To)
	if rapport.ErrorCode(err) == rapport.EINVALID {
		p.Errors = fieldErrors(err)
		u.render(w, r, http.StatusBadRequest, "reports", "Reports", p)
		return nil
	} else if err != nil {
		return err
	}
	p.Report = rep
	p.From, p.To = rapport.FormatDay(rep.Range.From), rapport.FormatDay(rep.Range.To)
	p.Query = url.Values{"from": {p.From}, "to": {p.To}}.Encode()
	p.charts()
	u.render(w, r, http.StatusOK, "reports", "Reports", p)
	return nil
}

// reportCSV serves GET /reports/{file}?from=&to=, like times.csv.
func (u *UI) reportCSV(w http.ResponseWriter, r *http.Request) error {
	f, err := report.Find(r.PathValue("file"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rep, err := u.desk.FullReport(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	return f.Serve(w, rep)
}

func (p *reportsPage) charts() {
	rep := p.Report
	rng := rep.Range.String()
	var rows []barRow
	for _, m := range []rapport.Measure{rapport.MeasureFirstResponse, rapport.MeasureResolution} {
		rows = nil
		for _, s := range rep.Times {
			if s.Measure != m {
				continue
			}
			prio := "Critical"
			if s.Priority == rapport.PriorityNormal {
				prio = "Normal"
			}
			rows = append(rows,
				barRow{label: prio + ", median", value: p.Span(s, false), class: string(s.Priority), x: s.Median.Hours()},
				barRow{label: prio + ", 90%", value: p.Span(s, true), class: string(s.Priority), x: s.P90.Hours()})
		}
		if m == rapport.MeasureFirstResponse {
			p.Response = newBarChart("response-chart", "First response time, "+rng,
				"Median and 90th percentile of the time to the first response, by priority; the table below gives each figure.", 0, rows)
			p.Response.Caption = "First response"
		} else {
			p.Resolution = newBarChart("resolution-chart", "Resolution time, "+rng,
				"Median and 90th percentile of the time to resolution, by priority; the table below gives each figure.", 0, rows)
			p.Resolution.Caption = "Resolution"
		}
	}

	rows = nil
	for _, s := range rep.SLA {
		a, _ := s.Attainment()
		rows = append(rows, barRow{label: slaLabel(s), value: p.Attainment(s), class: string(s.Priority), x: a})
	}
	p.SLA = newBarChart("sla-chart", "SLA attainment, "+rng, "Share of the targets due in the range that were met, by target and priority, out of 100%.", 100, rows)

	rows = nil
	for _, b := range rep.Reopens {
		rows = append(rows, barRow{label: reopenLabel(b.Count), value: count(b.Tickets), class: "plain", x: float64(b.Tickets)})
	}
	p.Reopens = newBarChart("reopens-chart", "Tickets by times reopened, "+rng,
		fmt.Sprintf("Of %s created, %s reopened (%s).", some(rep.Created, "ticket", "tickets"), count(rep.Reopened), p.ReopenRate()), 0, rows)
	p.Reopens.Empty = "No tickets were created in this range."

	rows = nil
	for i, n := range rep.CSAT.Scores {
		rows = append(rows, barRow{label: fmt.Sprintf("Score %d", i+1), value: count(n), class: "plain", x: float64(n)})
	}
	p.CSAT = newBarChart("csat-chart", "Satisfaction scores, "+rng,
		fmt.Sprintf("%s; average %s; %s scored 4 or 5.", some(rep.CSAT.Answered(), "answer", "answers"), p.CSATAverage(), p.Satisfied()), 0, rows)

	rows = nil
	for _, a := range rep.KudosTop {
		rows = append(rows, barRow{label: a.Agent.Name, value: count(a.Count), class: "plain", x: float64(a.Count)})
	}
	p.Kudos = newBarChart("kudos-chart", "Kudos received, "+rng, fmt.Sprintf("%s kudos in all; the agents who received most.", count(rep.Kudos)), 0, rows)
	p.Kudos.Empty = "No kudos in this range."

	rows = nil
	for i, n := range rep.Strikes {
		rows = append(rows, barRow{label: fmt.Sprintf("Strike %d", i+1), value: count(n), class: "plain", x: float64(n)})
	}
	p.Strikes = newBarChart("strikes-chart", "Strikes given, "+rng, "Strikes given in the range by step, withdrawn ones included.", 0, rows)

	rows = nil
	for _, c := range rep.Channels {
		rows = append(rows, barRow{label: channelName(c.Channel), value: count(c.Tickets), class: "plain", x: float64(c.Tickets)})
	}
	p.Channels = newBarChart("channels-chart", "Tickets by channel, "+rng, fmt.Sprintf("%s created, by the way they came in.", some(rep.Created, "ticket", "tickets")), 0, rows)
	p.Channels.Empty = "No tickets were created in this range."

	p.Backlog = newBacklogChart(rep)
}

func slaLabel(s rapport.SLAStat) string {
	t := "Response"
	if s.Target == rapport.SLAResolution {
		t = "Resolution"
	}
	return t + ", " + string(s.Priority)
}

func reopenLabel(n int) string {
	switch n {
	case 0:
		return "Never reopened"
	case 1:
		return "Reopened once"
	case 2:
		return "Reopened twice"
	}
	return fmt.Sprintf("Reopened %d times", n)
}

// channelName is how the page names a channel.
func channelName(c rapport.Channel) string {
	switch c {
	case rapport.ChannelPortal:
		return "Portal"
	case rapport.ChannelEmail:
		return "Email"
	case rapport.ChannelPhone:
		return "Phone"
	case rapport.ChannelWalkUp:
		return "Walk-up"
	case rapport.ChannelChat:
		return "Chat"
	case rapport.ChannelAPI:
		return "API"
	}
	return string(c)
}
