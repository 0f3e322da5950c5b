package browsertest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/ui"
)

// TestSLACalendarsAndTimeLeft: an administrator adds a calendar open round
// the clock on the Service levels page (a mistake is shown against its
// line first) and puts critical tickets on it; the queue then shows the
// first response time left, then the time over, as the server's clock
// moves, without a reload; the breach changes the administrator's open
// ticket page at once.
func TestSLACalendarsAndTimeLeft(t *testing.T) {
	// The queue fetches its rows every second here, not every minute.
	s := newSite(t, "sqlite", server.WithUI(ui.Options{SLARefresh: time.Second}))
	ctx := context.Background()
	if err := s.Desk.SetupSLA(ctx, "UTC"); err != nil {
		t.Fatal(err)
	}
	s.addUser(t, "root@example.com", "Rosa Admin", rapport.RoleAdmin)
	ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	pat := s.addUser(t, "pat@example.com", "Pat Doe", rapport.RoleRequester)

	adm := s.newTab(t)
	adm.signIn("root@example.com", password)
	adm.submit("link", "Service levels")
	adm.wantText("Targets by priority", "Office hours", "monday 09:00-17:00")
	adm.checkA11y()
	adm.click("DisclosureTriangle", "Add a calendar")
	adm.fill("Name", "Always open")
	adm.fill("Office hours", "mon 00:00-24:00\nsomeday 09:00-17:00")
	adm.submit("button", "Add calendar")
	adm.wantText("Line 2:", "someday")
	adm.checkA11y()
	adm.fill("Office hours", "mon 00:00-24:00\ntue 00:00-24:00\nwed 00:00-24:00\nthu 00:00-24:00\nfri 00:00-24:00\nsat 00:00-24:00\nsun 00:00-24:00")
	adm.submit("button", "Add calendar")
	adm.wantText("Calendar “Always open” added.", "Import holidays")
	adm.checkA11y()
	adm.submit("link", "Back to calendars and service levels")
	adm.choose("Calendar for critical tickets", "Always open")
	adm.fill("First response within (business time) for critical tickets", "1h")
	adm.submit("button", "Save critical targets")
	adm.wantText("Critical service level saved.")

	tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(ctx, pat), desk.NewTicket{TicketInput: rapport.TicketInput{
		Subject: "Payroll server down", Body: "Nobody can get paid", Impact: rapport.Impact{Outage: true}}})
	if err != nil {
		t.Fatal(err)
	}
	a := s.newTab(t)
	a.signIn(ann.Email, password)
	a.wantText("Time left", "1h left")
	a.checkA11y()
	// No reload from here on: a reload would forget this mark.
	eval[bool](a, `window.stillLoaded = true`)
	queueShows := func(text string) {
		t.Helper()
		a.waitFor(`window.stillLoaded && document.getElementById('queue-list').textContent.includes(`+strconv.Quote(text)+`)`,
			"the queue to show "+text+" without a reload")
	}
	s.advance(50 * time.Minute)
	queueShows("10m left")
	// The warning reaches the administrator's open page live.
	adm.open("/")
	adm.waitFor(`document.documentElement.getAttribute('data-live-state') === 'open'`, "live updates to connect")
	if n, err := s.Desk.CheckSLAs(ctx); err != nil || n != 1 {
		t.Fatalf("CheckSLAs = %d, %v; want the warning", n, err)
	}
	adm.waitFor(`!!document.querySelector('.live-alert-sla_warning')`, "the SLA warning")
	adm.wantText("Ticket " + strconv.FormatInt(tk.ID, 10) + " is close to its SLA target.")
	// The administrator's ticket page, which refreshes on no timer, turns
	// to "over by" when the breach is told.
	adm.open("/tickets/" + strconv.FormatInt(tk.ID, 10))
	adm.waitFor(`document.documentElement.getAttribute('data-live-state') === 'open'`, "live updates to connect")
	adm.wantText("10m left")
	eval[bool](adm, `window.stillLoaded = true`)
	s.advance(25 * time.Minute)
	queueShows("over by 15m")
	if n, err := s.Desk.CheckSLAs(ctx); err != nil || n != 1 {
		t.Fatalf("CheckSLAs = %d, %v; want the breach", n, err)
	}
	adm.waitFor(`window.stillLoaded && document.getElementById('ticket-facts').textContent.includes('over by 15m')`,
		"the ticket page to show the breach without a reload")
	a.checkA11y()
	// The first response is decided (missed), so the queue moves on to
	// the resolution: 8h on the calendar open round the clock, 1h15m gone.
	queueShows("6h 45m left")
	// Without JavaScript the server-made row says the same.
	nojs := s.newTab(t)
	nojs.noScript()
	nojs.signIn(ann.Email, password)
	nojs.wantText("Time left", "6h 45m left")
}
