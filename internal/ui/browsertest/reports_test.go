package browsertest

import (
	"context"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestReportsInBrowser: a supervisor opens the reports, on a desktop and
// on a phone: every chart (8, drawn for the screen's width) is an image with a name and a description, the
// figures are in tables, nothing scrolls sideways on the phone, a bad date
// comes back beside the form, and every page passes axe.
func TestReportsInBrowser(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			s.addUser(t, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
			for _, subj := range []string{"VPN keeps dropping", "Printer jams", "Payroll is down"} {
				in := rapport.TicketInput{Subject: subj, Body: "Please help.", Channel: rapport.ChannelPortal}
				if subj == "Payroll is down" {
					in.Impact.Outage = true
				}
				if _, err := s.Desk.CreateTicket(rapport.NewContextWithUser(context.Background(), pat), desk.NewTicket{TicketInput: in}); err != nil {
					t.Fatal(err)
				}
			}
			tk, err := s.Desk.ClaimNext(rapport.NewContextWithUser(context.Background(), ann))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Desk.AddMessage(rapport.NewContextWithUser(context.Background(), ann), tk.ID, "Restarting it now.", false); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Desk.Resolve(rapport.NewContextWithUser(context.Background(), ann), tk.ID, "Restarted the server."); err != nil {
				t.Fatal(err)
			}

			for _, phone := range []bool{false, true} {
				sue := s.newTab(t)
				if phone {
					sue.viewport(390, 844, true)
				}
				sue.signIn("sue@example.com", password)
				sue.open("/reports")
				sue.wantText("Reports for", "First response and resolution times", "SLA attainment", "Backlog by priority",
					"Reopen rate: 0.0%", "Satisfaction (CSAT)", "No kudos in this range.", "Tickets by channel",
					"Download response and resolution times (CSV)")
				if n := eval[int](sue, `[...document.querySelectorAll('svg[role=img]')].filter(s => s.getClientRects().length > 0 && s.querySelector('title') && s.querySelector('desc')).length`); n != 8 {
					t.Fatalf("%d named and described charts, want 8", n)
				}
				if n := eval[int](sue, `document.querySelectorAll('section.report table').length`); n != 7 {
					t.Fatalf("%d tables of figures, want 7", n)
				}
				if phone && eval[bool](sue, `document.documentElement.scrollWidth > window.innerWidth`) {
					t.Fatal("the reports page on a phone is wider than the screen: it scrolls sideways")
				}
				sue.checkA11y()
				sue.screenshot(map[bool]string{false: "reports", true: "reports-phone"}[phone])
			}

			sue := s.newTab(t)
			sue.signIn("sue@example.com", password)
			sue.open("/reports?from=2026-02-30")
			sue.wantText("Please check the dates", "from must be a date written like")
			sue.checkA11y()
		})
	}
}
