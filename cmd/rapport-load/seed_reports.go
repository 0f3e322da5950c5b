package main

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/rapportdesk/rapport"
)

// What the supervisor reports read (issue 9), seeded beside the tickets:
// channels, answer and resolution times spread like a real desk's, reopens,
// SLA outcomes, satisfaction surveys with comments, kudos and strikes.

var (
	// slaTicketCols follow ticketCols in each seeded ticket row.
	slaTicketCols = []string{"sla_response_due", "sla_resolve_due", "sla_response_met", "sla_resolve_met"}
	surveyCols    = []string{"ticket_id", "requester_id", "agent_id", "score", "comment", "created_at", "expires_at", "answered_at"}
	kudosCols     = []string{"from_id", "to_id", "ticket_id", "message", "created_at"}
	strikeCols    = []string{"ticket_id", "event_id", "requester_id", "step", "note", "by_id", "created_at", "withdrawn_at", "withdrawn_by_id", "withdraw_reason"}

	// The channels requests come through, and how often.
	seedChannels = []struct {
		c    rapport.Channel
		pct  int
		cumu int
	}{{rapport.ChannelPortal, 45, 45}, {rapport.ChannelEmail, 30, 75}, {rapport.ChannelPhone, 12, 87},
		{rapport.ChannelWalkUp, 5, 92}, {rapport.ChannelChat, 5, 97}, {rapport.ChannelAPI, 3, 100}}
	surveyComments = []string{"Quick and friendly, thank you!", "It took a while, but it works now.",
		"Nobody told me what was happening for two days.", "Great help, explained everything clearly.",
		"The problem came back the next morning.", "Thanks for calling me back so quickly."}
	kudosMessages = []string{"Thank you for your patience!", "You saved my presentation.", "Thanks for covering my queue."}
)

// followThrough is what seeding adds to a chunk of tickets for the reports.
type followThrough struct {
	surveys, kudos, strikes [][]any
}

// seedTicketCols is the column list of the rows gen.tickets and
// gen.followThrough make together.
func seedTicketCols() []string {
	return append(append([]string(nil), ticketCols...), slaTicketCols...)
}

