package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestStrikeForms: the timeline offers "Mark as discourteous" on the
// requester's messages only, showing exactly what will be sent; a mistake
// comes back beside the form; a requester's or an agent's crafted request
// gets a plain 403; the side panel lists strikes with withdraw for
// supervisors; the person's page shows their history.
func TestStrikeForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := f.desk.AddUserWithPassword(f.as(t, "ann@example.com"), "sue@example.com", "Sue Park", rapport.RoleSupervisor, password); err != nil {
			t.Fatal(err)
		}
		tk := f.ask(t, "VPN", "You are all useless.")
		path := fmt.Sprintf("/tickets/%d", tk.ID)
		reply, err := f.desk.AddMessage(f.as(t, "ann@example.com"), tk.ID, "Looking into it.", false)
		if err != nil {
			t.Fatal(err)
		}
		pat, ann, sue := f.client(t), f.client(t), f.client(t)
		f.signIn(t, pat, "pat@example.com")
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, sue, "sue@example.com")

		body := page(t, f, ann, path)
		if n := strings.Count(body, "<summary>Mark as discourteous</summary>"); n != 1 {
			t.Fatalf("%d strike actions on the timeline, want 1 (the requester's message only)", n)
		}
		for _, want := range []string{"This is strike 1 of 3. Person pat@example.com will receive exactly this message from you",
			"Hello Person,", "keep our conversation respectful", "<dt>Strikes</dt><dd>None</dd>", "Ask a colleague", "Hand over to"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the agent's page lacks %q", want)
			}
		}
		if body := page(t, f, pat, path); strings.Contains(body, "discourteous") || strings.Contains(body, "Ask a colleague") {
			t.Fatal("the requester's page offers staff actions")
		}

		evs, _, err := f.desk.Timeline(f.as(t, "ann@example.com"), tk.ID, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		first := strconv.FormatInt(evs[0].ID, 10)
		for _, tc := range []struct {
			name   string
			c      *http.Client
			path   string
			form   url.Values
			status int
			want   string
		}{
			{"requester strikes", pat, path + "/strikes", url.Values{"event_id": {"1"}}, 403, "Only help desk staff"},
			{"agent withdraws", ann, path + "/strikes/withdraw", url.Values{"strike_id": {"1"}, "reason": {"x"}}, 403, "Only supervisors"},
			{"requester invites", pat, path + "/invite", url.Values{"colleague": {"ann@example.com"}}, 403, "Only help desk staff"},
			{"agent's own reply", ann, path + "/strikes", url.Values{"event_id": {strconv.FormatInt(reply.ID, 10)}, "note": {"Kept"}}, 422, "this one is by"},
			{"a step other than the one shown", ann, path + "/strikes", url.Values{"event_id": {first}, "step": {"2"}}, 422, "changed while you were reading"},
			{"handover without note", ann, path + "/handover", url.Values{"colleague": {"sue@example.com"}}, 422, "The handover note is required."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := f.do(t, tc.c, "POST", tc.path, tc.form, nil)
				if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
					t.Fatalf("Status=%v, want %v with %q\n%s", res.StatusCode, tc.status, tc.want, body)
				}
			})
		}

		f.post(t, ann, path+"/strikes", url.Values{"event_id": {first}, "step": {"1"}, "note": {"Name-calling."}}, path)
		body = page(t, f, sue, path)
		for _, want := range []string{"<strong>1 of 3</strong>", "Strike 1 of 3</span> marked by Person ann@example.com",
			"<summary>Withdraw strike 1</summary>", "Note: Name-calling.", "asked to keep the conversation respectful"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the supervisor's page lacks %q", want)
			}
		}
		if body := page(t, f, ann, path); strings.Contains(body, "Withdraw strike") {
			t.Fatal("an agent is offered to withdraw")
		}
		ss, _ := f.desk.TicketStrikes(f.as(t, "sue@example.com"), tk.ID)
		sid := strconv.FormatInt(ss[0].ID, 10)
		res, body := f.do(t, sue, "POST", path+"/strikes/withdraw", url.Values{"strike_id": {sid}, "reason": {" "}}, nil)
		if res.StatusCode != 422 || !strings.Contains(body, `id="withdraw-error-`+sid+`"`) || !strings.Contains(body, "The reason is required.") {
			t.Fatalf("withdraw without a reason: %v\n%s", res.StatusCode, body)
		}
		f.post(t, sue, path+"/strikes/withdraw", url.Values{"strike_id": {sid}, "reason": {"Quoting the error."}}, path)

		me := f.as(t, "pat@example.com")
		body = page(t, f, sue, "/users/"+strconv.FormatInt(rapport.UserFromContext(me).ID, 10))
		for _, want := range []string{"Strike 1</strong> (withdrawn) on", "Withdrawn by Sue Park: “Quoting the error.”", "On: “You are all useless.”"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the person's page lacks %q\n%s", want, body)
			}
		}
	})
}

