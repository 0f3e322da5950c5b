package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func TestCalendarsPoliciesAndClocks(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			db := testdb.Open(t, dialect)
			now := rapport.Now()
			london := &rapport.Calendar{Name: "London", Default: true, CreatedAt: now, UpdatedAt: now, Config: rapport.CalendarConfig{
				TimeZone: "Europe/London", Hours: []rapport.OfficeHours{{Day: "monday", From: "09:00", To: "17:00"}},
				Holidays: []rapport.Holiday{{Name: "Boxing Day", Date: "2026-12-26"}}}}
			nyc := &rapport.Calendar{Name: "New York", Default: true, CreatedAt: now, UpdatedAt: now, Config: rapport.CalendarConfig{
				TimeZone: "America/New_York", Hours: []rapport.OfficeHours{{Day: "tue", From: "08:00", To: "16:00"}}}}
			err := db.Update(ctx, func(tx rapport.Tx) error {
				if err := tx.CreateCalendar(ctx, london); err != nil {
					return err
				}
				return tx.CreateCalendar(ctx, nyc) // takes over as the default
			})
			if err != nil {
				t.Fatal(err)
			}
			cals, err := db.FindCalendars(ctx)
			if err != nil {
				t.Fatal(err)
			}
			london.Default = false
			if diff := cmp.Diff([]*rapport.Calendar{nyc, london}, cals); diff != "" {
				t.Fatalf("calendars (-want +got):\n%s", diff)
			}
			// A taken name is a plain error on the name, and nothing changes.
			err = db.Update(ctx, func(tx rapport.Tx) error {
				dup := *london
				dup.ID, dup.Default = 0, true
				return tx.CreateCalendar(ctx, &dup)
			})
			if rapport.ErrorCode(err) != rapport.EINVALID {
				t.Fatalf("duplicate name: %v, want invalid", err)
			}
			if got, _ := db.FindCalendar(ctx, nyc.ID); !got.Default {
				t.Fatalf("the default moved on a failed create")
			}

			pol := &rapport.SLAPolicy{Priority: rapport.PriorityCritical, CalendarID: london.ID, FirstResponse: time.Hour,
				Resolution: 8 * time.Hour, WarnPercent: 75, UpdatedAt: now}
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.SaveSLAPolicy(ctx, pol) }); err != nil {
				t.Fatal(err)
			}
			pol.WarnPercent = 80
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.SaveSLAPolicy(ctx, pol) }); err != nil {
				t.Fatal(err)
			}
			pols, err := db.FindSLAPolicies(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]*rapport.SLAPolicy{pol}, pols); diff != "" {
				t.Fatalf("policies (-want +got):\n%s", diff)
			}

			u := mustUser(t, db, "sla@example.com", rapport.RoleRequester)
			boss := mustUser(t, db, "boss@example.com", rapport.RoleSupervisor)
			tk := mustTicket(t, db, u, rapport.Impact{})
			met := true
			due := now.Add(time.Hour)
			check := now.Add(-time.Minute)
			clock := &rapport.SLAClock{TicketID: tk.ID, Priority: rapport.PriorityNormal, CalendarID: london.ID, WarnPercent: 75,
				Runs:          []rapport.Span{{Start: now.Add(-2 * time.Hour), End: now.Add(-time.Hour)}, {Start: now}},
				FirstResponse: rapport.SLAGoal{Target: time.Hour, Due: &due, Met: &met, WarnedAt: &now},
				Resolution:    rapport.SLAGoal{Target: 8 * time.Hour},
				NextCheck:     &check}
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.SaveSLAClock(ctx, clock) }); err != nil {
				t.Fatal(err)
			}
			var locked int64
			var staff []int64
			err = db.Update(ctx, func(tx rapport.Tx) error {
				got, err := tx.FindSLAClock(ctx, tk.ID)
				if err != nil {
					return err
				}
				for i := range got.Runs { // JSON keeps the zone; compare instants
					got.Runs[i].Start, got.Runs[i].End = got.Runs[i].Start.UTC(), got.Runs[i].End.UTC()
				}
				clock.Runs[1].End = time.Time{}.UTC()
				if diff := cmp.Diff(clock, got); diff != "" {
					t.Errorf("clock (-want +got):\n%s", diff)
				}
				if locked, err = tx.LockDueSLATicket(ctx, now); err != nil {
					return err
				}
				if _, err := tx.LockDueSLATicket(ctx, now.Add(-time.Hour)); rapport.ErrorCode(err) != rapport.ENOTFOUND {
					t.Errorf("LockDueSLATicket before the check: %v, want not found", err)
				}
				staff, err = tx.FindStaffIDs(ctx, rapport.RoleSupervisor, rapport.RoleAdmin)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if locked != tk.ID {
				t.Fatalf("locked ticket %d, want %d", locked, tk.ID)
			}
			if len(staff) != 1 || staff[0] != boss.ID {
				t.Fatalf("staff %v, want [%d]", staff, boss.ID)
			}
			clocks, err := db.FindSLAClocks(ctx, []int64{tk.ID, tk.ID + 1000})
			if err != nil || len(clocks) != 1 || clocks[tk.ID] == nil {
				t.Fatalf("FindSLAClocks = %v, %v", clocks, err)
			}

			// Deleting a calendar leaves its clocks on the default.
			if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.DeleteCalendar(ctx, london.ID) }); err == nil {
				t.Fatalf("deleted a calendar a policy uses")
			}
			pol.CalendarID = nyc.ID
			err = db.Update(ctx, func(tx rapport.Tx) error {
				if err := tx.SaveSLAPolicy(ctx, pol); err != nil {
					return err
				}
				return tx.DeleteCalendar(ctx, london.ID)
			})
			if err != nil {
				t.Fatal(err)
			}
			clocks, err = db.FindSLAClocks(ctx, []int64{tk.ID})
			if err != nil || clocks[tk.ID].CalendarID != 0 {
				t.Fatalf("clock after its calendar went: %+v, %v", clocks[tk.ID], err)
			}
		})
	}
}

// TestDueSLAPlan: the periodic SLA check finds the clocks due through the
// partial index on next_check_at, in order, never by scanning every clock
// (SQLite plans without statistics, so this is the plan at any size).
func TestDueSLAPlan(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	plan, err := store.ExplainDueSLA(ctx, db, rapport.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plan, "SEARCH sla_clocks USING COVERING INDEX sla_clocks_next_check (") || strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "SCAN") {
		t.Fatalf("the due SLA check does not read the index in order:\n%s", plan)
	}
}
