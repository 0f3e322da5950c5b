package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// waitFor polls the JavaScript condition cond until it holds, failing
// with what after 15 s: a guard against a test hanging, not a timing.
func (tb *tab) waitFor(cond, what string) {
	tb.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !eval[bool](tb, cond) {
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s did not happen on %s; the page shows:\n%s", what, tb.path(), tb.text())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// listening waits until the page's live.js has its event stream open.
func (tb *tab) listening() {
	tb.t.Helper()
	tb.waitFor(`document.documentElement.dataset.liveState === 'open'`, "live updates connecting")
}

// TestHomeUpdatesLive: when an agent picks up a requester's ticket, the
// open "My requests" page says who is working on it, in place: no reload,
// nothing else on the page disturbed, and a screen reader told politely.
func TestHomeUpdatesLive(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			ask(t, s, pat, "Cannot print from my laptop", rapport.Impact{})
			tb := s.newTab(t)
			tb.signIn("pat@example.com", password)
			tb.wantText("Waiting in the queue", "Position in queue: 1", rapport.WaitNoHistory)
			tb.listening()
			// A mark that a reload would wipe.
			eval[bool](tb, `window.__stayed = true`)

			if _, err := s.Desk.ClaimNext(rapport.NewContextWithUser(context.Background(), ann)); err != nil {
				t.Fatal(err)
			}
			tb.waitFor(`document.getElementById('my-requests').innerText.includes('Ann Ortiz is working on it')`, "the claim showing")
			if !eval[bool](tb, `window.__stayed === true`) {
				t.Fatalf("the page reloaded instead of updating in place")
			}
			text := tb.text()
			if strings.Contains(text, "Position in queue") || !strings.Contains(text, "Being worked on") {
				t.Fatalf("after the claim the home page shows:\n%s", text)
			}
			tb.waitFor(`[...document.querySelectorAll('[role=status]')].some(e => e.textContent.includes('Your requests were updated.'))`, "the polite announcement")
			tb.checkA11y()
		})
	}
}

// TestQueueUpdatesLive: an agent's open queue page shows a request that
// arrives while they look at it, in place, without a reload.
func TestQueueUpdatesLive(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	ask(t, s, pat, "Cannot print from my laptop", rapport.Impact{})
	tb := s.newTab(t)
	tb.signIn("ann@example.com", password)
	tb.wantText("Cannot print from my laptop")
	tb.listening()
	eval[bool](tb, `window.__stayed = true`)

	ask(t, s, pat, "The VPN drops every hour", rapport.Impact{})
	tb.waitFor(`document.getElementById('queue-list').innerText.includes('The VPN drops every hour')`, "the new request showing")
	if !eval[bool](tb, `window.__stayed === true`) {
		t.Fatalf("the page reloaded instead of updating in place")
	}
	tb.checkA11y()
}
