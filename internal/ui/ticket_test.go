package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// as returns a context acting as the user with email.
func (f *fixture) as(t *testing.T, email string) context.Context {
	t.Helper()
	us, _, err := f.desk.AllUsers(context.Background(), rapport.UserFilter{Query: email, Limit: 1})
	if err != nil || len(us) != 1 {
		t.Fatalf("find %s: %v %v", email, us, err)
	}
	return rapport.NewContextWithUser(context.Background(), us[0])
}

func (f *fixture) ask(t *testing.T, subject, body string) *rapport.Ticket {
	t.Helper()
	tk, err := f.desk.CreateTicket(f.as(t, "pat@example.com"), desk.NewTicket{TicketInput: rapport.TicketInput{
		Subject: subject, Body: body, Channel: rapport.ChannelPortal}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// post sends a ticket page form and wants the redirect back (303) to
// want, with a flash message.
func (f *fixture) post(t *testing.T, c *http.Client, path string, form url.Values, want string) {
	t.Helper()
	res, body := f.do(t, c, "POST", path, form, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("POST %s %v: %v to %q, want 303 to %q\n%s", path, form, res.StatusCode, res.Header.Get("Location"), want, body)
	}
	flash := false
	for _, ck := range res.Cookies() {
		flash = flash || ck.Name == "rapport_flash" && ck.Value != ""
	}
	if !flash {
		t.Fatalf("POST %s: no flash message", path)
	}
}

func page(t *testing.T, f *fixture, c *http.Client, path string) string {
	t.Helper()
	res, body := f.do(t, c, "GET", path, nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: Status=%v, want 200\n%s", path, res.StatusCode, body)
	}
	return body
}

// TestTicketPageForBothRoles: staff work a ticket through the page's
// forms; the requester reads the public part in plain words and never an
// internal note; staff see the note marked in words.
func TestTicketPageForBothRoles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.ask(t, "Earlier problem", "Something from before")
		tk := f.ask(t, "Printer jammed", "Floor 2 printer")
		path := fmt.Sprintf("/tickets/%d", tk.ID)
		pat, ann := f.client(t), f.client(t)
		f.signIn(t, pat, "pat@example.com")
		f.signIn(t, ann, "ann@example.com")

		body := page(t, f, pat, path)
		for _, want := range []string{"Position in queue", "Expected wait", "Waiting in the queue", "Nobody yet", `<label for="reply-body">Reply</label>`, `data-live="ticket:` + itoa(tk.ID) + `"`} {
			if !strings.Contains(body, want) {
				t.Fatalf("the requester's page of a queued ticket lacks %q:\n%s", want, body)
			}
		}

		f.post(t, ann, path+"/assign", url.Values{"assignee": {"ann@example.com"}}, path)
		if body := page(t, f, pat, path); !strings.Contains(body, "<strong>Person ann@example.com</strong> took it") {
			t.Fatalf("the timeline does not say Ann took it:\n%s", body)
		}
		f.post(t, ann, path+"/reply", url.Values{"body": {"Please try the tray."}, "action": {"send"}}, path)
		f.post(t, ann, path+"/reply", url.Values{"body": {"Pat seems upset about the printer."}, "internal": {"yes"}, "action": {"send"}}, path)
		f.post(t, ann, path+"/triage", url.Values{"priority": {"critical"}, "reason": {"The whole floor prints there."}}, path)
		until := time.Now().AddDate(0, 0, 10)
		f.post(t, ann, path+"/hold", url.Values{"reason": {"Waiting for the supplier"}, "until": {until.Format(time.DateOnly)}}, path)

		body = page(t, f, pat, path)
		for _, want := range []string{"Please try the tray.", "On hold", "Waiting for the supplier — expected by " + until.UTC().Format("2 January"),
			"We made this critical", "The whole floor prints there.", "Person ann@example.com"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the requester's page lacks %q:\n%s", want, body)
			}
		}
		for _, hidden := range []string{"Pat seems upset", "Internal note", "Resolve", "Assign to", "Position in queue"} {
			if strings.Contains(body, hidden) {
				t.Fatalf("the requester's page shows %q:\n%s", hidden, body)
			}
		}

		body = page(t, f, ann, path)
		for _, want := range []string{"Pat seems upset about the printer.", `<span class="tag">Internal note</span>`, `<label for="reply-internal">Internal note</label>`,
			`value="resolve"`, "pat@example.com", "Earlier problem", "Release to the queue", "Change the priority"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the staff page lacks %q:\n%s", want, body)
			}
		}

		f.post(t, ann, path+"/assign", url.Values{"release": {"yes"}}, path)
		f.post(t, ann, path+"/reply", url.Values{"body": {"Replaced the tray."}, "action": {"resolve"}}, path)
		f.post(t, ann, path+"/close", url.Values{}, path)
		got, err := f.desk.Ticket(f.as(t, "ann@example.com"), tk.ID)
		if err != nil || got.Status != rapport.StatusClosed || got.Resolution != "Replaced the tray." || got.Priority != rapport.PriorityCritical || got.Assignee != nil {
			t.Fatalf("ticket=%+v (%v), want closed, critical, unassigned, with the resolution", got, err)
		}

		body = page(t, f, pat, path)
		for _, want := range []string{"Closed", "Replaced the tray.", "What is still wrong?", "can be reopened for 30 days"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the requester's page of a closed ticket lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, `id="reply-body"`) {
			t.Fatalf("a closed ticket offers the requester a reply box rather than reopening")
		}
		f.post(t, pat, path+"/reopen", url.Values{"reason": {"It jammed again."}}, path)
		if got, _ := f.desk.Ticket(f.as(t, "pat@example.com"), tk.ID); got.Status != rapport.StatusNew {
			t.Fatalf("after reopening, Status=%v, want new", got.Status)
		}
	})
}

