// Package report writes the supervisor reports (rapport.Report) as CSV
// files, one per report, for the API and the web page alike.
package report

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
)

// File is one CSV export.
type File struct {
	Name  string // the file name, like "times.csv"
	Title string // what it holds, in a few words
	write func(w *csv.Writer, r *rapport.Report) error
}

// Files lists the CSV exports in the order the report page shows them.
var Files = []File{
	{"times.csv", "First response and resolution times", writeTimes},
	{"sla.csv", "SLA attainment", writeSLA},
	{"backlog.csv", "Backlog by priority", writeBacklog},
	{"reopens.csv", "Reopens", writeReopens},
	{"csat.csv", "Satisfaction scores", writeCSAT},
	{"comments.csv", "Satisfaction comments", writeComments},
	{"kudos.csv", "Kudos", writeKudos},
	{"strikes.csv", "Strikes", writeStrikes},
	{"channels.csv", "Tickets by channel", writeChannels},
}

// Find returns the export called name; ENOTFOUND when there is none.
func Find(name string) (File, error) {
	for _, f := range Files {
		if f.Name == name {
			return f, nil
		}
	}
	names := make([]string, len(Files))
	for i, f := range Files {
		names[i] = f.Name
	}
	return File{}, rapport.Errorf(rapport.ENOTFOUND, "There is no report %q. The reports are %s.", name, strings.Join(names, ", "))
}

// FileName is the name a download of f over r is saved as, like
// "rapport-times-2026-11-01-to-2026-11-30.csv".
func (f File) FileName(r rapport.ReportRange) string {
	return "rapport-" + strings.TrimSuffix(f.Name, ".csv") + "-" + rapport.FormatDay(r.From) + "-to-" + rapport.FormatDay(r.To) + ".csv"
}

// Write writes f's rows of r to w, with a header row.
func (f File) Write(w io.Writer, r *rapport.Report) error {
	cw := csv.NewWriter(w)
	if err := f.write(cw, r); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cell makes free text safe to open in a spreadsheet: text that starts
// like a formula gets a leading apostrophe, so it shows as typed and is
// never run (CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// pct is a share with one decimal, or empty when there is none.
func pct(x float64, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

func writeTimes(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"measure", "priority", "tickets", "median_seconds", "p90_seconds"})
	for _, s := range r.Times {
		median, p90 := "", ""
		if s.Count > 0 {
			median, p90 = itoa(int(s.Median.Seconds())), itoa(int(s.P90.Seconds()))
		}
		w.Write([]string{string(s.Measure), string(s.Priority), itoa(s.Count), median, p90})
	}
	return w.Error()
}

func writeSLA(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"target", "priority", "met", "breached", "attainment_percent"})
	for _, s := range r.SLA {
		w.Write([]string{string(s.Target), string(s.Priority), itoa(s.Met), itoa(s.Breached), pct(s.Attainment())})
	}
	return w.Error()
}

func writeBacklog(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"day", "critical", "normal", "total"})
	for _, d := range r.Backlog {
		w.Write([]string{rapport.FormatDay(d.Day), itoa(d.Critical), itoa(d.Normal), itoa(d.Critical + d.Normal)})
	}
	return w.Error()
}

func writeReopens(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"times_reopened", "tickets"})
	for _, b := range r.Reopens {
		w.Write([]string{itoa(b.Count), itoa(b.Tickets)})
	}
	return w.Error()
}

func writeCSAT(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"score", "answers"})
	for i, n := range r.CSAT.Scores {
		w.Write([]string{itoa(i + 1), itoa(n)})
	}
	return w.Error()
}

func writeComments(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"answered_at", "ticket_id", "score", "comment"})
	for _, c := range r.Comments {
		w.Write([]string{c.AnsweredAt.UTC().Format("2006-01-02T15:04:05Z"), strconv.FormatInt(c.TicketID, 10), itoa(c.Score), cell(c.Comment)})
	}
	return w.Error()
}

func writeKudos(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"agent_id", "agent_name", "agent_email", "kudos"})
	for _, a := range r.KudosTop {
		w.Write([]string{strconv.FormatInt(a.Agent.ID, 10), cell(a.Agent.Name), cell(a.Agent.Email), itoa(a.Count)})
	}
	return w.Error()
}

func writeStrikes(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"step", "given", "withdrawn"})
	for i := range r.Strikes {
		w.Write([]string{itoa(i + 1), itoa(r.Strikes[i]), itoa(r.Withdrawn[i])})
	}
	return w.Error()
}

func writeChannels(w *csv.Writer, r *rapport.Report) error {
	w.Write([]string{"channel", "tickets"})
	for _, c := range r.Channels {
		w.Write([]string{string(c.Channel), itoa(c.Tickets)})
	}
	return w.Error()
}

// Serve sends f of r as a CSV download.
func (f File) Serve(w http.ResponseWriter, r *rapport.Report) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+f.FileName(r.Range)+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	return f.Write(w, r)
}
