package desk_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// testClock is a time the test moves, shared by every node of a test.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// monday is 09:00 UTC on Monday 23 November 2026, when the default
// calendar (09:00-17:00 on weekdays) opens.
var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func remaining(t *testing.T, tk *rapport.Ticket) (first, resolve time.Duration, paused bool) {
	t.Helper()
	if tk.SLA == nil {
		t.Fatalf("ticket %d has no SLA", tk.ID)
	}
	return tk.SLA.FirstResponse.Remaining, tk.SLA.Resolution.Remaining, tk.SLA.Resolution.Paused
}

// TestSLAThroughATicketsLife: the clock starts at creation, pauses while
// the ticket waits on the requester, restarts on their reply, the first
// public reply meets the response target, resolving meets the resolution
// target, and a reopen resumes it; the outcome is on the ticket row.
func TestSLAThroughATicketsLife(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &testClock{now: monday}
		d, pat, ann := people(t, db, clk.Now)
		if err := d.SetupSLA(context.Background(), "UTC"); err != nil {
			t.Fatal(err)
		}
		if err := d.SetupSLA(context.Background(), "UTC"); err != nil { // a second node starting
			t.Fatal(err)
		}
		tk := ask(t, d, pat, rapport.Impact{}) // normal: 8h response, 40h resolution
		if f, r, p := remaining(t, tk); f != 8*time.Hour || r != 40*time.Hour || p {
			t.Fatalf("new ticket: remaining %v/%v paused %v", f, r, p)
		}
		if due := tk.SLA.Resolution.Due; due == nil || !due.Equal(time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)) {
			t.Fatalf("resolution due %v, want Friday 17:00", due)
		}

		clk.Set(monday.Add(30 * time.Minute))
		if _, err := d.Assign(as(ann), tk.ID, ann.Email); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Wait(as(ann), tk.ID, "Waiting for your laptop's serial number", nil); err != nil {
			t.Fatal(err)
		}
		clk.Set(monday.Add(3 * time.Hour))
		got, err := d.Ticket(as(ann), tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f, r, p := remaining(t, got); f != 7*time.Hour+30*time.Minute || r != 39*time.Hour+30*time.Minute || !p {
			t.Fatalf("waiting: remaining %v/%v paused %v, want 7h30m/39h30m paused", f, r, p)
		}
		if _, err := d.AddMessage(as(pat), tk.ID, "It is ABC123.", false); err != nil {
			t.Fatal(err)
		}
		clk.Set(monday.Add(4 * time.Hour))
		if _, err := d.AddMessage(as(ann), tk.ID, "Thanks, ordering the part now.", false); err != nil {
			t.Fatal(err)
		}
		clk.Set(monday.Add(5 * time.Hour))
		if _, err := d.Resolve(as(ann), tk.ID, "Replaced the battery."); err != nil {
			t.Fatal(err)
		}
		clocks, err := db.FindSLAClocks(context.Background(), []int64{tk.ID})
		if err != nil {
			t.Fatal(err)
		}
		c := clocks[tk.ID]
		yes := true
		if diff := cmp.Diff([]*bool{&yes, &yes}, []*bool{c.FirstResponse.Met, c.Resolution.Met}); diff != "" {
			t.Fatalf("met (-want +got):\n%s", diff)
		}
		// 30m before the wait, 2h after the reply: 2h30m used, 37h30m left.
		got, err = d.Ticket(as(ann), tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f, r, _ := remaining(t, got); f != 6*time.Hour+30*time.Minute || r != 37*time.Hour+30*time.Minute {
			t.Fatalf("resolved: remaining %v/%v, want 6h30m/37h30m", f, r)
		}

		clk.Set(monday.Add(24 * time.Hour))
		if _, _, err := d.Reopen(as(pat), tk.ID, "It is dead again."); err != nil {
			t.Fatal(err)
		}
		clk.Set(monday.Add(25 * time.Hour))
		got, err = d.Ticket(as(ann), tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f, r, p := remaining(t, got); f != 6*time.Hour+30*time.Minute || r != 36*time.Hour+30*time.Minute || p || got.SLA.Resolution.Met != nil {
			t.Fatalf("reopened: remaining %v/%v paused %v met %v, want 6h30m/36h30m running undecided", f, r, p, got.SLA.Resolution.Met)
		}
	})
}

