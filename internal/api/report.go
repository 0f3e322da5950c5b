package api

import (
	"net/http"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/report"
	"github.com/rapportdesk/rapport/internal/web"
)

// Supervisor reports (issue 9).

type reportJSON struct {
	From    string            `json:"from"`
	To      string            `json:"to"`
	Days    int               `json:"days"`
	Times   []durationJSON    `json:"times"`
	SLA     []slaStatJSON     `json:"sla"`
	Backlog []backlogJSON     `json:"backlog"`
	Tickets reportTicketsJSON `json:"tickets"`
	CSAT    csatJSON          `json:"csat"`
	Kudos   kudosReportJSON   `json:"kudos"`
	Strikes []strikeStepJSON  `json:"strikes"`
}

type durationJSON struct {
	Measure  string `json:"measure"`
	Priority string `json:"priority"`
	Tickets  int    `json:"tickets"`
	// Whole seconds; null without tickets.
	Median *int64 `json:"median_seconds"`
	P90    *int64 `json:"p90_seconds"`
}

type slaStatJSON struct {
	Target     string   `json:"target"`
	Priority   string   `json:"priority"`
	Met        int      `json:"met"`
	Breached   int      `json:"breached"`
	Attainment *float64 `json:"attainment_percent"`
}

type backlogJSON struct {
	Day      string `json:"day"`
	Critical int    `json:"critical"`
	Normal   int    `json:"normal"`
}

type reportTicketsJSON struct {
	Created    int           `json:"created"`
	Reopened   int           `json:"reopened"`
	ReopenRate *float64      `json:"reopen_rate_percent"`
	Reopens    []reopenJSON  `json:"reopens"`
	ByChannel  []channelJSON `json:"by_channel"`
}

type reopenJSON struct {
	TimesReopened int `json:"times_reopened"`
	Tickets       int `json:"tickets"`
}

type channelJSON struct {
	Channel string `json:"channel"`
	Tickets int    `json:"tickets"`
}

type csatJSON struct {
	Answered  int           `json:"answered"`
	Scores    []scoreJSON   `json:"scores"`
	Average   *float64      `json:"average"`
	Satisfied *float64      `json:"satisfied_percent"`
	Comments  []commentJSON `json:"comments"`
}

type scoreJSON struct {
	Score   int `json:"score"`
	Answers int `json:"answers"`
}

type commentJSON struct {
	TicketID   int64     `json:"ticket_id"`
	Score      int       `json:"score"`
	Comment    string    `json:"comment"`
	AnsweredAt time.Time `json:"answered_at"`
}

type kudosReportJSON struct {
	Total int             `json:"total"`
	Top   []agentKudoJSON `json:"top"`
}

type agentKudoJSON struct {
	Agent *userJSON `json:"agent"`
	Kudos int       `json:"kudos"`
}

type strikeStepJSON struct {
	Step      int `json:"step"`
	Given     int `json:"given"`
	Withdrawn int `json:"withdrawn"`
}

func share(x float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &x
}

func toReport(r *rapport.Report) *reportJSON {
	out := &reportJSON{From: rapport.FormatDay(r.Range.From), To: rapport.FormatDay(r.Range.To), Days: r.Range.Days(),
		Times: []durationJSON{}, SLA: []slaStatJSON{}, Backlog: []backlogJSON{}, Strikes: []strikeStepJSON{}}
	for _, s := range r.Times {
		d := durationJSON{Measure: string(s.Measure), Priority: string(s.Priority), Tickets: s.Count}
		if s.Count > 0 {
			m, p := int64(s.Median.Seconds()), int64(s.P90.Seconds())
			d.Median, d.P90 = &m, &p
		}
		out.Times = append(out.Times, d)
	}
	for _, s := range r.SLA {
		out.SLA = append(out.SLA, slaStatJSON{Target: string(s.Target), Priority: string(s.Priority), Met: s.Met, Breached: s.Breached, Attainment: share(s.Attainment())})
	}
	for _, d := range r.Backlog {
		out.Backlog = append(out.Backlog, backlogJSON{Day: rapport.FormatDay(d.Day), Critical: d.Critical, Normal: d.Normal})
	}
	out.Tickets = reportTicketsJSON{Created: r.Created, Reopened: r.Reopened, ReopenRate: share(r.ReopenRate()),
		Reopens: []reopenJSON{}, ByChannel: []channelJSON{}}
	for _, b := range r.Reopens {
		out.Tickets.Reopens = append(out.Tickets.Reopens, reopenJSON{TimesReopened: b.Count, Tickets: b.Tickets})
	}
	for _, c := range r.Channels {
		out.Tickets.ByChannel = append(out.Tickets.ByChannel, channelJSON{Channel: string(c.Channel), Tickets: c.Tickets})
	}
	out.CSAT = csatJSON{Answered: r.CSAT.Answered(), Scores: []scoreJSON{}, Average: share(r.CSAT.Average()),
		Satisfied: share(r.CSAT.Satisfied()), Comments: []commentJSON{}}
	for i, n := range r.CSAT.Scores {
		out.CSAT.Scores = append(out.CSAT.Scores, scoreJSON{Score: i + 1, Answers: n})
	}
	for _, c := range r.Comments {
		out.CSAT.Comments = append(out.CSAT.Comments, commentJSON{TicketID: c.TicketID, Score: c.Score, Comment: c.Comment, AnsweredAt: c.AnsweredAt})
	}
	out.Kudos = kudosReportJSON{Total: r.Kudos, Top: []agentKudoJSON{}}
	for _, a := range r.KudosTop {
		out.Kudos.Top = append(out.Kudos.Top, agentKudoJSON{Agent: toRef(&a.Agent), Kudos: a.Count})
	}
	for i := range r.Strikes {
		out.Strikes = append(out.Strikes, strikeStepJSON{Step: i + 1, Given: r.Strikes[i], Withdrawn: r.Withdrawn[i]})
	}
	return out
}

// reportSummary serves GET /api/v1/reports/summary?from=&to=: every
// report's figures (supervisors and administrators).
func (h *Handler) reportSummary(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rep, err := h.desk.Report(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toReport(rep))
}

// reportCSV serves GET /api/v1/reports/{file}, like times.csv, over
// ?from=&to=.
func (h *Handler) reportCSV(w http.ResponseWriter, r *http.Request) error {
	f, err := report.Find(r.PathValue("file"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rep, err := h.desk.FullReport(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	return f.Serve(w, rep)
}
