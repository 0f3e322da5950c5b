package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/rapportdesk/rapport"
)

// Supervisor reports. The ticket figures are sums of the counts that the
// triggers of migration 00027 keep in report_days, by day and by month of
// the site's zone (00029, SetReportZone), so
// a report over a year reads tens of thousands of rows whatever the number
// of tickets; so are survey answers and kudos. The latest comments and the
// strikes (few) are read by date from their own tables.

// FindReport returns every report's figures over r, read in one snapshot.
func (db *DB) FindReport(ctx context.Context, r rapport.ReportRange) (*rapport.Report, error) {
	return db.findReport(ctx, r, false)
}

// FindFullReport is FindReport with every survey comment and every
// agent's kudos in the range, for the CSV export.
func (db *DB) FindFullReport(ctx context.Context, r rapport.ReportRange) (*rapport.Report, error) {
	return db.findReport(ctx, r, true)
}

func (db *DB) findReport(ctx context.Context, r rapport.ReportRange, full bool) (*rapport.Report, error) {
	rep := &rapport.Report{Range: r, Full: full}
	err := db.snapshot(ctx, func(q queryer) error {
		if err := db.reportCounts(ctx, q, rep); err != nil {
			return err
		}
		if err := db.reportBacklog(ctx, q, rep); err != nil {
			return err
		}
		return db.reportPeople(ctx, q, rep)
	})
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", r, err)
	}
	return rep, nil
}

