package desk_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// copyTicket inserts n copies of ticket id by plain SQL, as a script or an
// import outside Rapport would: no SLA clock comes with them.
func copyTicket(t *testing.T, dialect, dsn string, id int64, n int) {
	t.Helper()
	driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[dialect]
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT * FROM tickets WHERE id = 0")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, c := range cols {
		if c != "id" {
			keep = append(keep, c)
		}
	}
	list := strings.Join(keep, ", ")
	for range n {
		if _, err := raw.Exec(fmt.Sprintf("INSERT INTO tickets (%s) SELECT %s FROM tickets WHERE id = %d", list, list, id)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSLABackfill: open tickets from before SLAs existed, and tickets
// written by plain SQL, get a clock from their creation on the check-slas
// pass, in batches, on two nodes at once; targets already past are
// recorded as breached (ticket JSON, outcome columns) but no notice or
// alert goes out for them; what falls due afterwards is told as usual.
func TestSLABackfill(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, dialect)
			clk := &testClock{now: monday.AddDate(0, 0, -7)}
			nodes := make([]*desk.Desk, 2)
			var db *store.DB
			for i := range nodes {
				sdb, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { sdb.Close() })
				if db == nil {
					db = sdb
				}
				nodes[i] = desk.New(sdb)
				nodes[i].Now, nodes[i].Notices = clk.Now, true
			}
			d := nodes[0]
			pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
			ann := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
			mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor)

			// Before SLAs: a normal ticket a week old, and today a critical
			// one, one waiting on the requester since 09:20 and one done.
			old := ask(t, d, pat, rapport.Impact{})
			clk.Set(monday)
			recent := ask(t, d, pat, rapport.Impact{Outage: true})
			waiting := ask(t, d, pat, rapport.Impact{})
			done := ask(t, d, pat, rapport.Impact{})
			clk.Set(monday.Add(20 * time.Minute))
			for _, id := range []int64{waiting.ID, done.ID} {
				if _, err := d.Assign(as(ann), id, ann.Email); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := d.Wait(as(ann), waiting.ID, "Which laptop is it?", nil); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Resolve(as(ann), done.ID, "Fixed."); err != nil {
				t.Fatal(err)
			}
			const copies = 250 // more than one batch
			copyTicket(t, dialect, dsn, old.ID, copies)

			clk.Set(monday.Add(50 * time.Minute))
			if err := d.SetupSLA(ctx, "UTC"); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			counts, errs := make([]int, len(nodes)), make([]error, len(nodes))
			for i, node := range nodes {
				wg.Add(1)
				go func() { defer wg.Done(); counts[i], errs[i] = node.CatchUpSLAs(ctx) }()
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatalf("CatchUpSLAs: %v, %v", errs[0], errs[1])
			}
			if got, want := counts[0]+counts[1], copies+3; got != want {
				t.Fatalf("clocks started %d (%v), want %d: the old, recent and waiting tickets and the copies", got, counts, want)
			}
			if n, err := d.CatchUpSLAs(ctx); err != nil || n != 0 {
				t.Fatalf("second CatchUpSLAs = %d, %v; want nothing left", n, err)
			}
			// A ticket written by plain SQL later is caught by the next pass.
			copyTicket(t, dialect, dsn, old.ID, 1)
			if n, err := d.CatchUpSLAs(ctx); err != nil || n != 1 {
				t.Fatalf("CatchUpSLAs after one more copy = %d, %v; want its clock", n, err)
			}
			if n, err := d.CheckSLAs(ctx); err != nil || n != 0 {
				t.Fatalf("CheckSLAs after the back-fill = %d, %v; want nothing told", n, err)
			}
			for _, kind := range []desk.NoticeKind{desk.NoticeSLAWarning, desk.NoticeSLABreach} {
				if ns, _ := noticesOf(t, db, kind); len(ns) != 0 {
					t.Fatalf("%d %s notices for back-filled tickets, want none", len(ns), kind)
				}
			}

			got, err := d.Ticket(as(ann), old.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.SLA == nil || !got.SLA.FirstResponse.Breached || !got.SLA.Resolution.Breached ||
				got.SLA.Resolution.Met == nil || *got.SLA.Resolution.Met {
				t.Fatalf("week-old ticket: SLA %+v, want both targets breached", got.SLA)
			}
			// The resolution was due last Friday at 17:00: 40 business hours.
			if due := got.SLA.Resolution.Due; due == nil || !due.Equal(monday.AddDate(0, 0, -3).Add(8*time.Hour)) {
				t.Fatalf("week-old ticket: resolution due %v, want last Friday 17:00", due)
			}
			var ids []int64
			for id := done.ID + 1; id <= done.ID+copies+1; id++ {
				ids = append(ids, id)
			}
			copied := 0
			for _, c := range clocksOf(t, db, ids...) {
				if m := c.Resolution.Met; m != nil && !*m && c.Resolution.BreachedAt != nil {
					copied++
				}
			}
			if copied != copies+1 {
				t.Fatalf("%d copies recorded as breached, want %d", copied, copies+1)
			}
			got, err = d.Ticket(as(ann), waiting.ID)
			if err != nil {
				t.Fatal(err)
			}
			if f, _, p := remaining(t, got); f != 7*time.Hour+40*time.Minute || !p {
				t.Fatalf("waiting ticket: %v left, paused %v; want 7h40m paused (ran 09:00-09:20)", f, p)
			}
			if got, err = d.Ticket(as(ann), done.ID); err != nil || got.SLA != nil {
				t.Fatalf("resolved ticket: SLA %+v, %v; want none", got.SLA, err)
			}

			// The recent critical ticket's warning point (09:45) was past at
			// the back-fill, so it is not told; its breach (10:00) is.
			clk.Set(monday.Add(61 * time.Minute))
			if n, err := d.CheckSLAs(ctx); err != nil || n != 1 {
				t.Fatalf("CheckSLAs at 10:01 = %d, %v; want the recent ticket's breach", n, err)
			}
			ns, _ := noticesOf(t, db, desk.NoticeSLABreach)
			if len(ns) != 1 || ns[0].TicketID != recent.ID {
				t.Fatalf("breach notices %+v, want one for ticket %d", ns, recent.ID)
			}
		})
	}
}

