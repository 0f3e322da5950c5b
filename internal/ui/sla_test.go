package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestPortalSaysWhenTheDeskOpens: while the desk is closed (a Saturday on
// the default calendar) the requester's pages say when it opens again, in
// their time zone; while it is open they say nothing about it.
func TestPortalSaysWhenTheDeskOpens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var mu sync.Mutex
		now := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC) // Saturday
		f.desk.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		if err := f.desk.SetupSLA(context.Background(), "UTC"); err != nil {
			t.Fatal(err)
		}
		c := f.client(t)
		f.signIn(t, c, "pat@example.com")
		for _, path := range []string{"/", "/requests/new"} {
			_, body := f.do(t, c, "GET", path, nil, nil)
			if !strings.Contains(body, "The help desk is closed now; it opens again 30 Nov 2026, 09:00 UTC") {
				t.Fatalf("GET %s on Saturday does not say when the desk opens:\n%s", path, body)
			}
		}
		mu.Lock()
		now = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) // Monday morning
		mu.Unlock()
		if _, body := f.do(t, c, "GET", "/requests/new", nil, nil); strings.Contains(body, "desk-closed") {
			t.Fatalf("the open desk says it is closed")
		}
	})
}

// TestServiceLevelsPage: staff read the page; only administrators change
// targets; a target that cannot be read is shown against its field and
// nothing changes; a good one is saved.
func TestServiceLevelsPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if err := f.desk.SetupSLA(ctx, "UTC"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.desk.AddUserWithPassword(ctx, "root@example.com", "Rosa", rapport.RoleAdmin, password); err != nil {
			t.Fatal(err)
		}
		cals, err := f.desk.Calendars(ctx)
		if err != nil {
			t.Fatal(err)
		}
		calID := strconv.FormatInt(cals[0].ID, 10)
		agent := f.client(t)
		f.signIn(t, agent, "ann@example.com")
		if res, body := f.do(t, agent, "GET", "/calendars", nil, nil); res.StatusCode != 200 || !strings.Contains(body, "Targets by priority") || strings.Contains(body, "Save critical targets") {
			t.Fatalf("agent's page: %d\n%s", res.StatusCode, body)
		}
		form := url.Values{"calendar_id": {calID}, "first_response": {"30m"}, "resolution": {"4h"}, "warn_percent": {"80"}}
		if res, _ := f.do(t, agent, "POST", "/sla-policies/critical", form, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("an agent changing targets: %d, want 403", res.StatusCode)
		}
		admin := f.client(t)
		f.signIn(t, admin, "root@example.com")
		bad := url.Values{"calendar_id": {calID}, "first_response": {"soon"}, "resolution": {"4h"}, "warn_percent": {"80"}}
		res, body := f.do(t, admin, "POST", "/sla-policies/critical", bad, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "like 1h or 8h 30m") || !strings.Contains(body, `value="soon"`) {
			t.Fatalf("bad target: %d\n%s", res.StatusCode, body)
		}
		if res, _ := f.do(t, admin, "POST", "/sla-policies/critical", form, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good target: %d", res.StatusCode)
		}
		pols, err := f.desk.SLAPolicies(rapport.NewContextWithUser(ctx, &rapport.User{Role: rapport.RoleAdmin}))
		if err != nil {
			t.Fatal(err)
		}
		if p := pols[0]; p.FirstResponse != 30*time.Minute || p.Resolution != 4*time.Hour || p.WarnPercent != 80 {
			t.Fatalf("saved %+v", p)
		}
	})
}

// TestTicketPageShowsSLA: staff see both targets' time left on the ticket
// page with the due time; the requester sees neither.
func TestTicketPageShowsSLA(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		f.desk.Now = func() time.Time { return monday }
		if err := f.desk.SetupSLA(ctx, "UTC"); err != nil {
			t.Fatal(err)
		}
		pat, err := db.FindUserByEmail(ctx, "pat@example.com")
		if err != nil {
			t.Fatal(err)
		}
		tk, err := f.desk.CreateTicket(rapport.NewContextWithUser(ctx, pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "VPN", Body: "It drops"}})
		if err != nil {
			t.Fatal(err)
		}
		path := "/tickets/" + strconv.FormatInt(tk.ID, 10)
		agent := f.client(t)
		f.signIn(t, agent, "ann@example.com")
		_, body := f.do(t, agent, "GET", path, nil, nil)
		for _, want := range []string{"First response (SLA)", "8h left", "23 Nov 2026, 17:00 UTC", "Resolution (SLA)", "40h left", "27 Nov 2026, 17:00 UTC"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the agent's ticket page lacks %q:\n%s", want, body)
			}
		}
		req := f.client(t)
		f.signIn(t, req, "pat@example.com")
		if _, body := f.do(t, req, "GET", path, nil, nil); strings.Contains(body, "(SLA)") {
			t.Fatalf("the requester sees the SLA")
		}
	})
}

// TestQueueTimeLeftRefreshes: the queue's rows say, in markup, that they
// follow SLA alerts and are fetched again every minute (live.js), so its
// time left stays true on an open page; the words are in the page itself
// for a browser without JavaScript.
func TestQueueTimeLeftRefreshes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		f.desk.Now = func() time.Time { return now }
		ctx := context.Background()
		if err := f.desk.SetupSLA(ctx, "UTC"); err != nil {
			t.Fatal(err)
		}
		pat, err := db.FindUserByEmail(ctx, "pat@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.desk.CreateTicket(rapport.NewContextWithUser(ctx, pat), desk.NewTicket{TicketInput: rapport.TicketInput{
			Subject: "Printer jammed", Body: "Paper stuck", Impact: rapport.Impact{Outage: true}}}); err != nil {
			t.Fatal(err)
		}
		c := f.client(t)
		f.signIn(t, c, "ann@example.com")
		_, body := f.do(t, c, "GET", "/", nil, nil)
		for _, want := range []string{`id="queue-list" data-live="queue mine sla" data-live-every="60"`, "1h left"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the queue lacks %q:\n%s", want, body)
			}
		}
	})
}