// TestStrikeTextsPage: staff read what strikes send; only supervisors
// edit, with plain errors.
func TestStrikeTextsPage(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	f := newFixture(t, db)
	if _, err := f.desk.AddUserWithPassword(f.as(t, "ann@example.com"), "sue@example.com", "Sue Park", rapport.RoleSupervisor, password); err != nil {
		t.Fatal(err)
	}
	pat, ann, sue := f.client(t), f.client(t), f.client(t)
	f.signIn(t, pat, "pat@example.com")
	f.signIn(t, ann, "ann@example.com")
	f.signIn(t, sue, "sue@example.com")
	if body := page(t, f, ann, "/strike-texts"); strings.Contains(body, "<textarea") || !strings.Contains(body, "Only supervisors and administrators can change") {
		t.Fatal("an agent may edit the texts")
	}
	if res, _ := f.do(t, pat, "GET", "/strike-texts", nil, nil); res.StatusCode != 403 {
		t.Fatalf("a requester reads the texts: %v", res.StatusCode)
	}
	if res, _ := f.do(t, ann, "POST", "/strike-texts/1", url.Values{"body": {"Be nice."}}, nil); res.StatusCode != 403 {
		t.Fatalf("an agent edits: %v", res.StatusCode)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"unknown variable", "Hi {{requester.first}}", "uses {{requester.first}}, which Rapport does not know"},
		{"malformed variable", "Hi {{requester.preferred_name}", "has an opening {{ with no closing }}"},
		{"old single braces", "Hi {name}", "has {name} with single braces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.do(t, sue, "POST", "/strike-texts/2", url.Values{"body": {tc.body}}, nil)
			if res.StatusCode != 422 || !strings.Contains(body, tc.want) || !strings.Contains(body, tc.body+"</textarea>") {
				t.Fatalf("%v, want 422 saying %q\n%s", res.StatusCode, tc.want, body)
			}
		})
	}
	if body := page(t, f, ann, "/strike-texts"); !strings.Contains(body, "<code>{{agent.phone}}</code>") {
		t.Fatal("the page does not list the variables")
	}
	f.post(t, sue, "/strike-texts/2", url.Values{"body": {"Hi {{requester.preferred_name}}, once more: respectful, please."}}, "/strike-texts")
	if body := page(t, f, ann, "/strike-texts"); !strings.Contains(body, "Hi {{requester.preferred_name}}, once more") || !strings.Contains(body, "Last changed by Sue Park") {
		t.Fatal("the saved text is not shown")
	}
}

// TestStrikePreview: the ticket page shows the next strike's text filled
// in for the requester, the ticket and the viewer; a variable with no
// value shows what to do instead, with no button to send.
func TestStrikePreview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := f.desk.AddUserWithPassword(f.as(t, "ann@example.com"), "sue@example.com", "Sue Park", rapport.RoleSupervisor, password); err != nil {
			t.Fatal(err)
		}
		tk := f.ask(t, "VPN", "You are all useless.")
		path := fmt.Sprintf("/tickets/%d", tk.ID)
		ann, sue := f.client(t), f.client(t)
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, sue, "sue@example.com")
		num := strconv.FormatInt(tk.ID, 10)
		for _, tc := range []struct {
			name, text string
			want       []string
			button     bool
		}{
			{"filled in", "Hello {{requester.preferred_name}}, about ticket {{ticket.number}} ({{ticket.subject}}): please keep it civil.",
				[]string{"Hello Person, about ticket " + num + " (VPN): please keep it civil.</blockquote>"}, true},
			{"agent has no phone", "Hello {{requester.preferred_name}}, call me on {{agent.phone}}.",
				[]string{"The text of strike 1 uses {{agent.phone}}, but your profile has no phone number yet"}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.post(t, sue, "/strike-texts/1", url.Values{"body": {tc.text}}, "/strike-texts")
				body := page(t, f, ann, path)
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Fatalf("the ticket page lacks %q\n%s", w, body)
					}
				}
				if got := strings.Contains(body, "Send strike 1 of 3"); got != tc.button {
					t.Fatalf("send button shown=%v, want %v", got, tc.button)
				}
			})
		}
	})
}
