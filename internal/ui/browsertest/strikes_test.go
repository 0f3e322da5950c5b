package browsertest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestStrikeInBrowser: an agent marks a requester's message as
// discourteous from the timeline, reading exactly what will be sent
// before sending it; the supervisor sees a live alert; the requester
// reads the boundary statement and never the note; the supervisor
// withdraws the strike with a reason. Every page passes axe.
func TestStrikeInBrowser(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			s.addUser(t, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
			tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(context.Background(), pat), desk.NewTicket{
				TicketInput: rapport.TicketInput{Subject: "VPN keeps dropping", Body: "Nothing works and you lot are useless.", Channel: rapport.ChannelPortal}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Desk.ClaimNext(rapport.NewContextWithUser(context.Background(), ann)); err != nil {
				t.Fatal(err)
			}
			path := "/tickets/" + strconv.FormatInt(tk.ID, 10)

			sue := s.newTab(t)
			sue.signIn("sue@example.com", password)
			sue.listening()

			a := s.newTab(t)
			a.signIn("ann@example.com", password)
			a.open(path)
			a.wantText("Strikes", "None on this ticket.")
			a.click("DisclosureTriangle", "Mark as discourteous")
			a.wantText("This is strike 1 of 3. Pat Lee will receive exactly this message from you",
				"Hello Pat,", "keep our conversation respectful")
			a.checkA11y()
			a.fill("Note for the supervisors (optional, staff only)", "Called us useless.")
			a.submit("button", "Send strike 1 of 3")
			a.wantText("Strike 1 of 3 recorded", "1 of 3", "asked to keep the conversation respectful",
				"marked a message as discourteous (strike 1 of 3)", "Called us useless.")
			a.checkA11y()

			sue.waitFor(`!!document.querySelector('.live-alert-strike')`, "the supervisor's live alert")
			sue.wantText("A strike was given on ticket " + strconv.FormatInt(tk.ID, 10))
			sue.checkA11y()

			p := s.newTab(t)
			p.signIn("pat@example.com", password)
			p.open(path)
			p.wantText("Hello Pat,", "keep our conversation respectful")
			if text := p.text(); strings.Contains(text, "Called us useless") || strings.Contains(text, "discourteous") {
				t.Fatalf("the requester sees the agent's note or the marking:\n%s", text)
			}
			p.checkA11y()

			sue.open(path)
			sue.click("DisclosureTriangle", "Withdraw strike 1")
			sue.fill("Why withdraw it?", "They were quoting the error message.")
			sue.submit("button", "Withdraw")
			sue.wantText("Strike 1 is withdrawn; the ticket now has 0.", "Strike 1 of 3, withdrawn", "They were quoting the error message.")
			sue.checkA11y()
			sue.open("/strike-texts")
			sue.wantText("What strikes send", "Strike 3: ending the conversation")
			sue.checkA11y()
		})
	}
}

// TestHandoverInBrowser: an agent hands a ticket to a colleague with a
// note; the colleague gets a live alert and, on the ticket, reads the
// note first, among the facts.
func TestHandoverInBrowser(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	s.addUser(t, "bob@example.com", "Bob Roy", rapport.RoleAgent)
	tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(context.Background(), pat), desk.NewTicket{
		TicketInput: rapport.TicketInput{Subject: "Laptop", Body: "It is slow.", Channel: rapport.ChannelPortal}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Desk.ClaimNext(rapport.NewContextWithUser(context.Background(), ann)); err != nil {
		t.Fatal(err)
	}
	path := "/tickets/" + strconv.FormatInt(tk.ID, 10)
	b := s.newTab(t)
	b.signIn("bob@example.com", password)
	b.listening()

	a := s.newTab(t)
	a.signIn("ann@example.com", password)
	a.open(path)
	a.click("DisclosureTriangle", "Ask a colleague")
	a.checkA11y()
	a.choose("Hand over to", "Bob Roy")
	a.fill("Handover note", "Reinstalled the driver; they are upset, please call them.")
	a.submit("button", "Hand over")
	a.wantText("Handed over to Bob Roy, with your note.", "handed it over to Bob Roy with a note")

	b.waitFor(`!!document.querySelector('.live-alert-handover')`, "the colleague's live alert")
	b.open(path)
	b.wantText("Handover note", "Ann Ortiz handed this to you", "please call them")
	b.checkA11y()
}