// TestSLAWarningsOnceAcrossNodes: two nodes, each with its own connection
// pool on one database, check at once; every warning and every breach is
// told exactly once, to the assignee and the supervisor.
func TestSLAWarningsOnceAcrossNodes(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, dialect)
			clk := &testClock{now: monday}
			nodes := make([]*desk.Desk, 2)
			var first *store.DB
			for i := range nodes {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if first == nil {
					first = db
				}
				nodes[i] = desk.New(db)
				nodes[i].Now, nodes[i].Notices = clk.Now, true
			}
			d := nodes[0]
			if err := d.SetupSLA(ctx, "UTC"); err != nil {
				t.Fatal(err)
			}
			pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
			ann := mustAdd(t, d, "ann@example.com", rapport.RoleAgent)
			sue := mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor)
			const n = 12
			for i := range n {
				tk := ask(t, d, pat, rapport.Impact{Outage: true}) // critical: 1h response, warned at 45m
				if i%2 == 0 {
					if _, err := d.Assign(as(ann), tk.ID, ann.Email); err != nil {
						t.Fatal(err)
					}
				}
			}
			check := func(at time.Time) int {
				clk.Set(at)
				var wg sync.WaitGroup
				counts := make([]int, len(nodes))
				for i, node := range nodes {
					wg.Add(1)
					go func() {
						defer wg.Done()
						c, err := node.CheckSLAs(ctx)
						if err != nil {
							t.Error(err)
						}
						counts[i] = c
					}()
				}
				wg.Wait()
				return counts[0] + counts[1]
			}
			if got := check(monday.Add(44 * time.Minute)); got != 0 {
				t.Fatalf("at 09:44: %d alerts, want none", got)
			}
			if got := check(monday.Add(45 * time.Minute)); got != n {
				t.Fatalf("at 09:45: %d alerts, want %d warnings", got, n)
			}
			if got := check(monday.Add(50 * time.Minute)); got != 0 {
				t.Fatalf("at 09:50: %d alerts, want none again", got)
			}
			if got := check(monday.Add(61 * time.Minute)); got != n {
				t.Fatalf("at 10:01: %d alerts, want %d breaches", got, n)
			}
			if got := check(monday.Add(2 * time.Hour)); got != 0 {
				t.Fatalf("at 11:00: %d alerts, want none again", got)
			}

			// The notices queued: per ticket, target and kind, once to each
			// person meant.
			type key struct {
				kind   desk.NoticeKind
				ticket int64
				to     int64
				target string
			}
			sent := map[key]int{}
			js, err := first.FindJobs(ctx, rapport.JobFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range js {
				var v desk.Notice
				if err := json.Unmarshal(j.Payload, &v); err != nil {
					t.Fatal(err)
				}
				if v.Kind == desk.NoticeSLAWarning || v.Kind == desk.NoticeSLABreach {
					sent[key{v.Kind, v.TicketID, v.To, v.Body}]++
				}
			}
			want := 0
			for k, c := range sent {
				if c != 1 {
					t.Errorf("%+v queued %d times", k, c)
				}
				if k.target != string(rapport.SLAFirstResponse) || (k.to != sue.ID && k.to != ann.ID) {
					t.Errorf("unexpected notice %+v", k)
				}
			}
			want = 2 * (n + n/2) // warning and breach, to the supervisor, and to the assignee of half
			if len(sent) != want {
				t.Fatalf("%d distinct SLA notices, want %d", len(sent), want)
			}
		})
	}
}

// noticesOf returns the queued notices of kind, with when each is due.
func noticesOf(t *testing.T, db *store.DB, kind desk.NoticeKind) (out []desk.Notice, at []time.Time) {
	t.Helper()
	js, err := db.FindJobs(context.Background(), rapport.JobFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		var n desk.Notice
		if err := json.Unmarshal(j.Payload, &n); err != nil {
			t.Fatal(err)
		}
		if n.Kind == kind {
			out, at = append(out, n), append(at, j.RunAt)
		}
	}
	return out, at
}

