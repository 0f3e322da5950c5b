package browsertest

import (
	"context"
	"strconv"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// TestAuditLogInBrowser: an agent opening a requester's ticket shows up
// in the supervisor's audit log as a profile read through the web; the
// page passes axe-core on a wide screen and a phone.
func TestAuditLogInBrowser(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	s.addUser(t, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
	tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(context.Background(), pat), desk.NewTicket{
		TicketInput: rapport.TicketInput{Subject: "Laptop", Body: "It is slow.", Channel: rapport.ChannelPortal}})
	if err != nil {
		t.Fatal(err)
	}
	a := s.newTab(t)
	a.signIn("ann@example.com", password)
	a.open("/tickets/" + strconv.FormatInt(tk.ID, 10))
	a.wantText("It is slow.")

	sue := s.newTab(t)
	sue.signIn("sue@example.com", password)
	sue.open("/audit")
	sue.wantText("Audit log", "Ann Ortiz", "Pat Lee (pat@example.com)", "Profile", "Web")
	checkPages(t, s, []shot{{"sue@example.com", "/audit", "audit"}})
}
