package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/rapportdesk/rapport"
)

// noScript turns the page's own JavaScript off for the rest of the tab's
// life, as for a person who browses without it. The test still reads the
// page through the browser's debugging protocol.
func (tb *tab) noScript() {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		tb.t.Fatalf("turn JavaScript off: %v", err)
	}
}

// TestMainFlowsWithoutJavaScript: with JavaScript off, a requester asks for
// help and sees their place; an agent takes the ticket, replies and
// resolves it; the requester reads the reply and reopens it. Everything is
// plain forms and links.
func TestMainFlowsWithoutJavaScript(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)

	pat := s.newTab(t)
	pat.noScript()
	pat.signIn("pat@example.com", password)
	pat.submit("link", "Ask for help")
	if eval[bool](pat, `document.documentElement.dataset.liveState !== undefined`) {
		t.Fatalf("the page's scripts ran although JavaScript is off")
	}
	pat.fill("Subject", "Printer jammed")
	pat.fill("Description", "The printer on floor 2 says paper jam.")
	pat.click("checkbox", "I cannot work at all")
	pat.submit("button", "Send request")
	pat.wantText("Printer jammed", "Position in queue")
	ticketPath := pat.path()

	ann := s.newTab(t)
	ann.noScript()
	ann.signIn("ann@example.com", password)
	ann.wantText("Printer jammed")
	ann.submit("button", "Take next")
	if got := ann.path(); got != ticketPath {
		t.Fatalf("Take next opened %q, want %q", got, ticketPath)
	}
	ann.fill("Reply", "Please open tray 2 and take out the torn sheet.")
	ann.submit("button", "Send")
	ann.wantText("Please open tray 2")
	ann.fill("Reply", "Took out a torn sheet from tray 2.")
	ann.submit("button", "Resolve")
	ann.wantText("Resolved")

	pat.open(ticketPath)
	pat.wantText("Please open tray 2", "Took out a torn sheet")
	if strings.Contains(pat.text(), "Position in queue") {
		t.Fatalf("a resolved ticket still shows a place in the queue")
	}
	pat.fill("What is still wrong?", "It jammed again after ten pages.")
	pat.submit("button", "Reopen")
	pat.wantText("It jammed again after ten pages.")
	// axe-core is JavaScript itself: these pages are checked with it in the
	// tests that leave JavaScript on.
}