// followThrough rewrites the ticket rows ts (of ticketCols) in place with a
// realistic channel, first response and resolution times (log-normal:
// critical tickets are answered in about 20 minutes and resolved in about
// 4 hours, normal ones in about 2 hours and 1.5 days), reopens, and appends
// each row's SLA outcome (slaTicketCols). It returns the surveys (for every
// resolved ticket, a third of them answered), kudos and strikes of these
// tickets; evs are the tickets' events, where strikes find the message they
// mark.
func (g *gen) followThrough(from int, ts, evs [][]any) followThrough {
	r := rand.New(rand.NewPCG(g.seed, uint64(from)+1<<40))
	col := map[string]int{}
	for i, c := range ticketCols {
		col[c] = i
	}
	firstMessage := map[int64]int64{} // ticket -> the requester's first message event
	for _, e := range evs {
		if e[2] == string(rapport.EventMessage) {
			if _, ok := firstMessage[e[1].(int64)]; !ok {
				firstMessage[e[1].(int64)] = e[0].(int64)
			}
		}
	}
	logNormal := func(median time.Duration, sigma float64) time.Duration {
		return time.Duration(float64(median) * math.Exp(sigma*r.NormFloat64())).Truncate(time.Second)
	}
	clamp := func(t time.Time) time.Time { return rapport.Truncate(minTime(t, g.now.Add(-time.Second))) }
	var out followThrough
	for i, row := range ts {
		id := row[col["id"]].(int64)
		created := row[col["created_at"]].(time.Time)
		status := rapport.Status(row[col["status"]].(string))
		critical := row[col["priority"]].(string) == string(rapport.PriorityCritical)
		requester := row[col["requester_id"]].(int64)
		x := r.IntN(100)
		for _, c := range seedChannels {
			if x < c.cumu {
				row[col["channel"]] = string(c.c)
				break
			}
		}
		respond, resolve := 2*time.Hour, 36*time.Hour
		respDue, resDue := 8*time.Hour, 3*24*time.Hour
		if critical {
			respond, resolve, respDue, resDue = 20*time.Minute, 4*time.Hour, time.Hour, 8*time.Hour
		}
		var first, resolved *time.Time
		if row[col["first_response_at"]] != nil {
			t := clamp(created.Add(logNormal(respond, 1.2)))
			first, row[col["first_response_at"]] = &t, t
			row[col["claimed_at"]] = t
		}
		if row[col["resolved_at"]] != nil {
			t := clamp(first.Add(logNormal(resolve, 1.0)))
			resolved, row[col["resolved_at"]] = &t, t
			if row[col["closed_at"]] != nil {
				row[col["closed_at"]] = clamp(t.Add(72 * time.Hour))
			}
		}
		reopens := 0
		switch y := r.IntN(1000); {
		case resolved != nil && y < 5, resolved == nil && first != nil && y < 3:
			reopens = 3
		case resolved != nil && y < 20, resolved == nil && first != nil && y < 15:
			reopens = 2
		case resolved != nil && y < 100, resolved == nil && first != nil && y < 100:
			reopens = 1
		}
		row[col["reopen_count"]] = int64(reopens)
		// An SLA target is decided once met or once past due.
		outcome := func(due time.Time, done *time.Time) any {
			switch {
			case done != nil:
				return !done.After(due)
			case g.now.After(due):
				return false
			}
			return nil
		}
		rd, sd := rapport.Truncate(created.Add(respDue)), rapport.Truncate(created.Add(resDue))
		ts[i] = append(row, rd, sd, outcome(rd, first), outcome(sd, resolved))

		agent := row[col["assignee_id"]]
		if resolved != nil && (status == rapport.StatusResolved || status == rapport.StatusClosed) {
			var score, answered any
			comment := ""
			if r.IntN(3) == 0 {
				s := []int64{5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1}[r.IntN(20)]
				score, answered = s, clamp(resolved.Add(logNormal(6*time.Hour, 1)))
				if r.IntN(4) == 0 {
					comment = pick(r, surveyComments)
				}
			}
			out.surveys = append(out.surveys, []any{id, requester, agent, score, comment, *resolved, resolved.Add(14 * 24 * time.Hour), answered})
			if r.IntN(30) == 0 && agent != nil {
				out.kudos = append(out.kudos, []any{requester, agent, id, pick(r, kudosMessages), clamp(resolved.Add(time.Hour))})
			}
			if r.IntN(200) == 0 && agent != nil && g.agents > 1 {
				to := int64(1 + r.IntN(g.agents))
				if to != agent.(int64) {
					out.kudos = append(out.kudos, []any{agent, to, id, pick(r, kudosMessages), clamp(resolved.Add(2 * time.Hour))})
				}
			}
		}
		if ev, ok := firstMessage[id]; ok && agent != nil && r.IntN(200) == 0 {
			step := int64([]int{1, 1, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(10)])
			at := clamp(created.Add(time.Hour))
			var withdrawnAt, withdrawnBy any
			reason := ""
			if r.IntN(10) == 0 {
				withdrawnAt, withdrawnBy, reason = clamp(at.Add(24*time.Hour)), agent, "The message was a quote of someone else."
			}
			out.strikes = append(out.strikes, []any{id, ev, requester, step, "", agent, at, withdrawnAt, withdrawnBy, reason})
		}
	}
	return out
}

// write adds the chunk's surveys, kudos and strikes.
func (f followThrough) write(ctx context.Context, w writer) error {
	if err := w(ctx, "surveys", surveyCols, f.surveys); err != nil {
		return err
	}
	if err := w(ctx, "kudos", kudosCols, f.kudos); err != nil {
		return err
	}
	return w(ctx, "strikes", strikeCols, f.strikes)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