// TestTicketFormsKeepTyped: each form with a mistake comes back (422) with
// what was typed and the error beside its field.
func TestTicketFormsKeepTyped(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	tk := f.ask(t, "Printer jammed", "Floor 2 printer")
	path := fmt.Sprintf("/tickets/%d", tk.ID)
	ann, pat := f.client(t), f.client(t)
	f.signIn(t, ann, "ann@example.com")
	f.signIn(t, pat, "pat@example.com")
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	for _, tc := range []struct {
		who    *http.Client
		action string
		form   url.Values
		want   []string
	}{
		{ann, "reply", url.Values{"body": {"  "}, "action": {"send"}}, []string{`id="reply-error"`, "The message is required."}},
		{ann, "reply", url.Values{"body": {"Fixed <b>it</b>"}, "internal": {"yes"}, "action": {"resolve"}},
			[]string{`id="internal-error"`, "A resolution is always shown", "Fixed &lt;b&gt;it&lt;/b&gt;", `name="internal" value="yes" checked`}},
		{ann, "reply", url.Values{"body": {""}, "action": {"resolve"}}, []string{`id="reply-error"`, "The resolution is required."}},
		{ann, "hold", url.Values{"reason": {"Supplier"}, "until": {"30/11/2030"}}, []string{`id="hold-until-error"`, "Give the expected date as a day", `value="Supplier"`, "<details class=\"action card\" open>"}},
		{ann, "hold", url.Values{"reason": {"Supplier"}, "until": {yesterday}}, []string{"The expected date is in the past.", `value="` + yesterday + `"`}},
		{ann, "hold", url.Values{"reason": {""}}, []string{`id="hold-reason-error"`, "The reason is required."}},
		{ann, "triage", url.Values{"priority": {"critical"}, "reason": {""}}, []string{`id="triage-reason-error"`, `value="critical" checked`}},
		{ann, "triage", url.Values{"priority": {"normal"}, "reason": {"Because"}}, []string{"is already normal priority", `value="Because"`}},
		{ann, "assign", url.Values{"assignee": {""}}, []string{`id="assignee-error"`, "Choose who should have it."}},
		{ann, "assign", url.Values{"assignee": {"pat@example.com"}}, []string{"is not a member of the help desk staff"}},
		{ann, "close", url.Values{}, []string{"Only a resolved ticket can be closed"}},
		{ann, "reopen", url.Values{"reason": {"Still broken"}}, []string{"does not need reopening", "Still broken"}},
		{pat, "reply", url.Values{"body": {"Secret?"}, "internal": {"yes"}, "action": {"send"}}, []string{"Only help desk staff can write internal notes.", "Secret?"}},
	} {
		res, body := f.do(t, tc.who, "POST", path+"/"+tc.action, tc.form, nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("POST %s %v: Status=%v, want 422\n%s", tc.action, tc.form, res.StatusCode, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Fatalf("POST %s %v: the page lacks %q:\n%s", tc.action, tc.form, w, body)
			}
		}
	}
	events, _, err := f.desk.Timeline(f.as(t, "ann@example.com"), tk.ID, "", 100)
	if err != nil || len(events) != 1 {
		t.Fatalf("timeline after only mistakes=%d events (%v), want just the request", len(events), err)
	}
	if res, _ := f.do(t, ann, "POST", "/tickets/999/reply", url.Values{"body": {"Hi"}}, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("reply to a missing ticket: Status=%v, want 404", res.StatusCode)
	}
}

