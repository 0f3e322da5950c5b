package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// value returns the value of the form field with id.
func (tb *tab) value(id string) string {
	tb.t.Helper()
	return eval[string](tb, `document.getElementById('`+id+`').value`)
}

// draftSaved waits until draft.js says the server has the draft.
func (tb *tab) draftSaved() {
	tb.t.Helper()
	tb.waitFor(`document.getElementById('draft-status').textContent.startsWith('Draft saved')`, "the draft being saved")
}

// localDrafts counts the drafts waiting in the browser's localStorage.
func (tb *tab) localDrafts() int {
	tb.t.Helper()
	return eval[int](tb, `Object.keys(localStorage).filter(k => k.startsWith('rapport.draft.')).length`)
}

// offline cuts the tab off the network (navigator.onLine too), or
// restores it.
func (tb *tab) offline(off bool) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}}); err != nil {
		tb.t.Fatalf("emulate offline=%v: %v", off, err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		tb.t.Fatalf("navigator offline=%v: %v", off, err)
	}
}

// TestDraftSurvivesReload: what a requester types into Ask for help is
// back after a reload mid-typing, after typing offline, and after their
// session expired and they signed in again (typing on while signed out
// included); sending the request clears it, on the server and in the
// browser.
func TestDraftSurvivesReload(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			tb := s.newTab(t)
			tb.signIn("pat@example.com", password)
			tb.open("/requests/new")
			tb.fill("Subject", "Printer jammed")
			tb.fill("Description", "The printer on floor 2 says \"paper jam\"")
			tb.click("checkbox", "I cannot work at all")
			tb.draftSaved()
			if n := tb.localDrafts(); n != 0 {
				t.Fatalf("%d drafts left in localStorage once the server has it, want 0", n)
			}

			tb.open("/requests/new") // reload
			if got := tb.value("subject"); got != "Printer jammed" {
				t.Fatalf("subject after a reload=%q, want it back", got)
			}
			if got := tb.value("description"); got != "The printer on floor 2 says \"paper jam\"" {
				t.Fatalf("description after a reload=%q, want it back", got)
			}
			if !eval[bool](tb, `document.getElementById('blocks_work').checked`) {
				t.Fatalf("the ticked box was lost in the reload")
			}
			tb.wantText("We kept what you were writing")
			tb.checkA11y()

			// Offline: kept in the browser, saved when back online.
			tb.offline(true)
			tb.fill("Description", "Offline words")
			tb.waitFor(`document.getElementById('draft-status').textContent.includes('offline')`, "the offline notice")
			if n := tb.localDrafts(); n != 1 {
				t.Fatalf("%d drafts in localStorage while offline, want 1", n)
			}
			tb.offline(false)
			tb.draftSaved()
			if dr, err := s.Desk.Draft(rapport.NewContextWithUser(context.Background(), pat), rapport.DraftNewRequest); err != nil || dr.Description != "Offline words" {
				t.Fatalf("server draft after coming back online=%+v, %v", dr, err)
			}

			// The session expires; typing goes on, then sign in again.
			s.advance(rapport.SessionIdle + rapport.SessionTouchEvery)
			tb.fill("Description", "Typed after the session ended")
			tb.waitFor(`document.getElementById('draft-status').textContent.includes('signed out')`, "the signed-out notice")
			tb.open("/requests/new")
			if got := tb.path(); !strings.HasPrefix(got, "/login") {
				t.Fatalf("after the session expired the form lands on %q, want /login", got)
			}
			tb.fill("Email", "pat@example.com")
			tb.fill("Password", password)
			tb.submit("button", "Sign in")
			if got := tb.path(); got != "/requests/new" {
				t.Fatalf("after signing in again at %q, want back at /requests/new", got)
			}
			if got := tb.value("description"); got != "Typed after the session ended" {
				t.Fatalf("description after signing in again=%q, want the words typed while signed out", got)
			}
			if got := tb.value("subject"); got != "Printer jammed" {
				t.Fatalf("subject after signing in again=%q", got)
			}
			tb.draftSaved()
			tb.checkA11y()

			tb.submit("button", "Send request")
			tb.wantText("Printer jammed", "Position in queue")
			if dr, err := s.Desk.Draft(rapport.NewContextWithUser(context.Background(), pat), rapport.DraftNewRequest); err != nil || !dr.Empty() {
				t.Fatalf("server draft after sending=%+v, %v, want it cleared", dr, err)
			}
			tb.open("/requests/new")
			if sub, desc := tb.value("subject"), tb.value("description"); sub != "" || desc != "" {
				t.Fatalf("form after sending: subject=%q description=%q, want it empty", sub, desc)
			}
			if eval[bool](tb, `document.getElementById('blocks_work').checked`) {
				t.Fatalf("a box ticked in the sent request is still ticked")
			}
			if n := tb.localDrafts(); n != 0 {
				t.Fatalf("%d drafts in localStorage after sending, want 0", n)
			}
		})
	}
}
