package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// focusRing says what is wrong with the focus as a person sees it: ""
// when an element has it, matches :focus-visible and shows an outline of
// at least 2px on a box of its own.
const focusRing = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return 'nothing has the focus';
	// A date field's parts (day, month, year) take the focus inside it.
	const inner = el.matches(':focus-within') && !el.matches(':focus');
	if (!el.matches(':focus-visible') && !inner) return 'the focus is not visible (:focus-visible does not match)';
	const s = getComputedStyle(el);
	if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) return 'the focused element shows no outline';
	const r = el.getBoundingClientRect();
	if (r.width === 0 || r.height === 0) return 'the focused element has no box on screen';
	return '';
})()`

// focused describes the element with the focus, for messages.
func (tb *tab) focused() string {
	tb.t.Helper()
	return eval[string](tb, `(() => { const el = document.activeElement;
		return el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"' : 'nothing'; })()`)
}

// tabTo presses Tab until the focused element el satisfies the JavaScript
// predicate pred, checking at every stop that the focus is visible. A
// control that Tab never reaches (in 120 presses) fails the test.
func (tb *tab) tabTo(what, pred string) {
	tb.t.Helper()
	for i := 0; i < 120; i++ {
		tb.keys("\t")
		if eval[bool](tb, `document.activeElement === document.body`) {
			tb.t.Fatalf("Tab went past the end of %s without reaching %s", tb.path(), what)
		}
		if why := eval[string](tb, focusRing); why != "" {
			tb.t.Fatalf("tabbing to %s on %s: at %s %s", what, tb.path(), tb.focused(), why)
		}
		if eval[bool](tb, `((el) => !!el && (`+pred+`))(document.activeElement)`) {
			return
		}
	}
	tb.t.Fatalf("Tab never reached %s on %s", what, tb.path())
}

// tabToID is tabTo for the element with id.
func (tb *tab) tabToID(id string) { tb.t.Helper(); tb.tabTo("#"+id, `el.id === '`+id+`'`) }

// tabToText is tabTo for the button, link or summary reading text.
func (tb *tab) tabToText(text string) {
	tb.t.Helper()
	tb.tabTo(`"`+text+`"`, `/^(BUTTON|A|SUMMARY)$/.test(el.tagName) && el.innerText.trim() === '`+text+`'`)
}

// landed checks where the focus is after a page loaded from an action: on
// the message saying what happened (read out as it takes the focus, the
// next Tab going on into the page), or on the field with the mistake.
func (tb *tab) landed(flash string) {
	tb.t.Helper()
	// autofocus applies at the next rendering step, after the load event.
	deadline := time.Now().Add(5 * time.Second)
	for !eval[bool](tb, `!!document.activeElement && document.activeElement.classList.contains('flash')`) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	onFlash := eval[bool](tb, `!!document.activeElement && document.activeElement.classList.contains('flash')`)
	if !onFlash || !strings.Contains(eval[string](tb, `document.activeElement.innerText`), flash) {
		tb.t.Fatalf("after the action, the focus is on %s, want the message %q; the page shows:\n%s", tb.focused(), flash, tb.text())
	}
}

// keySignIn signs in from the keyboard alone.
func (tb *tab) keySignIn(email string) {
	tb.t.Helper()
	tb.open("/login")
	if got := eval[string](tb, `document.activeElement.id`); got != "email" {
		tb.t.Fatalf("focus on /login is on %q, want the email field", got)
	}
	tb.keys(email + "\t" + password)
	tb.keysAndWait("\r")
	if tb.path() != "/" {
		tb.t.Fatalf("after signing in at %s, want /", tb.path())
	}
}

// TestKeyboardOnly: the agent's and the requester's main flows, driven
// with Tab, Enter, Space, arrow keys and typing only (no click, no
// focusing by script): each control is reached by Tab with a visible
// focus ring at every stop, and after each action the focus lands on the
// message saying what happened.
func TestKeyboardOnly(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			s.addUser(t, "bo@example.com", "Bo Li", rapport.RoleAgent)

			// The requester asks for help.
			p := s.newTab(t)
			p.keySignIn("pat@example.com")
			p.tabToText("Ask for help")
			p.keysAndWait("\r")
			p.tabToID("subject")
			p.keys("Laptop will not start")
			p.tabToID("description")
			p.keys("The power light blinks orange.")
			p.tabToID("blocks_work")
			p.keys(" ")
			if !eval[bool](p, `document.getElementById('blocks_work').checked`) {
				t.Fatalf("Space did not tick the box")
			}
			p.tabToText("Send request")
			p.keysAndWait("\r")
			p.landed("")
			p.wantText("Laptop will not start", "Position in queue")
			ticket := p.path()

			// The agent works it.
			a := s.newTab(t)
			a.keySignIn("ann@example.com")
			a.tabToText("Take next")
			a.keysAndWait("\r")
			if a.path() != ticket {
				t.Fatalf("Take next opened %s, want %s", a.path(), ticket)
			}
			a.landed("is yours now")

			a.tabToID("reply-body")
			a.keys("Hold the power button for 30 seconds, please.")
			a.tabToText("Send")
			a.keysAndWait("\r")
			a.landed("Your reply is sent.")

			a.tabToID("reply-body")
			a.keys("Probably the battery.")
			a.tabToID("reply-internal")
			a.keys(" ")
			a.tabToText("Send")
			a.keysAndWait("\r")
			a.landed("internal note")
			a.wantText("Internal note", "Probably the battery.")

			a.tabToText("Change the priority")
			a.keys("\r")
			if !eval[bool](a, `document.activeElement.parentElement.open`) {
				t.Fatalf("Enter on the summary did not open Change the priority")
			}
			a.tabTo("the checked priority", `el.name === 'priority' && el.checked`)
			// "I cannot work" made it critical; the form offers the change.
			if got := eval[string](a, `document.activeElement.value`); got != "normal" {
				t.Fatalf("Tab into the priorities lands on %q, want normal (the change)", got)
			}
			// Arrow keys move between the choices, as in any radio group.
			for _, k := range []struct{ key, want string }{{kb.ArrowUp, "critical"}, {kb.ArrowDown, "normal"}} {
				a.keys(k.key)
				if got := eval[string](a, `document.querySelector('input[name=priority]:checked').value`); got != k.want {
					t.Fatalf("after an arrow key the priority chosen is %q, want %q", got, k.want)
				}
			}
			a.tabToID("triage-reason")
			a.keys("Another laptop is on loan meanwhile.")
			a.tabToText("Change priority")
			a.keysAndWait("\r")
			a.landed("")
			a.wantText("We set this to normal priority.", "Another laptop is on loan meanwhile.")

			a.tabToText("Who has it")
			a.keys("\r")
			a.tabToID("assignee")
			a.keys("Bo")
			if got := eval[string](a, `document.activeElement.value`); got != "bo@example.com" {
				t.Fatalf("typing Bo in the assignee list chose %q", got)
			}
			a.tabToText("Assign")
			a.keysAndWait("\r")
			a.landed("")
			a.wantText("Bo Li")

			a.tabToText("Who has it")
			if !eval[bool](a, `document.activeElement.parentElement.open`) {
				a.keys(" ")
			}
			a.tabToText("Release to the queue")
			a.keysAndWait("\r")
			a.landed("")
			a.wantText("Nobody yet", "Position in queue")

			a.open("/")
			a.tabToText("Take next")
			a.keysAndWait("\r")
			a.landed("is yours now")

			a.tabToText("Put on hold")
			a.keys(" ")
			a.tabToID("hold-reason")
			a.keys("Waiting for a new battery")
			a.tabToID("hold-until")
			until := time.Now().AddDate(0, 0, 10)
			a.keys(until.Format("01022006"))
			if got := eval[string](a, `document.getElementById('hold-until').value`); got != until.Format("2006-01-02") {
				t.Fatalf("typing the date gave %q, want %s", got, until.Format("2006-01-02"))
			}
			a.tabTo(`the "Put on hold" button`, `el.tagName === 'BUTTON' && el.innerText.trim() === 'Put on hold'`)
			a.keysAndWait("\r")
			a.landed("")
			a.wantText("Waiting for a new battery — expected by " + until.Format("2 January"))

			// The requester replies, from the keyboard.
			p.open(ticket)
			p.wantText("Waiting for a new battery", "Hold the power button")
			p.tabToID("reply-body")
			p.keys("Tried it: nothing.")
			p.tabToText("Send")
			p.keysAndWait("\r")
			p.landed("")
			p.wantText("Tried it: nothing.")
			if strings.Contains(p.text(), "Probably the battery") {
				t.Fatalf("the requester sees the internal note")
			}

			// The agent resolves.
			a.open(ticket)
			a.tabToID("reply-body")
			a.keys("Replaced the battery.")
			a.tabToText("Resolve")
			a.keysAndWait("\r")
			a.landed("Resolved")

			// The requester reopens with a reason.
			p.open(ticket)
			p.tabToID("reopen-reason")
			p.keys("It died again overnight.")
			p.tabToText("Reopen")
			p.keysAndWait("\r")
			p.landed("Reopened")
			p.wantText("It died again overnight.")
			p.checkA11y()
		})
	}
}