// monthsWithin returns the first and last-plus-one month starts of the
// whole months inside r; equal (the day after r) when there is none.
func monthsWithin(r rapport.ReportRange) (m1, m2 time.Time) {
	m1 = time.Date(r.From.Year(), r.From.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !m1.Equal(r.From) {
		m1 = m1.AddDate(0, 1, 0)
	}
	end := r.To.AddDate(0, 0, 1)
	m2 = time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !m1.Before(m2) {
		return end, end
	}
	return m1, m2
}

var reportPriorities = []rapport.Priority{rapport.PriorityCritical, rapport.PriorityNormal}

// reportCounts reads the counts summed over the range: durations, SLA
// outcomes, tickets created by channel and reopen count, survey answers
// and kudos.
func (db *DB) reportCounts(ctx context.Context, q queryer, rep *rapport.Report) error {
	m1, m2 := monthsWithin(rep.Range)
	day := rapport.FormatDay
	rows, err := q.QueryContext(ctx, db.q.ReportCounts, day(m1), day(m2), day(rep.Range.From), day(m1), day(m2), day(rep.Range.To))
	if err != nil {
		return err
	}
	defer rows.Close()
	hist := map[rapport.Measure]map[rapport.Priority]map[int]int64{}
	kudos := map[int64]int{}
	sla := map[rapport.SLATarget]map[rapport.Priority]*rapport.SLAStat{}
	channels := map[rapport.Channel]int{}
	reopens := map[int]int{}
	for rows.Next() {
		var metric, priority, label string
		var k, n int64
		if err := rows.Scan(&metric, &priority, &label, &k, &n); err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		p := rapport.Priority(priority)
		switch metric {
		case "response", "resolve":
			m := rapport.MeasureFirstResponse
			if metric == "resolve" {
				m = rapport.MeasureResolution
			}
			if hist[m] == nil {
				hist[m] = map[rapport.Priority]map[int]int64{}
			}
			if hist[m][p] == nil {
				hist[m][p] = map[int]int64{}
			}
			hist[m][p][int(k)] += n
		case "sla_response", "sla_resolve":
			t := rapport.SLAFirstResponse
			if metric == "sla_resolve" {
				t = rapport.SLAResolution
			}
			if sla[t] == nil {
				sla[t] = map[rapport.Priority]*rapport.SLAStat{}
			}
			s := sla[t][p]
			if s == nil {
				s = &rapport.SLAStat{Target: t, Priority: p}
				sla[t][p] = s
			}
			if k == 1 {
				s.Met += int(n)
			} else {
				s.Breached += int(n)
			}
		case "csat":
			if k >= 1 && k <= 5 {
				rep.CSAT.Scores[k-1] += int(n)
			}
		case "kudos":
			kudos[k] += int(n)
			rep.Kudos += int(n)
		case "created":
			channels[rapport.Channel(label)] += int(n)
			reopens[int(k)] += int(n)
			rep.Created += int(n)
			if k > 0 {
				rep.Reopened += int(n)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range []rapport.Measure{rapport.MeasureFirstResponse, rapport.MeasureResolution} {
		for _, p := range reportPriorities {
			var h []rapport.BucketCount
			st := rapport.DurationStat{Measure: m, Priority: p}
			for k, n := range hist[m][p] {
				h = append(h, rapport.BucketCount{K: k, N: n})
				st.Count += int(n)
			}
			st.Median, st.P90 = rapport.Percentile(h, 0.5), rapport.Percentile(h, 0.9)
			rep.Times = append(rep.Times, st)
		}
	}
	for _, t := range []rapport.SLATarget{rapport.SLAFirstResponse, rapport.SLAResolution} {
		for _, p := range reportPriorities {
			s := rapport.SLAStat{Target: t, Priority: p}
			if x := sla[t][p]; x != nil {
				s = *x
			}
			rep.SLA = append(rep.SLA, s)
		}
	}
	for c, n := range channels {
		rep.Channels = append(rep.Channels, rapport.ChannelCount{Channel: c, Tickets: n})
	}
	sort.Slice(rep.Channels, func(i, j int) bool {
		a, b := rep.Channels[i], rep.Channels[j]
		return a.Tickets > b.Tickets || a.Tickets == b.Tickets && a.Channel < b.Channel
	})
	if _, ok := reopens[0]; !ok && rep.Created > 0 {
		reopens[0] = 0 // the chart starts at zero even when every ticket came back
	}
	for c, n := range reopens {
		rep.Reopens = append(rep.Reopens, rapport.ReopenBin{Count: c, Tickets: n})
	}
	sort.Slice(rep.Reopens, func(i, j int) bool { return rep.Reopens[i].Count < rep.Reopens[j].Count })
	return db.reportKudos(ctx, q, rep, kudos)
}

// reportKudos names the agents who received kudos (kudos counts them by
// id), most first: the top few, or everyone for a full report.
func (db *DB) reportKudos(ctx context.Context, q queryer, rep *rapport.Report, kudos map[int64]int) error {
	var top []rapport.AgentCount
	for id, n := range kudos {
		if n > 0 {
			top = append(top, rapport.AgentCount{Agent: rapport.UserRef{ID: id}, Count: n})
		}
	}
	sort.Slice(top, func(i, j int) bool {
		return top[i].Count > top[j].Count || top[i].Count == top[j].Count && top[i].Agent.ID < top[j].Agent.ID
	})
	if !rep.Full && len(top) > rapport.ReportTopAgents {
		top = top[:rapport.ReportTopAgents]
	}
	for i := range top {
		a := &top[i].Agent
		if err := q.QueryRowContext(ctx, db.q.ReportUser, a.ID).Scan(&a.ID, &a.Email, &a.Name); err != nil {
			return err
		}
	}
	rep.KudosTop = top
	return nil
}

// reportBacklog runs the sum of tickets opened less tickets done from the
// first day on record to each day of the range.
func (db *DB) reportBacklog(ctx context.Context, q queryer, rep *rapport.Report) error {
	rows, err := q.QueryContext(ctx, db.q.ReportFlows, rapport.FormatDay(rep.Range.To))
	if err != nil {
		return err
	}
	defer rows.Close()
	flows := map[string]map[rapport.Priority]int{}
	before := map[rapport.Priority]int{}
	from := rapport.FormatDay(rep.Range.From)
	for rows.Next() {
		var day, metric, priority string
		var n int
		if err := rows.Scan(&day, &metric, &priority, &n); err != nil {
			return err
		}
		if metric == "done" {
			n = -n
		}
		p := rapport.Priority(priority)
		if day < from {
			before[p] += n
			continue
		}
		if flows[day] == nil {
			flows[day] = map[rapport.Priority]int{}
		}
		flows[day][p] += n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	open := before
	for d := rep.Range.From; !d.After(rep.Range.To); d = d.AddDate(0, 0, 1) {
		for p, n := range flows[rapport.FormatDay(d)] {
			open[p] += n
		}
		rep.Backlog = append(rep.Backlog, rapport.BacklogDay{Day: d,
			Critical: open[rapport.PriorityCritical], Normal: open[rapport.PriorityNormal]})
	}
	return nil
}

// reportPeople reads the latest survey comments and the strikes.
func (db *DB) reportPeople(ctx context.Context, q queryer, rep *rapport.Report) error {
	start, end := rep.Range.Start(), rep.Range.End()
	limit := int64(rapport.ReportComments)
	if rep.Full {
		limit = 1 << 62
	}
	rows, err := q.QueryContext(ctx, db.q.ReportComments, start, end, limit)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c rapport.SurveyComment
		if err := rows.Scan(&c.TicketID, &c.Score, &c.Comment, &c.AnsweredAt); err != nil {
			rows.Close()
			return err
		}
		c.AnsweredAt = rapport.Truncate(c.AnsweredAt)
		rep.Comments = append(rep.Comments, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	if rows, err = q.QueryContext(ctx, db.q.ReportStrikes, start, end); err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var step, withdrawn, n int
		if err := rows.Scan(&step, &withdrawn, &n); err != nil {
			return err
		}
		if step < 1 || step > rapport.MaxStrikes {
			continue
		}
		rep.Strikes[step-1] += n
		if withdrawn == 1 {
			rep.Withdrawn[step-1] += n
		}
	}
	return rows.Err()
}

// RebuildReports recounts report_days from the tickets, surveys and
// kudos, in one write: for
// a database filled by plain SQL with the triggers off (rapport-load seed).
func (db *DB) RebuildReports(ctx context.Context) error {
	return db.Update(ctx, func(rtx rapport.Tx) error {
		return db.rebuildReports(ctx, rtx.(*Tx))
	})
}

func (db *DB) rebuildReports(ctx context.Context, tx *Tx) error {
	for _, q := range []string{db.q.ClearReports, db.q.FillReports, db.q.FillReportPeople} {
		if _, err := tx.q.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild reports: %w", err)
		}
	}
	return nil
}

// SetReportZone makes report_days count the days of loc, the site's zone:
// when the zone it counts in is another (a new database counts in UTC), it
// refills the zone's offsets (report_zone, rapport.ZonePeriods) and
// rebuilds report_days in one transaction, and reports true. On
// PostgreSQL that transaction holds off writes to tickets, surveys and
// kudos, and a second node starting at once waits, then finds it done.
// Every node must have the same zone.
func (db *DB) SetReportZone(ctx context.Context, loc *time.Location) (changed bool, err error) {
	name := loc.String()
	var current string
	if err := db.read.QueryRowContext(ctx, db.q.ReportZoneName).Scan(&current); err != nil {
		return false, fmt.Errorf("report zone: %w", err)
	}
	if current == name {
		return false, nil
	}
	long := db.Update
	if db.writes != nil {
		// A rebuild reads every ticket: minutes at a million on SQLite,
		// once, at start-up, where the usual deadline would abandon it.
		long = func(ctx context.Context, fn func(rapport.Tx) error) error {
			if err := db.refuseUpdate(); err != nil {
				return err
			}
			return db.updateBatchedWithin(ctx, fn, time.Hour)
		}
	}
	err = long(ctx, func(rtx rapport.Tx) error {
		tx := rtx.(*Tx)
		changed = false
		if _, err := tx.q.ExecContext(ctx, db.q.LockReportZone); err != nil {
			return err
		}
		if err := tx.q.QueryRowContext(ctx, db.q.ReportZoneName).Scan(&current); err != nil || current == name {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, db.q.ClearReportZone); err != nil {
			return err
		}
		for _, p := range rapport.ZonePeriods(loc) {
			if _, err := tx.q.ExecContext(ctx, db.q.AddReportZone, p.Start, p.Offset); err != nil {
				return err
			}
		}
		if _, err := tx.q.ExecContext(ctx, db.q.SetReportZone, name); err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, db.q.AnalyzeZone); err != nil {
			return err
		}
		changed = true
		return db.rebuildReports(ctx, tx)
	})
	if err != nil {
		return false, fmt.Errorf("report zone %s: %w", name, err)
	}
	return changed, nil
}