// TestProactiveWaiting: a ticket waiting on a third party until a date
// reminds the requester at the opening of the business day two business
// days before it; when the date passes without news the ticket comes back
// and the assignee is asked, by notice and live alert, to give an update.
func TestProactiveWaiting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &testClock{now: monday}
		d, pat, ann := people(t, db, clk.Now)
		d.Notices = true
		al := &alerts{}
		d.Notifier = al
		if err := d.SetupSLA(context.Background(), "UTC"); err != nil {
			t.Fatal(err)
		}
		tk := ask(t, d, pat, rapport.Impact{})
		if _, err := d.Assign(as(ann), tk.ID, ann.Email); err != nil {
			t.Fatal(err)
		}
		// Expected on Monday 30 November: reminded on Thursday 26th at 09:00
		// (the weekend is not business days).
		until := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		if _, err := d.Wait(as(ann), tk.ID, "The supplier ships the part", &until); err != nil {
			t.Fatal(err)
		}
		near, at := noticesOf(t, db, desk.NoticeWaitingNear)
		if want := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC); len(near) != 1 || near[0].To != pat.ID || !at[0].Equal(want) {
			t.Fatalf("reminders %+v due %v, want one to the requester due %s", near, at, want)
		}

		clk.Set(until.Add(time.Minute))
		if n, err := d.ReturnDueHolds(context.Background()); err != nil || n != 1 {
			t.Fatalf("ReturnDueHolds = %d, %v", n, err)
		}
		passed, _ := noticesOf(t, db, desk.NoticeHoldPassed)
		if len(passed) != 1 || passed[0].To != ann.ID || passed[0].Body != "The supplier ships the part" || !passed[0].Until.Equal(until) {
			t.Fatalf("hold-passed notices %+v, want one to the assignee", passed)
		}
		want := desk.AlertHoldPassed + ":" + strconv.FormatInt(tk.ID, 10) + ":" + strconv.FormatInt(ann.ID, 10)
		if diff := cmp.Diff([]string{want}, al.got); diff != "" {
			t.Fatalf("alerts (-want +got):\n%s", diff)
		}
		// Back to work: the SLA clock runs again.
		got, err := d.Ticket(as(ann), tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.SLA == nil || got.SLA.Resolution.Paused {
			t.Fatalf("after the hold the SLA is %+v, want running", got.SLA)
		}
	})
}

// TestCalendarChangeMovesDueTimes: a holiday added to the calendar a
// running clock counts on moves its due time and its next check at once,
// through the periodic check, not at the old time.
func TestCalendarChangeMovesDueTimes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &testClock{now: monday}
		d, pat, _ := people(t, db, clk.Now)
		root := mustAdd(t, d, "root@example.com", rapport.RoleAdmin)
		if err := d.SetupSLA(ctx, "UTC"); err != nil {
			t.Fatal(err)
		}
		tk := ask(t, d, pat, rapport.Impact{Outage: true}) // critical: 1h, warned at 45m
		clocks, err := db.FindSLAClocks(ctx, []int64{tk.ID})
		if err != nil {
			t.Fatal(err)
		}
		if c := clocks[tk.ID]; !c.NextCheck.Equal(monday.Add(45 * time.Minute)) {
			t.Fatalf("next check %v, want 09:45", c.NextCheck)
		}
		clk.Set(monday.Add(5 * time.Minute))
		cals, err := d.Calendars(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cfg := cals[0].Config
		cfg.Holidays = append(cfg.Holidays, rapport.Holiday{Name: "Fire drill", Date: "2026-11-23", From: "09:10", To: "12:00"})
		if _, err := d.UpdateCalendar(as(root), cals[0].ID, desk.CalendarInput{Name: cals[0].Name, Default: true, Config: cfg}); err != nil {
			t.Fatal(err)
		}
		clk.Set(monday.Add(6 * time.Minute))
		if n, err := d.CheckSLAs(ctx); err != nil || n != 0 {
			t.Fatalf("CheckSLAs = %d, %v; want no alerts", n, err)
		}
		clocks, err = db.FindSLAClocks(ctx, []int64{tk.ID})
		if err != nil {
			t.Fatal(err)
		}
		c := clocks[tk.ID]
		// 10 minutes before the drill, 50 after it: due 12:50, warned 12:35.
		if want := monday.Add(3*time.Hour + 35*time.Minute); c.NextCheck == nil || !c.NextCheck.Equal(want) {
			t.Fatalf("next check %v, want %s", c.NextCheck, want)
		}
		if want := monday.Add(3*time.Hour + 50*time.Minute); c.FirstResponse.Due == nil || !c.FirstResponse.Due.Equal(want) {
			t.Fatalf("first response due %v, want %s", c.FirstResponse.Due, want)
		}
	})
}