// TestSLAPolicyChangeMovesDueTimes: changing a priority's targets moves
// the due times of its open tickets on the next check-slas pass; a
// warning already told re-arms when the new warning point lies ahead; a
// target the new policy puts in the past is breached without a notice;
// decided targets and other priorities keep theirs.
func TestSLAPolicyChangeMovesDueTimes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &testClock{now: monday}
		d, pat, ann := people(t, db, clk.Now)
		d.Notices = true
		root := mustAdd(t, d, "root@example.com", rapport.RoleAdmin)
		if err := d.SetupSLA(ctx, "UTC"); err != nil {
			t.Fatal(err)
		}
		a := ask(t, d, pat, rapport.Impact{Outage: true})        // critical: 1h, warned at 45m
		b := ask(t, d, pat, rapport.Impact{Outage: true})        // answered at 09:10
		normal := ask(t, d, pat, rapport.Impact{})               // normal: untouched
		resolved := ask(t, d, pat, rapport.Impact{Outage: true}) // resolved at 09:10, met
		clk.Set(monday.Add(10 * time.Minute))
		for _, id := range []int64{b.ID, resolved.ID} {
			if _, err := d.Assign(as(ann), id, ann.Email); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.AddMessage(as(ann), b.ID, "Looking at it now.", false); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Resolve(as(ann), resolved.ID, "Restarted it."); err != nil {
			t.Fatal(err)
		}
		clk.Set(monday.Add(46 * time.Minute))
		if n, err := d.CheckSLAs(ctx); err != nil || n != 1 {
			t.Fatalf("CheckSLAs at 09:46 = %d, %v; want ticket %d's warning", n, err, a.ID)
		}
		before := clocksOf(t, db, a.ID, b.ID, normal.ID, resolved.ID)

		clk.Set(monday.Add(50 * time.Minute))
		save := func(first, resolve time.Duration) {
			t.Helper()
			if _, err := d.SaveSLAPolicy(as(root), rapport.SLAPolicy{Priority: rapport.PriorityCritical,
				CalendarID: before[a.ID].CalendarID, FirstResponse: first, Resolution: resolve, WarnPercent: 75}); err != nil {
				t.Fatal(err)
			}
		}
		save(2*time.Hour, 4*time.Hour)
		if n, err := d.CatchUpSLAs(ctx); err != nil || n != 2 {
			t.Fatalf("CatchUpSLAs = %d, %v; want tickets %d and %d moved", n, err, a.ID, b.ID)
		}
		after := clocksOf(t, db, a.ID, b.ID, normal.ID, resolved.ID)
		ca := after[a.ID]
		if !ca.FirstResponse.Due.Equal(monday.Add(2*time.Hour)) || !ca.Resolution.Due.Equal(monday.Add(4*time.Hour)) {
			t.Fatalf("ticket %d due %v/%v, want 11:00/13:00", a.ID, ca.FirstResponse.Due, ca.Resolution.Due)
		}
		if ca.FirstResponse.WarnedAt != nil || !ca.NextCheck.Equal(monday.Add(90*time.Minute)) {
			t.Fatalf("ticket %d: warned %v, next check %v; want the warning re-armed for 10:30", a.ID, ca.FirstResponse.WarnedAt, ca.NextCheck)
		}
		cb := after[b.ID]
		if cb.FirstResponse.Target != time.Hour || cb.FirstResponse.Met == nil || !*cb.FirstResponse.Met ||
			!cb.Resolution.Due.Equal(monday.Add(4*time.Hour)) {
			t.Fatalf("ticket %d: first response %v met %v, resolution due %v; want 1h met, due 13:00",
				b.ID, cb.FirstResponse.Target, cb.FirstResponse.Met, cb.Resolution.Due)
		}
		for _, id := range []int64{normal.ID, resolved.ID} {
			if !after[id].Resolution.Due.Equal(*before[id].Resolution.Due) || after[id].Resolution.Target != before[id].Resolution.Target {
				t.Fatalf("ticket %d moved: %v -> %v", id, before[id].Resolution.Due, after[id].Resolution.Due)
			}
		}
		if m := after[resolved.ID].Resolution.Met; m == nil || !*m {
			t.Fatalf("resolved ticket's outcome %v, want met", m)
		}

		clk.Set(monday.Add(91 * time.Minute))
		if n, err := d.CheckSLAs(ctx); err != nil || n != 1 {
			t.Fatalf("CheckSLAs at 10:31 = %d, %v; want ticket %d warned again", n, err, a.ID)
		}

		// Tighter than the time already spent: breached now, untold.
		clk.Set(monday.Add(100 * time.Minute))
		save(30*time.Minute, 4*time.Hour)
		if n, err := d.CatchUpSLAs(ctx); err != nil || n != 1 {
			t.Fatalf("CatchUpSLAs = %d, %v; want ticket %d", n, err, a.ID)
		}
		if n, err := d.CheckSLAs(ctx); err != nil || n != 0 {
			t.Fatalf("CheckSLAs after tightening = %d, %v; want nothing told", n, err)
		}
		if ns, _ := noticesOf(t, db, desk.NoticeSLABreach); len(ns) != 0 {
			t.Fatalf("breach notices %+v, want none", ns)
		}
		got, err := d.Ticket(as(ann), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.SLA.FirstResponse.Breached || !got.SLA.FirstResponse.Due.Equal(monday.Add(30*time.Minute)) {
			t.Fatalf("ticket %d first response %+v, want breached, due 09:30", a.ID, got.SLA.FirstResponse)
		}
	})
}

func clocksOf(t *testing.T, db *store.DB, ids ...int64) map[int64]*rapport.SLAClock {
	t.Helper()
	cs, err := db.FindSLAClocks(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if cs[id] == nil {
			t.Fatalf("ticket %d has no clock", id)
		}
	}
	return cs
}
