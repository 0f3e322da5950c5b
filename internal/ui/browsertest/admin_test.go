package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// choose picks the option with text in the select labelled label, as a
// person would, and tells the page it changed.
func (tb *tab) choose(label, text string) {
	tb.t.Helper()
	id := tb.find("combobox", label)
	tb.call(id, fmt.Sprintf(`function() {
		const o = Array.from(this.options).find(o => o.text === %q);
		if (!o) throw new Error('no option %s');
		this.value = o.value;
		this.dispatchEvent(new Event('change', {bubbles: true}));
	}`, text, text))
}

// search types text into the search box labelled label.
func (tb *tab) search(label, text string) {
	tb.t.Helper()
	id := tb.find("searchbox", label)
	if _, err := chromedp.Call(tb.ctx, dom.Focus, dom.FocusParams{BackendNodeID: id}); err != nil {
		tb.t.Fatalf("focus %q: %v", label, err)
	}
	tb.call(id, "function() { this.select(); }")
	if _, err := chromedp.Call(tb.ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		tb.t.Fatalf("type into %q: %v", label, err)
	}
}

// rows returns the subjects linked in the rows of the page's list.
func (tb *tab) rows() []string {
	tb.t.Helper()
	return eval[[]string](tb, `Array.from(document.querySelectorAll('main tbody td:first-child a')).map(a => a.textContent)`)
}

// post sends a POST from the page, as a form would, and returns the
// status: what a hand-made request gets when the page offers no button.
func (tb *tab) post(path string) int {
	tb.t.Helper()
	n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](
		fmt.Sprintf(`fetch(%q, {method: 'POST', body: new URLSearchParams({role: 'admin'}), redirect: 'manual'}).then(r => r.status)`, path),
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("POST %s: %v", path, err)
	}
	return n
}

// TestListFiltersAndPaging: an agent walks every page of 120 open tickets
// by "Next page" with none missed or repeated, filters by priority and
// searches with the labelled box, and sees the ticket they took under My
// tickets.
func TestListFiltersAndPaging(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
			for i := range 120 {
				impact := rapport.Impact{}
				if i%40 == 7 {
					impact.Outage = true
				}
				ask(t, s, pat, fmt.Sprintf("Case %03d", i), impact)
			}
			ask(t, s, pat, "Projector in room 4 flickers", rapport.Impact{})
			tb := s.newTab(t)
			tb.signIn("ann@example.com", password)
			tb.submit("link", "All open")
			tb.checkA11y()
			seen := map[string]int{}
			for page := 1; ; page++ {
				for _, r := range tb.rows() {
					seen[r]++
				}
				if !tb.has("link", "Next page") {
					break
				}
				if page > 5 {
					t.Fatalf("more than 5 pages of 121 tickets")
				}
				tb.submit("link", "Next page")
			}
			for i := range 120 {
				if c := fmt.Sprintf("Case %03d", i); seen[c] != 1 {
					t.Fatalf("%s shown %d times walking the pages", c, seen[c])
				}
			}
			tb.submit("link", "First page")
			tb.choose("Priority", "Critical")
			tb.submit("button", "Show tickets")
			if got := tb.rows(); len(got) != 3 || !strings.Contains(tb.path(), "priority=critical") {
				t.Fatalf("critical filter at %s shows %q, want the 3 critical cases", tb.path(), got)
			}
			tb.checkA11y()
			tb.submit("link", "Clear filters")
			tb.search("Search", "projector")
			tb.submit("button", "Show tickets")
			if got := tb.rows(); len(got) != 1 || got[0] != "Projector in room 4 flickers" {
				t.Fatalf("search for projector shows %q", got)
			}
			if got := eval[string](tb, `document.getElementById('q').value`); got != "projector" {
				t.Fatalf("the search box after searching holds %q", got)
			}
			tb.submit("button", "Take next")
			tb.submit("link", "My tickets")
			if got := tb.rows(); len(got) != 1 || got[0] != "Case 007" {
				t.Fatalf("My tickets after taking the first critical case: %q", got)
			}
			tb.checkA11y()
		})
	}
}

// TestAdminAddsUserWhoSignsIn: an administrator adds a person, reads the
// password Rapport made, and that person signs in with it; disabling the
// account ends their session at their next click.
func TestAdminAddsUserWhoSignsIn(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			s.addUser(t, "root@example.com", "Rosa Admin", rapport.RoleAdmin)
			adm := s.newTab(t)
			adm.signIn("root@example.com", password)
			adm.submit("link", "Users")
			adm.checkA11y()
			adm.fill("Name", "Kim Lee")
			adm.fill("Email", "kim at example.com")
			adm.choose("Role", "Agent: works on tickets")
			adm.submit("button", "Add person")
			adm.wantText("That does not look like an email address")
			if got := eval[string](adm, `document.getElementById('name').value`); got != "Kim Lee" {
				t.Fatalf("the name after a mistake is %q, want it kept", got)
			}
			adm.checkA11y()
			adm.fill("Email", "kim@example.com")
			adm.submit("button", "Add person")
			adm.wantText("Kim Lee can now sign in", "shown only this once")
			pw := eval[string](adm, `document.getElementById('new-password').textContent`)
			adm.checkA11y()
			adm.screenshot("user-password-shown")

			kim := s.newTab(t)
			kim.signIn("kim@example.com", pw)
			kim.wantText("Signed in as Kim Lee", "Take next")

			adm.submit("link", "Go to Kim Lee's account")
			adm.checkA11y()
			adm.submit("button", "Disable account")
			adm.wantText("Kim Lee's account is disabled")
			kim.open("/tickets/mine")
			if got := kim.path(); !strings.HasPrefix(got, "/login") {
				t.Fatalf("after being disabled Kim's next page is %q, want the sign-in page", got)
			}
			kim.signIn("kim@example.com", pw)
			kim.wantText("This account is disabled")
		})
	}
}

