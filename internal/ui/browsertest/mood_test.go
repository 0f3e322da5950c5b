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

// TestMoodAcknowledgement: an upset requester's ticket shows its mood in
// the queue and among the ticket's facts; the agent inserts the suggested
// acknowledgement at the start of the Reply (once, whatever was typed
// stays after it) and sends it; the requester sees the reply, never the
// mood.
func TestMoodAcknowledgement(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(context.Background(), pat), desk.NewTicket{
				TicketInput: rapport.TicketInput{Subject: "Laptop will not start",
					Body: "This is still broken and the screen went black again. I can't work at all.", Channel: rapport.ChannelPortal}})
			if err != nil {
				t.Fatal(err)
			}
			if tk.Mood != rapport.MoodFrustrated {
				t.Fatalf("the ticket reads %v (%s), want frustrated", tk.Mood, tk.MoodReason)
			}
			path := "/tickets/" + strconv.FormatInt(tk.ID, 10)
			ack := desk.Acknowledgement(tk)

			ann := s.newTab(t)
			ann.signIn("ann@example.com", password)
			ann.wantText("Mood", "Frustrated")
			ann.checkA11y()
			ann.screenshot("mood-queue")

			ann.open(path)
			ann.wantText("Frustrated: says 'still' and 'again'", "You might open with:", ack)
			ann.checkA11y()
			ann.fill("Reply", "I have ordered a replacement for tomorrow.")
			ann.click("button", "Insert acknowledgement")
			want := ack + "\n\nI have ordered a replacement for tomorrow."
			if got := eval[string](ann, `document.getElementById('reply-body').value`); got != want {
				t.Fatalf("the Reply after inserting = %q, want %q", got, want)
			}
			ann.screenshot("mood-ticket")
			if got := ann.focused(); !strings.HasPrefix(got, "textarea#reply-body") {
				t.Fatalf("the focus is on %s, want the Reply", got)
			}
			ann.click("button", "Insert acknowledgement") // a second click adds nothing
			if got := eval[string](ann, `document.getElementById('reply-body').value`); got != want {
				t.Fatalf("the Reply after a second click = %q, want %q", got, want)
			}
			ann.submit("button", "Send")
			ann.wantText("Your reply is sent.", ack)

			p := s.newTab(t)
			p.signIn("pat@example.com", password)
			p.open(path)
			p.wantText(ack, "I have ordered a replacement")
			for _, hidden := range []string{"Mood", "Frustrated", "says 'still'", "You might open with", "Insert acknowledgement"} {
				if strings.Contains(p.text(), hidden) {
					t.Fatalf("the requester sees %q:\n%s", hidden, p.text())
				}
			}
			p.checkA11y()
		})
	}
}