// TestReopenAfterWindow: past the reopen window the requester's reopen
// opens a linked follow-up, and its page opens; the old page links to it.
func TestReopenAfterWindow(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	tk := f.ask(t, "VPN drops", "Every hour")
	if _, err := f.desk.Resolve(f.as(t, "ann@example.com"), tk.ID, "New profile installed."); err != nil {
		t.Fatal(err)
	}
	f.desk.Now = func() time.Time { return time.Now().Add(desk.DefaultReopenWindow + time.Hour) }
	pat := f.client(t)
	f.signIn(t, pat, "pat@example.com")
	path := fmt.Sprintf("/tickets/%d", tk.ID)
	if body := page(t, f, pat, path); !strings.Contains(body, "resolved more than 30 days ago") || !strings.Contains(body, "Open a follow-up") {
		t.Fatalf("the page past the window does not explain the follow-up:\n%s", body)
	}
	f.post(t, pat, path+"/reopen", url.Values{"reason": {"It drops again."}}, fmt.Sprintf("/tickets/%d", tk.ID+1))
	body := page(t, f, pat, path)
	if !strings.Contains(body, fmt.Sprintf(`<a href="/tickets/%d">Ticket %d</a>, a follow-up request`, tk.ID+1, tk.ID+1)) || strings.Contains(body, `id="reopen-reason"`) {
		t.Fatalf("the old ticket does not link to its follow-up:\n%s", body)
	}
	if body := page(t, f, pat, fmt.Sprintf("/tickets/%d", tk.ID+1)); !strings.Contains(body, "It drops again.") || !strings.Contains(body, fmt.Sprintf(`<a href="/tickets/%d">Ticket %d</a>, which was resolved too long ago`, tk.ID, tk.ID)) {
		t.Fatalf("the follow-up does not show its reason and link back:\n%s", body)
	}
}

