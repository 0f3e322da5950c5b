package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/rapportdesk/rapport"
)

// Exec runs a plain statement (with ? placeholders) on the write pool, for
// tests that fill columns no store method writes yet.
func Exec(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.dialect.rebind(q), args...)
	return err
}

// ReportRows returns the non-zero rows of report_days, one string each,
// sorted: the roll-up as the triggers left it, to compare with a rebuild.
func ReportRows(ctx context.Context, db *DB) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT span, CAST(day AS TEXT), metric, priority, label, k, shard, n FROM report_days WHERE n <> 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var span, day, metric, priority, label string
		var k, shard, n int64
		if err := rows.Scan(&span, &day, &metric, &priority, &label, &k, &shard, &n); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %q k=%d shard=%d n=%d", span, day, metric, priority, label, k, shard, n))
	}
	sort.Strings(out)
	return out, rows.Err()
}

// ReportByBruteForce computes the report over r from the tickets, surveys,
// kudos and strikes themselves, sorting every duration for its exact
// percentile: the reference FindReport must equal. Its percentiles are
// the exact ones put in their bucket (rapport.BucketValue), which is what
// the roll-up can give; report_test checks how near that is.
func ReportByBruteForce(ctx context.Context, db *DB, r rapport.ReportRange) (*rapport.Report, error) {
	return reportByBruteForce(ctx, db, r, false)
}

// FullReportByBruteForce is ReportByBruteForce listing every comment and
// every agent's kudos: the reference FindFullReport must equal.
func FullReportByBruteForce(ctx context.Context, db *DB, r rapport.ReportRange) (*rapport.Report, error) {
	return reportByBruteForce(ctx, db, r, true)
}

