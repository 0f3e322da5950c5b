package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// typeInto focuses the element with role and name and types text into it
// as key input (each character fires input, as a person's typing does).
func (tb *tab) typeInto(role, name, text string) {
	tb.t.Helper()
	id := tb.find(role, name)
	if _, err := chromedp.Call(tb.ctx, dom.Focus, dom.FocusParams{BackendNodeID: id}); err != nil {
		tb.t.Fatalf("focus %q: %v", name, err)
	}
	for _, r := range text {
		if _, err := chromedp.Call(tb.ctx, input.InsertText, input.InsertTextParams{Text: string(r)}); err != nil {
			tb.t.Fatalf("type into %q: %v", name, err)
		}
	}
}

// evalAndWait runs a JavaScript expression that loads another page, and
// waits for it.
func (tb *tab) evalAndWait(expr string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	loaded := chromedp.Events(ctx, page.LoadEventFired)
	eval[bool](tb, expr)
	for _, err := range loaded {
		if err != nil {
			tb.t.Fatalf("after %s, no page loaded: %v", expr, err)
		}
		break
	}
}

// TestInsertTemplateWhileReplying: an agent writes a line, opens Insert
// template with the keyboard, types to filter, picks the one left with
// the Down arrow, sees it filled in with the ticket's real values, inserts
// it with Enter after their line, and sends: the requester's greeting by
// name is on the timeline. The page passes axe with the control open.
func TestInsertTemplateWhileReplying(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Robert Smith", rapport.RoleRequester)
			s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			tk := ask(t, s, pat, "My new laptop has not come", rapport.Impact{})

			ann := s.newTab(t)
			ann.signIn("ann@example.com", password)
			ann.open("/tickets/" + itoa(tk.ID))
			ann.fill("Reply", "Thanks for bearing with us.")

			// Open the control from the keyboard: focus its summary, Enter.
			ann.call(ann.find("DisclosureTriangle", "Insert template"), "function() { this.focus(); }")
			ann.keys(kb.Enter)
			ann.waitFor(`document.getElementById('reply-templates').open`, "Insert template opening")
			ann.typeInto("searchbox", "Filter templates", "laptop del")
			ann.waitFor(`document.getElementById('template-choice').options.length === 1`, "the list narrowing to one template")
			if got := eval[string](ann, `document.getElementById('template-choice').options[0].text`); got != "New laptop delayed" {
				t.Fatalf("after filtering, the list holds %q", got)
			}
			ann.keys(kb.ArrowDown)
			ann.waitFor(`document.activeElement.id === 'template-choice'`, "the list taking the focus")
			ann.waitFor(`document.getElementById('template-preview').innerText.includes('Hi Robert,')`, "the preview with the requester's name")
			preview := eval[string](ann, `document.getElementById('template-preview').innerText`)
			if !strings.Contains(preview, "ticket "+itoa(tk.ID)) || strings.Contains(preview, "{{") {
				t.Fatalf("preview=%q, want the real ticket number and no variables", preview)
			}
			ann.checkA11y()
			ann.screenshot("ticket-insert-template")

			ann.keys(kb.Enter)
			ann.waitFor(`document.getElementById('reply-body').value.includes('Hi Robert,')`, "the template in Reply")
			got := eval[string](ann, `document.getElementById('reply-body').value`)
			if !strings.HasPrefix(got, "Thanks for bearing with us.\n\nHi Robert,\n\nI'm sorry: your new laptop") {
				t.Fatalf("Reply=%q, want the typed line, then the template", got)
			}
			if focused := eval[string](ann, `document.activeElement.id`); focused != "reply-body" {
				t.Fatalf("after inserting, the focus is on %q, want Reply", focused)
			}
			ann.checkA11y()

			ann.submit("button", "Send")
			ann.wantText("Hi Robert,", "I'm sorry: your new laptop is taking longer")
			evs, _, err := s.Desk.Timeline(rapport.NewContextWithUser(context.Background(), pat), tk.ID, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			if last := evs[len(evs)-1]; last.Type != rapport.EventMessage || !strings.Contains(last.Body, "Hi Robert,") {
				t.Fatalf("last event=%+v, want the reply with the template", last)
			}

			// The control as the no-JavaScript buttons leave it, with an
			// error, and the Templates pages pass axe too.
			ann.open("/tickets/" + itoa(tk.ID))
			ann.evalAndWait(`(() => { const f = document.getElementById('template-insert').form;
				const use = document.createElement('input'); use.type = 'hidden'; use.name = 'use'; use.value = 'yes';
				f.appendChild(use); f.action = '/tickets/` + itoa(tk.ID) + `/templates'; f.submit(); return true; })()`)
			ann.wantText("Choose a template from the list first")
			ann.checkA11y()
			ann.open("/templates")
			ann.wantText("Response templates", "Password reset")
			ann.checkA11y()
			ann.screenshot("templates")
			ann.submit("link", "Password reset")
			ann.wantText("Only supervisors and administrators can change the shared templates")
			ann.checkA11y()
			ann.open("/templates")
			ann.fill("Name", "My VPN steps")
			ann.fill("Text", "Hi {{requester.nickname}}")
			ann.submit("button", "Save template")
			ann.wantText("which Rapport does not know")
			ann.checkA11y()
			ann.fill("Text", "Hi {{requester.preferred_name}}, here are the VPN steps.")
			ann.submit("button", "Save template")
			ann.wantText("Template “My VPN steps” saved. Only you can see it.")
			ann.submit("link", "My VPN steps")
			ann.wantText("Save changes", "Delete template")
			ann.checkA11y()
		})
	}
}

// TestInsertTemplateWithoutJavaScript: with JavaScript off the control is
// plain form buttons: Filter narrows the list and keeps the typed words,
// Insert template puts the filled-in text into Reply, and Send sends it.
func TestInsertTemplateWithoutJavaScript(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Robert Smith", rapport.RoleRequester)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	tk := ask(t, s, pat, "Cannot get into the payroll app", rapport.Impact{})

	ann := s.newTab(t)
	ann.noScript()
	ann.signIn("ann@example.com", password)
	ann.open("/tickets/" + itoa(tk.ID))
	ann.fill("Reply", "Done.")
	ann.click("DisclosureTriangle", "Insert template")
	ann.typeInto("searchbox", "Filter templates", "access")
	ann.submit("button", "Filter")
	if got := eval[int](ann, `document.getElementById('template-choice').options.length`); got != 1 {
		t.Fatalf("after Filter, %d templates listed, want 1", got)
	}
	if got := eval[string](ann, `document.getElementById('reply-body').value`); got != "Done." {
		t.Fatalf("after Filter, Reply=%q, want the typed words kept", got)
	}
	ann.click("option", "Access granted")
	ann.submit("button", "Insert template")
	got := eval[string](ann, `document.getElementById('reply-body').value`)
	if !strings.HasPrefix(got, "Done.\n\nHi Robert,\n\nGood news: the access you asked for (\"Cannot get into the payroll app\")") {
		t.Fatalf("after Insert template, Reply=%q", got)
	}
	ann.submit("button", "Send")
	ann.wantText("Hi Robert,", "Good news: the access you asked for")
}
