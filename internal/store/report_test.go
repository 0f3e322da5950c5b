package store_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestReportEqualsBruteForce fills a desk with tickets that are answered,
// resolved, reopened, re-triaged and closed through the store, with SLA
// outcomes, surveys, kudos and strikes, and checks on both databases that
// the roll-up the triggers keep (1) equals a rebuild from scratch and (2)
// gives the same report as counting every ticket, for ranges that are
// inside a month, across months, whole months and a year. The days are
// those of the site's zone, Los Angeles (DST from 8 March 2026), then of
// other zones the site moves to (SetReportZone recounts them); the full
// report (CSV) lists every agent's kudos and every comment.
func TestReportEqualsBruteForce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := rand.New(rand.NewPCG(9, 27))
		la := mustZone(t, "America/Los_Angeles")
		if changed, err := db.SetReportZone(ctx, la); err != nil || !changed {
			t.Fatalf("SetReportZone(%s) on a new database = %v, %v; want a change", la, changed, err)
		}
		req := mustUser(t, db, "req@example.com", rapport.RoleRequester)
		agents := []*rapport.User{
			mustUser(t, db, "ann@example.com", rapport.RoleAgent),
			mustUser(t, db, "bob@example.com", rapport.RoleAgent),
			mustUser(t, db, "sue@example.com", rapport.RoleSupervisor),
		}
		for i := 0; i < rapport.ReportTopAgents+2; i++ { // more than the top
			agents = append(agents, mustUser(t, db, fmt.Sprintf("agent%d@example.com", i), rapport.RoleAgent))
		}
		base := time.Date(2026, 1, 25, 0, 0, 0, 0, time.UTC)
		at := func(d time.Duration) *time.Time { x := rapport.Truncate(base.Add(d)); return &x }
		var tickets []*rapport.Ticket
		for i := 0; i < 240; i++ {
			created := *at(time.Duration(r.Int64N(int64(100 * 24 * time.Hour))))
			impact := rapport.Impact{}
			if r.IntN(4) == 0 {
				impact.Outage = true
			}
			tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "s", Body: "b", Impact: impact,
				Channel: rapport.Channels[r.IntN(len(rapport.Channels))]}, req, nil, created)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateTicket(ctx, tk) }); err != nil {
				t.Fatal(err)
			}
			tickets = append(tickets, tk)
		}
		// Lives of tickets, one update each step, as the desk makes them.
		later := func(t0 time.Time, max time.Duration) *time.Time {
			x := rapport.Truncate(t0.Add(time.Duration(r.Int64N(int64(max)))))
			return &x
		}
		update := func(tk *rapport.Ticket) {
			t.Helper()
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.UpdateTicket(ctx, tk) }); err != nil {
				t.Fatal(err)
			}
		}
		for _, tk := range tickets {
			if r.IntN(10) == 0 {
				continue // still new
			}
			tk.Status, tk.FirstResponseAt = rapport.StatusOpen, later(tk.CreatedAt, 3*24*time.Hour)
			if r.IntN(3) == 0 {
				tk.FirstResponseAt = later(tk.CreatedAt, 90*time.Second) // the one-second buckets
			}
			update(tk)
			for round := 0; round < 3 && r.IntN(5) > 0; round++ {
				tk.Status, tk.ResolvedAt = rapport.StatusResolved, later(*tk.FirstResponseAt, 10*24*time.Hour)
				update(tk)
				if r.IntN(4) == 0 {
					tk.Status, tk.ClosedAt = rapport.StatusClosed, later(*tk.ResolvedAt, 24*time.Hour)
					update(tk)
				}
				if r.IntN(3) > 0 {
					break
				}
				tk.Status, tk.ReopenCount, tk.ResolvedAt, tk.ClosedAt = rapport.StatusOpen, tk.ReopenCount+1, nil, nil
				update(tk)
			}
			if r.IntN(8) == 0 { // re-triaged
				tk.Priority = rapport.PriorityCritical
				if tk.Impact.Outage {
					tk.Priority = rapport.PriorityNormal
				}
				update(tk)
			}
			if r.IntN(10) == 0 { // closed without a resolution (strike 3)
				tk.Status, tk.ClosedAt = rapport.StatusClosed, later(tk.CreatedAt, 5*24*time.Hour)
				update(tk)
			}
			// SLA outcomes, as the SLA timers decide them (NULL: not yet).
			for _, target := range []string{"response", "resolve"} {
				if r.IntN(5) == 0 {
					continue
				}
				due := later(tk.CreatedAt, 4*24*time.Hour)
				if err := store.Exec(ctx, db, "UPDATE tickets SET sla_"+target+"_due = ?, sla_"+target+"_met = ? WHERE id = ?", *due, r.IntN(4) > 0, tk.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A change of the due date alone moves the SLA count to its new day.
		if err := store.Exec(ctx, db, "UPDATE tickets SET sla_response_due = ? WHERE sla_response_met IS NOT NULL AND id % 7 = 0", *at(45 * 24 * time.Hour)); err != nil {
			t.Fatal(err)
		}
		// An update that moves no count writes nothing.
		if err := store.Exec(ctx, db, "UPDATE tickets SET subject = 'changed', updated_at = ?", *at(0)); err != nil {
			t.Fatal(err)
		}
		for i, tk := range tickets {
			if tk.ResolvedAt == nil || i%2 == 1 {
				continue
			}
			score := 1 + r.IntN(5)
			comment := []string{"", "Thank you!", "Took too long.", "=cmd|' /C calc'!A0"}[r.IntN(4)]
			if err := store.Exec(ctx, db, `INSERT INTO surveys (ticket_id, requester_id, agent_id, score, comment, created_at, expires_at, answered_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tk.ID, req.ID, agents[0].ID, score, comment, *tk.ResolvedAt, tk.ResolvedAt.Add(14*24*time.Hour), *later(*tk.ResolvedAt, 3*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 { // sent, never answered
				if err := store.Exec(ctx, db, `INSERT INTO surveys (ticket_id, requester_id, agent_id, created_at, expires_at)
					VALUES (?, ?, ?, ?, ?)`, tk.ID, req.ID, agents[0].ID, *tk.ResolvedAt, tk.ResolvedAt.Add(14*24*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			if i%2 == 0 {
				from, to := req, agents[r.IntN(len(agents))]
				if r.IntN(3) == 0 {
					from, to = agents[0], agents[1]
				}
				if err := store.Exec(ctx, db, "INSERT INTO kudos (from_id, to_id, ticket_id, message, created_at) VALUES (?, ?, ?, 'Thanks', ?)",
					from.ID, to.ID, tk.ID, *later(tk.CreatedAt, 20*24*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i, tk := range tickets[:60] {
			ev := &rapport.Event{TicketID: tk.ID, Type: rapport.EventMessage, Actor: &rapport.UserRef{ID: req.ID}, Body: "rude", CreatedAt: tk.CreatedAt}
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.AddEvent(ctx, ev) }); err != nil {
				t.Fatal(err)
			}
			var withdrawn any
			if i%5 == 0 {
				withdrawn = *later(tk.CreatedAt, time.Hour)
			}
			if err := store.Exec(ctx, db, `INSERT INTO strikes (ticket_id, event_id, requester_id, step, by_id, created_at, withdrawn_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, tk.ID, ev.ID, req.ID, 1+i%3, agents[0].ID, *later(tk.CreatedAt, 48*time.Hour), withdrawn); err != nil {
				t.Fatal(err)
			}
		}

		// Surveys answered late, a survey and kudos moved or deleted: the
		// triggers of surveys and kudos follow.
		for _, q := range []string{
			"UPDATE surveys SET score = 4, comment = 'Late but fine.', answered_at = expires_at WHERE score IS NULL AND id % 2 = 0",
			"DELETE FROM surveys WHERE id % 11 = 0",
			"UPDATE surveys SET score = 2 WHERE score = 5 AND id % 3 = 0",
		} {
			if err := store.Exec(ctx, db, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.Exec(ctx, db, "UPDATE kudos SET to_id = ? WHERE id % 3 = 0 AND from_id <> ?", agents[2].ID, agents[2].ID); err != nil {
			t.Fatal(err)
		}
		if err := store.Exec(ctx, db, "DELETE FROM kudos WHERE id % 5 = 0"); err != nil {
			t.Fatal(err)
		}

		kept, err := store.ReportRows(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept) == 0 {
			t.Fatal("the triggers kept no counts")
		}
		ranges := []struct{ from, to string }{
			{"2026-02-03", "2026-02-17"}, // inside a month
			{"2026-01-20", "2026-03-10"}, // ragged ends round a whole month
			{"2026-02-01", "2026-04-30"}, // whole months only
			{"2026-02-15", "2026-03-14"}, // across a month end, no whole month
			{"2025-06-01", "2026-06-01"}, // a year, longer than the data
			{"2026-03-08", "2026-03-08"}, // 23 hours in Los Angeles
			{"2026-03-01", "2026-03-31"}, // the month DST starts
		}
		check := func(stage string, zone *time.Location) {
			t.Helper()
			for _, rg := range ranges {
				rr, err := rapport.ParseReportRange(rg.from, rg.to, base, zone)
				if err != nil {
					t.Fatal(err)
				}
				for _, full := range []bool{false, true} {
					find, brute := db.FindReport, store.ReportByBruteForce
					if full {
						find, brute = db.FindFullReport, store.FullReportByBruteForce
					}
					got, err := find(ctx, rr)
					if err != nil {
						t.Fatal(err)
					}
					want, err := brute(ctx, db, rr)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(want, got, sameZone); diff != "" {
						t.Fatalf("%s: report %s (full %v) differs from the brute-force count (-want +got):\n%s", stage, rr, full, diff)
					}
					if rg.from == "2025-06-01" && full && len(got.KudosTop) <= rapport.ReportTopAgents {
						t.Fatalf("%s: the full report names %d agents with kudos, want them all", stage, len(got.KudosTop))
					}
				}
				if rg.from == "2026-01-20" {
					got, _ := db.FindReport(ctx, rr)
					if got.Created == 0 || got.Reopened == 0 || got.CSAT.Answered() == 0 || got.Kudos == 0 ||
						got.Strikes[0] == 0 || got.Withdrawn[0] == 0 || got.SLA[3].Met == 0 || got.Times[1].Count == 0 || got.Times[3].Count == 0 {
						t.Fatalf("%s: the test data misses a case: %+v", stage, got)
					}
				}
			}
		}
		keptEqualsRebuilt := func(stage string) {
			t.Helper()
			kept, err := store.ReportRows(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.RebuildReports(ctx); err != nil {
				t.Fatal(err)
			}
			rebuilt, err := store.ReportRows(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rebuilt, kept); diff != "" {
				t.Fatalf("%s: the counts differ from a rebuild (-rebuilt +kept):\n%s", stage, diff)
			}
		}
		keptEqualsRebuilt("kept by triggers in Los Angeles")
		check("kept by triggers and rebuilt, Los Angeles", la)
		if changed, err := db.SetReportZone(ctx, la); err != nil || changed {
			t.Fatalf("SetReportZone to the same zone = %v, %v; want no change", changed, err)
		}
		// The site moves: the counts are recounted in the new zone's days,
		// and the triggers then keep them in it.
		for _, name := range []string{"Asia/Kolkata", "UTC"} {
			zone := mustZone(t, name)
			if changed, err := db.SetReportZone(ctx, zone); err != nil || !changed {
				t.Fatalf("SetReportZone(%s) = %v, %v; want a change", name, changed, err)
			}
			for h := 0; h < 24; h += 5 { // new tickets round the clock
				tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "s", Body: "b", Channel: rapport.ChannelPhone}, req, nil, *at(40*24*time.Hour + time.Duration(h)*time.Hour + 30*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateTicket(ctx, tk) }); err != nil {
					t.Fatal(err)
				}
			}
			keptEqualsRebuilt("moved to " + name)
			check("moved to "+name, zone)
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestReportEmpty: a desk with nothing in the range reports zeros, and the
// backlog still has a day for each day of the range.
func TestReportEmpty(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		rr, err := rapport.ParseReportRange("2026-03-01", "2026-03-07", time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindReport(ctx, rr)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Backlog) != 7 || got.Created != 0 || len(got.Times) != 4 || len(got.SLA) != 4 || got.Times[0].Median != 0 || len(got.Reopens) != 0 {
			t.Fatalf("empty report = %+v", got)
		}
	})
}

// sameZone compares reports' zones by name, as *time.Location has no
// exported fields.
var sameZone = cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })

// TestReportBucketsAgree: the buckets the triggers put durations in are
// the ones rapport.DurationBucket uses.
func TestReportBucketsAgree(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		got, err := store.ReportBuckets(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int64, rapport.DurationBuckets())
		for k := range want {
			want[k] = rapport.BucketLow(k)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("report_buckets differs from rapport.BucketLow (-go +db):\n%s", diff)
		}
	})
}
