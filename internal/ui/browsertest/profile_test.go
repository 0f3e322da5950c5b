package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestProfileAndCall: a requester fills in their profile on the Account
// page, choosing to be called; the agent on their ticket sees "Prefers a
// call" with the number, their local time and language, opens the call
// log with Alt+Shift+L, types what was said and logs it with Ctrl+Enter;
// the call is on the timeline the requester reads. axe-core passes on
// every page on the way.
func TestProfileAndCall(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "robert@example.com", "Robert Smith", rapport.RoleRequester)
			s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			tk := ask(t, s, pat, "The VPN drops every hour", rapport.Impact{})

			me := s.newTab(t)
			me.signIn("robert@example.com", password)
			me.open("/account")
			me.checkA11y()
			// A mistake first: it comes back beside its field, with what was typed.
			me.fill("Preferred name", "Bob")
			me.fillCombo("Time zone", "Paris")
			me.submit("button", "Save profile")
			me.wantText("We do not know the time zone \"Paris\"")
			if got := eval[string](me, `document.getElementById('preferred_name').value`); got != "Bob" {
				t.Fatalf("the preferred name typed was lost: %q", got)
			}
			me.checkA11y()
			me.fillCombo("Time zone", "Europe/Paris")
			me.fill("How to say the name", "ROB-ert")
			me.fill("Phone", "+33 1 23 45 67 89")
			me.fill("Language", "fr")
			me.click("radio", "A phone call")
			me.submit("button", "Save profile")
			me.wantText("Your profile is saved.")
			if got := eval[string](me, `document.getElementById('time_zone').value`); got != "Europe/Paris" {
				t.Fatalf("time zone after saving: %q", got)
			}

			agent := s.newTab(t)
			agent.signIn("ann@example.com", password)
			agent.open(fmt.Sprintf("/tickets/%d", tk.ID))
			agent.wantText("Prefers a call", "+33 1 23 45 67 89", "Bob", "ROB-ert", "for them", "French")
			if href := eval[string](agent, `document.querySelector('#call-cue a').getAttribute('href')`); href != "tel:+33123456789" {
				t.Fatalf("the number links to %q", href)
			}
			agent.checkA11y()
			if eval[bool](agent, `document.getElementById('call-log').open`) {
				t.Fatal("the call log is open before it is asked for")
			}
			if err := chromedp.Do(agent.ctx, chromedp.KeyEvent("L", chromedp.KeyModifiers(chromedp.ModifierAlt|chromedp.ModifierShift))); err != nil {
				t.Fatalf("Alt+Shift+L: %v", err)
			}
			agent.waitFor(`document.getElementById('call-log').open && document.activeElement.id === 'call-summary'`, "Alt+Shift+L opening the call log")
			agent.checkA11y()
			if err := chromedp.Do(agent.ctx, chromedp.KeyEvent("Talked it through: the VPN profile is reset.")); err != nil {
				t.Fatal(err)
			}
			agent.ctrlEnter()
			agent.wantText("The call is logged on the timeline", "logged a phone call", "Ann Ortiz called Robert Smith (Bob) on +33 1 23 45 67 89",
				"Talked it through: the VPN profile is reset.")
			agent.checkA11y()

			agent.open(fmt.Sprintf("/people/%d", pat.ID))
			agent.wantText("The VPN drops every hour", "Prefers a call")
			agent.checkA11y()

			me.open(fmt.Sprintf("/tickets/%d", tk.ID))
			text := me.text()
			if !strings.Contains(text, "Talked it through") || strings.Contains(text, "Log a call") || strings.Contains(text, "Prefers a call") {
				t.Fatalf("the requester's ticket page shows:\n%s", text)
			}
			me.checkA11y()
		})
	}
}

// fillCombo is fill for a text box with suggestions (a combobox, as the
// time zone field with its list is).
func (tb *tab) fillCombo(label, text string) {
	tb.t.Helper()
	id := tb.find("combobox", label)
	if _, err := chromedp.Call(tb.ctx, dom.Focus, dom.FocusParams{BackendNodeID: id}); err != nil {
		tb.t.Fatalf("focus %q: %v", label, err)
	}
	tb.call(id, "function() { this.select(); }")
	if _, err := chromedp.Call(tb.ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		tb.t.Fatalf("type into %q: %v", label, err)
	}
}

// TestProfilePagesOnDesktopAndPhone checks the profile pages like every
// other (axe-core, no sideways scroll on a phone, the transfer budget): the
// Account page with its profile form, a person's page, and a ticket whose
// requester prefers a call.
func TestProfilePagesOnDesktopAndPhone(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Siobhan Kelly", rapport.RoleRequester)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	ann := s.addUser(t, "root@example.com", "Root", rapport.RoleAdmin)
	ctx := rapport.NewContextWithUser(context.Background(), pat)
	if _, err := s.Desk.UpdateMyProfile(ctx, rapport.ProfileUpdate{PreferredName: ptr("Shiv"), Pronunciation: ptr("SHIV-on"),
		Phone: ptr("+353 1 234 5678 ext 22"), PreferredChannel: ptr("phone"), TimeZone: ptr("Europe/Dublin"), Language: ptr("ga-IE")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Desk.UpdateProfile(rapport.NewContextWithUser(context.Background(), ann), pat.ID,
		rapport.ProfileUpdate{Notes: ptr("Prefers a quick call over long emails; mornings are best.")}); err != nil {
		t.Fatal(err)
	}
	tk := ask(t, s, pat, "Outlook keeps asking for my password", rapport.Impact{})
	ask(t, s, pat, "Second monitor flickers", rapport.Impact{})
	checkPages(t, s, []shot{
		{"pat@example.com", "/account", "requester-account-profile"},
		{"ann@example.com", "/tickets/" + itoa(tk.ID), "agent-ticket-prefers-call"},
		{"ann@example.com", "/people/" + itoa(pat.ID), "agent-person"},
	})
}

func ptr(s string) *string { return &s }