// TestChangeOwnPasswordThenSignIn: a person changes their password on
// the Account page and signs in with the new one; the old one is refused.
func TestChangeOwnPasswordThenSignIn(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	tb := s.newTab(t)
	tb.signIn("pat@example.com", password)
	tb.submit("link", "Account")
	tb.checkA11y()
	tb.fill("Current password", password)
	tb.fill("New password", "blue kettle on the stove")
	tb.fill("New password again", "blue kettle on the stove!")
	tb.submit("button", "Change password")
	tb.wantText("The two new passwords are not the same.")
	tb.checkA11y()
	tb.fill("Current password", password)
	tb.fill("New password", "blue kettle on the stove")
	tb.fill("New password again", "blue kettle on the stove")
	tb.submit("button", "Change password")
	tb.wantText("Your password is changed.")
	tb.submit("button", "Sign out")
	tb.signIn("pat@example.com", password)
	tb.wantText("That email and password do not match.")
	tb.signIn("pat@example.com", "blue kettle on the stove")
	tb.wantText("Signed in as Pat Lee")
}

// TestRevokeOwnToken: a person revokes one of their API tokens on the
// Account page, and the API refuses it from then on.
func TestRevokeOwnToken(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	token, err := s.Desk.CreateToken(context.Background(), "ann@example.com", "laptop script")
	if err != nil {
		t.Fatal(err)
	}
	api := func() int {
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := api(); got != 200 {
		t.Fatalf("API with the token: %d, want 200", got)
	}
	tb := s.newTab(t)
	tb.signIn("ann@example.com", password)
	tb.submit("link", "Account")
	tb.wantText("laptop script")
	tb.submit("button", "Revoke laptop script")
	tb.wantText("The API token is revoked", "You have no API tokens.")
	tb.checkA11y()
	if got := api(); got != http.StatusUnauthorized {
		t.Fatalf("API with the revoked token: %d, want 401", got)
	}
}

// TestSupervisorCannotChangeUsers: a supervisor sees people and their
// accounts but no button that changes one, and a POST made by hand is
// refused and changes nothing. An agent gets no Users page at all.
func TestSupervisorCannotChangeUsers(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "root@example.com", "Rosa Admin", rapport.RoleAdmin)
	s.addUser(t, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
	ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	tb := s.newTab(t)
	tb.signIn("sue@example.com", password)
	tb.submit("link", "Users")
	tb.wantText("Ann Ortiz", "Rosa Admin")
	if tb.has("button", "Add person") {
		t.Fatalf("a supervisor is offered Add person")
	}
	tb.submit("link", "Ann Ortiz")
	tb.wantText("Only administrators can change accounts.")
	for _, b := range []string{"Change role", "Disable account", "Reset password", "Revoke all their tokens"} {
		if tb.has("button", b) {
			t.Fatalf("a supervisor is offered %s", b)
		}
	}
	tb.checkA11y()
	for _, action := range []string{"role", "disable", "password", "tokens/revoke"} {
		if got := tb.post(fmt.Sprintf("/users/%d/%s", ann.ID, action)); got != http.StatusForbidden {
			t.Fatalf("a supervisor's POST %s: %d, want 403", action, got)
		}
	}
	if u, err := s.Desk.User(rapport.NewContextWithUser(context.Background(), ann), ann.ID); err != nil || u.Role != rapport.RoleAgent || u.DisabledAt != nil {
		t.Fatalf("after refused changes ann is %+v (%v)", u, err)
	}
	agent := s.newTab(t)
	agent.signIn("ann@example.com", password)
	if agent.has("link", "Users") {
		t.Fatalf("an agent is offered the Users page")
	}
	agent.open("/users")
	agent.wantText("Only supervisors and administrators can see the list of people.")
}

// TestPagesOnDesktopAndPhoneAdmin is TestPagesOnDesktopAndPhone for the
// staff lists, the Users pages and the Account page (its name makes `make
// screenshots` take these too).
func TestPagesOnDesktopAndPhoneAdmin(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	sam := s.addUser(t, "sam@example.com", "Sam Roe", rapport.RoleRequester)
	s.addUser(t, "root@example.com", "Rosa Admin", rapport.RoleAdmin)
	s.addUser(t, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
	ann := s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	for _, a := range []struct {
		who     *rapport.User
		subject string
		impact  rapport.Impact
	}{
		{sam, "Laptop will not start after the update", rapport.Impact{BlocksWork: true}},
		{pat, "Shared drive is read-only", rapport.Impact{}},
		{pat, "Cannot print from my laptop", rapport.Impact{}},
		{sam, "Card payments fail at the front desk", rapport.Impact{CostsMoney: true}},
		{sam, "New starter needs an account", rapport.Impact{}},
	} {
		ask(t, s, a.who, a.subject, a.impact)
	}
	if _, err := s.Desk.ClaimNext(rapport.NewContextWithUser(context.Background(), ann)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Desk.CreateToken(context.Background(), "ann@example.com", "Reporting script"); err != nil {
		t.Fatal(err)
	}
	checkPages(t, s, []shot{
		{"ann@example.com", "/tickets", "staff-all-open"},
		{"ann@example.com", "/tickets/mine", "staff-my-tickets"},
		{"ann@example.com", "/account", "account"},
		{"root@example.com", "/users", "users"},
		{"root@example.com", fmt.Sprintf("/users/%d", ann.ID), "user"},
		{"sue@example.com", fmt.Sprintf("/users/%d", ann.ID), "user-as-supervisor"},
	})
}