// TestLogRequest: staff log a request for someone new in one form; the
// person gets an account, the ticket their name, the channel and triage as
// ticked. Mistakes keep every word; requesters use their own form.
func TestLogRequest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ann, pat := f.client(t), f.client(t)
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, pat, "pat@example.com")
		if body := page(t, f, ann, "/"); !strings.Contains(body, `<a href="/tickets/new">Log a request</a>`) {
			t.Fatalf("the staff home has no Log a request link")
		}
		if body := page(t, f, ann, "/tickets/new"); !strings.Contains(body, `value="" autofocus`) || !strings.Contains(body, `value="phone" checked`) {
			t.Fatalf("Log a request: want the email focused and phone chosen:\n%s", body)
		}
		form := url.Values{"email": {""}, "name": {"Nia New"}, "subject": {"Cannot log in"}, "description": {"Called from reception"}, "channel": {"walk_up"}, "outage": {"yes"}}
		for _, tc := range []struct {
			change url.Values
			want   string
		}{
			{url.Values{"email": {""}}, "Give the email address of the person who needs help."},
			{url.Values{"email": {"not an address"}}, `id="email-error"`},
			{url.Values{"email": {"nia@example.com"}, "channel": {"email"}}, "Choose how the request came in"},
			{url.Values{"email": {"nia@example.com"}, "subject": {""}}, `id="subject-error"`},
		} {
			sent := url.Values{}
			for k, v := range form {
				sent[k] = v
			}
			for k, v := range tc.change {
				sent[k] = v
			}
			res, body := f.do(t, ann, "POST", "/tickets", sent, nil)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, "Called from reception") || !strings.Contains(body, `value="Nia New"`) {
				t.Fatalf("POST /tickets %v: Status=%v, want 422 with %q and every word kept:\n%s", tc.change, res.StatusCode, tc.want, body)
			}
		}
		form.Set("email", "nia@example.com")
		res, _ := f.do(t, ann, "POST", "/tickets", form, nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/tickets/") {
			t.Fatalf("log a request: %v %q", res.StatusCode, res.Header.Get("Location"))
		}
		ts, _, err := f.desk.Tickets(f.as(t, "ann@example.com"), desk.TicketQuery{Requester: "nia@example.com"})
		if err != nil || len(ts) != 1 {
			t.Fatalf("Nia's tickets=%v (%v), want one", ts, err)
		}
		if tk := ts[0]; tk.Requester.Name != "Nia New" || tk.Channel != rapport.ChannelWalkUp || tk.Priority != rapport.PriorityCritical || tk.LoggedBy == nil || tk.LoggedBy.Email != "ann@example.com" {
			t.Fatalf("logged ticket=%+v, want Nia's, walk-up, critical, logged by Ann", tk)
		}
		if res, _ := f.do(t, pat, "GET", "/tickets/new", nil, nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/requests/new" {
			t.Fatalf("a requester's GET /tickets/new: %v %q, want their own form", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := f.do(t, pat, "POST", "/tickets", form, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a requester logging for someone: Status=%v, want 403", res.StatusCode)
		}
	})
}

// TestTicketPageEscapes: typed markup in a subject, a description, a
// message and a name is shown as text on both views.
func TestTicketPageEscapes(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	ann := f.client(t)
	f.signIn(t, ann, "ann@example.com")
	res, _ := f.do(t, ann, "POST", "/tickets", url.Values{"email": {"eve@example.com"}, "name": {`Eve <img src=x onerror=alert(1)>`},
		"subject": {`<script>alert(1)</script>`}, "description": {`"><b>bold</b>`}, "channel": {"phone"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log a request: %v", res.StatusCode)
	}
	path := res.Header.Get("Location")
	f.post(t, ann, path+"/reply", url.Values{"body": {`<svg onload=alert(1)>`}, "action": {"send"}}, path)
	body := page(t, f, ann, path)
	for _, raw := range []string{"<script>alert", "<img src=x", "<b>bold", "<svg onload"} {
		if strings.Contains(body, raw) {
			t.Fatalf("the page carries typed markup %q:\n%s", raw, body)
		}
	}
	for _, esc := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "Eve &lt;img src=x onerror=alert(1)&gt;", "&lt;svg onload=alert(1)&gt;"} {
		if !strings.Contains(body, esc) {
			t.Fatalf("the page lacks the escaped %q:\n%s", esc, body)
		}
	}
}

func itoa(n int64) string { return fmt.Sprint(n) }