func reportByBruteForce(ctx context.Context, db *DB, r rapport.ReportRange, full bool) (*rapport.Report, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, status, priority, channel, reopen_count, created_at,
		first_response_at, resolved_at, closed_at, sla_response_due, sla_resolve_due, sla_response_met, sla_resolve_met FROM tickets`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rep := &rapport.Report{Range: r, Full: full}
	in := func(t time.Time) bool { return !t.Before(r.Start()) && t.Before(r.End()) }
	durs := map[rapport.Measure]map[rapport.Priority][]int64{rapport.MeasureFirstResponse: {}, rapport.MeasureResolution: {}}
	sla := map[rapport.SLATarget]map[rapport.Priority]*rapport.SLAStat{rapport.SLAFirstResponse: {}, rapport.SLAResolution: {}}
	channels, reopens := map[rapport.Channel]int{}, map[int]int{}
	type span struct {
		p          rapport.Priority
		open, done time.Time
		isDone     bool
	}
	var spans []span
	for rows.Next() {
		var id int64
		var status, priority, channel string
		var reopen int
		var created time.Time
		var first, resolved, closed, rdue, sdue sql.NullTime
		var rmet, smet sql.NullBool
		if err := rows.Scan(&id, &status, &priority, &channel, &reopen, &created, &first, &resolved, &closed, &rdue, &sdue, &rmet, &smet); err != nil {
			return nil, err
		}
		p := rapport.Priority(priority)
		if in(created) {
			rep.Created++
			channels[rapport.Channel(channel)]++
			reopens[reopen]++
			if reopen > 0 {
				rep.Reopened++
			}
		}
		if first.Valid && in(first.Time) {
			durs[rapport.MeasureFirstResponse][p] = append(durs[rapport.MeasureFirstResponse][p], first.Time.Unix()-created.Unix())
		}
		if resolved.Valid && in(resolved.Time) {
			durs[rapport.MeasureResolution][p] = append(durs[rapport.MeasureResolution][p], resolved.Time.Unix()-created.Unix())
		}
		for _, x := range []struct {
			t   rapport.SLATarget
			due sql.NullTime
			met sql.NullBool
		}{{rapport.SLAFirstResponse, rdue, rmet}, {rapport.SLAResolution, sdue, smet}} {
			due := created
			if x.due.Valid {
				due = x.due.Time
			}
			if !x.met.Valid || !in(due) {
				continue
			}
			s := sla[x.t][p]
			if s == nil {
				s = &rapport.SLAStat{Target: x.t, Priority: p}
				sla[x.t][p] = s
			}
			if x.met.Bool {
				s.Met++
			} else {
				s.Breached++
			}
		}
		sp := span{p: p, open: created}
		if status == string(rapport.StatusResolved) || status == string(rapport.StatusClosed) {
			switch {
			case resolved.Valid:
				sp.done, sp.isDone = resolved.Time, true
			case closed.Valid:
				sp.done, sp.isDone = closed.Time, true
			}
		}
		spans = append(spans, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, m := range []rapport.Measure{rapport.MeasureFirstResponse, rapport.MeasureResolution} {
		for _, p := range reportPriorities {
			d := durs[m][p]
			st := rapport.DurationStat{Measure: m, Priority: p, Count: len(d)}
			if len(d) > 0 {
				sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
				at := func(q float64) time.Duration {
					return rapport.BucketValue(rapport.DurationBucket(d[rapport.NearestRank(int64(len(d)), q)-1]))
				}
				st.Median, st.P90 = at(0.5), at(0.9)
			}
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
		reopens[0] = 0
	}
	for c, n := range reopens {
		rep.Reopens = append(rep.Reopens, rapport.ReopenBin{Count: c, Tickets: n})
	}
	sort.Slice(rep.Reopens, func(i, j int) bool { return rep.Reopens[i].Count < rep.Reopens[j].Count })
	// The backlog at the end of each day: tickets created by then and not
	// done by then, counted one ticket at a time.
	for d := r.From; !d.After(r.To); d = d.AddDate(0, 0, 1) {
		end := r.Midnight(d.AddDate(0, 0, 1))
		b := rapport.BacklogDay{Day: d}
		for _, s := range spans {
			if !s.open.Before(end) || s.isDone && s.done.Before(end) {
				continue
			}
			if s.p == rapport.PriorityCritical {
				b.Critical++
			} else {
				b.Normal++
			}
		}
		rep.Backlog = append(rep.Backlog, b)
	}
	if err := db.reportPeopleByBruteForce(ctx, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func (db *DB) reportPeopleByBruteForce(ctx context.Context, rep *rapport.Report) error {
	in := func(t time.Time) bool { return !t.Before(rep.Range.Start()) && t.Before(rep.Range.End()) }
	rows, err := db.read.QueryContext(ctx, "SELECT id, ticket_id, score, comment, answered_at FROM surveys WHERE answered_at IS NOT NULL AND score IS NOT NULL")
	if err != nil {
		return err
	}
	type answer struct {
		id int64
		c  rapport.SurveyComment
	}
	var comments []answer
	for rows.Next() {
		var a answer
		if err := rows.Scan(&a.id, &a.c.TicketID, &a.c.Score, &a.c.Comment, &a.c.AnsweredAt); err != nil {
			rows.Close()
			return err
		}
		if !in(a.c.AnsweredAt) {
			continue
		}
		a.c.AnsweredAt = rapport.Truncate(a.c.AnsweredAt)
		rep.CSAT.Scores[a.c.Score-1]++
		if a.c.Comment != "" {
			comments = append(comments, a)
		}
	}
	rows.Close()
	sort.Slice(comments, func(i, j int) bool {
		a, b := comments[i], comments[j]
		return a.c.AnsweredAt.After(b.c.AnsweredAt) || a.c.AnsweredAt.Equal(b.c.AnsweredAt) && a.id > b.id
	})
	for i := 0; i < len(comments) && (rep.Full || i < rapport.ReportComments); i++ {
		rep.Comments = append(rep.Comments, comments[i].c)
	}

	rows, err = db.read.QueryContext(ctx, "SELECT k.to_id, u.email, u.name, k.created_at FROM kudos k JOIN users u ON u.id = k.to_id")
	if err != nil {
		return err
	}
	byAgent := map[int64]*rapport.AgentCount{}
	for rows.Next() {
		var a rapport.UserRef
		var at time.Time
		if err := rows.Scan(&a.ID, &a.Email, &a.Name, &at); err != nil {
			rows.Close()
			return err
		}
		if !in(at) {
			continue
		}
		rep.Kudos++
		if byAgent[a.ID] == nil {
			byAgent[a.ID] = &rapport.AgentCount{Agent: a}
		}
		byAgent[a.ID].Count++
	}
	rows.Close()
	var top []rapport.AgentCount
	for _, a := range byAgent {
		top = append(top, *a)
	}
	sort.Slice(top, func(i, j int) bool {
		return top[i].Count > top[j].Count || top[i].Count == top[j].Count && top[i].Agent.ID < top[j].Agent.ID
	})
	if len(top) > rapport.ReportTopAgents && !rep.Full {
		top = top[:rapport.ReportTopAgents]
	}
	rep.KudosTop = top

	rows, err = db.read.QueryContext(ctx, "SELECT step, created_at, withdrawn_at FROM strikes")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var step int
		var at time.Time
		var withdrawn sql.NullTime
		if err := rows.Scan(&step, &at, &withdrawn); err != nil {
			return err
		}
		if !in(at) {
			continue
		}
		rep.Strikes[step-1]++
		if withdrawn.Valid {
			rep.Withdrawn[step-1]++
		}
	}
	return rows.Err()
}

// ReportBuckets returns the duration buckets' lower bounds in bucket order,
// as the migration made them.
func ReportBuckets(ctx context.Context, db *DB) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT lo, k FROM report_buckets ORDER BY k")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var lo int64
		var k int
		if err := rows.Scan(&lo, &k); err != nil {
			return nil, err
		}
		if k != len(out) {
			return nil, fmt.Errorf("bucket %d after %d", k, len(out)-1)
		}
		out = append(out, lo)
	}
	return out, rows.Err()
}
