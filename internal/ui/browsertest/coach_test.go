package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestCoachSuggests: an agent types a blunt, jargon-heavy reply; the tone
// coach lists its findings under the Reply box as they type; "Use
// suggestion" puts the plain words in place (past an emoji, so offsets in
// characters are converted right); the page passes axe; and Send still
// sends the reply as it stands: the coach never blocks.
func TestCoachSuggests(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			s.addUser(t, "zoe@example.com", "Zoë Martin", rapport.RoleRequester)
			agent := s.addUser(t, "ann@example.com", "Ann Agent", rapport.RoleAgent)
			tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(context.Background(), agent), desk.NewTicket{
				RequesterEmail: "zoe@example.com",
				TicketInput:    rapport.TicketInput{Subject: "VPN drops", Body: "It keeps dropping", Channel: rapport.ChannelPhone}})
			if err != nil {
				t.Fatal(err)
			}

			tb := s.newTab(t)
			tb.signIn("ann@example.com", password)
			tb.open(fmt.Sprintf("/tickets/%d", tk.ID))
			draft := "🙂 Your VPN client was broken, obviously user error."
			tb.fill("Reply", draft)
			tb.waitFor(`document.querySelectorAll('#coach-findings li').length >= 3`, "the coach's findings")
			tb.wantText("Jargon:", "Brusque:", "Blame:", "Suggestion: secure connection app")
			if got := eval[string](tb, `document.querySelector('.coach-results').getAttribute('aria-live')`); got != "polite" {
				t.Fatalf("findings region aria-live=%q, want polite", got)
			}
			tb.checkA11y()
			tb.screenshot("ticket-coach")

			tb.click("button", "Use suggestion for “VPN client”")
			want := "🙂 Your secure connection app was broken, obviously user error."
			tb.waitFor(`document.getElementById('reply-body').value === `+jsString(want), "the suggestion in the Reply box")
			// The coach reads the new draft: the jargon finding is gone.
			tb.waitFor(`![...document.querySelectorAll('#coach-findings li')].some(li => li.textContent.includes('VPN client'))`, "the findings brought up to date")
			tb.wantText("Blame:")

			// An internal note needs no greeting: the brusque findings go.
			tb.click("checkbox", "Internal note")
			tb.waitFor(`!document.getElementById('coach-findings').textContent.includes('Brusque:')`, "the brusque findings hidden for an internal note")
			tb.click("checkbox", "Internal note")
			tb.waitFor(`document.getElementById('coach-findings').textContent.includes('Brusque:')`, "the brusque findings back for a reply")

			// Suggestions never stand in the way: Send sends what is there.
			tb.submit("button", "Send")
			tb.wantText("secure connection app was broken, obviously user error.")
		})
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
