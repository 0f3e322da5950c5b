package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func (f *fixture) add(t *testing.T, email string, role rapport.Role) *rapport.User {
	t.Helper()
	u, err := f.desk.AddUserWithPassword(context.Background(), email, "Person "+email, role, password)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) user(t *testing.T, email string) *rapport.User {
	t.Helper()
	us, _, err := f.desk.AllUsers(context.Background(), rapport.UserFilter{Query: email, Limit: 1})
	if err != nil || len(us) != 1 {
		t.Fatalf("find %s: %v %v", email, us, err)
	}
	return us[0]
}

// TestTicketLists: the staff lists filter by what the address says, show
// a filter the desk refuses beside its field, page by cursor with a Link
// header, and are closed to requesters.
func TestTicketLists(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		pat, ann := f.user(t, "pat@example.com"), f.user(t, "ann@example.com")
		asPat := rapport.NewContextWithUser(context.Background(), pat)
		var ids []int64
		for i, impact := range []rapport.Impact{{}, {Outage: true}, {}} {
			tk, err := f.desk.CreateTicket(asPat, desk.NewTicket{TicketInput: rapport.TicketInput{
				Subject: fmt.Sprintf("Printer %d <jammed>", i), Body: "Paper everywhere", Impact: impact}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tk.ID)
		}
		if _, err := f.desk.ClaimNext(rapport.NewContextWithUser(context.Background(), ann)); err != nil { // the critical one
			t.Fatal(err)
		}
		c := f.client(t)
		f.signIn(t, c, "ann@example.com")
		for _, tc := range []struct {
			path       string
			status     int
			want, nope []string
		}{
			{"/tickets", 200, []string{"Printer 0 &lt;jammed&gt;", "Printer 1", "Printer 2", `data-live="mine queue"`, "Place 1 in the queue"}, nil},
			{"/tickets/mine", 200, []string{"Printer 1"}, []string{"Printer 0", "Printer 2"}},
			{"/tickets?priority=critical", 200, []string{"Printer 1"}, []string{"Printer 0"}},
			{"/tickets?assignee=none", 200, []string{"Printer 0", "Printer 2"}, []string{"Printer 1"}},
			{"/tickets?assignee=ann%40example.com", 200, []string{"Printer 1"}, []string{"Printer 0"}},
			{"/tickets?status=resolved", 200, []string{"No tickets match these filters."}, []string{"Printer"}},
			{"/tickets?q=printer+2", 200, []string{"Printer 2"}, []string{"Printer 0", "Printer 1"}},
			{"/tickets?status=lost", 422, []string{`id="status-error"`, "Choose a status from the list."}, []string{"Printer"}},
			{"/tickets?assignee=nobody%40example.com", 422, []string{`id="assignee-error"`, "There is no one with the account"}, nil},
			{"/tickets?cursor=garbage", 422, []string{"Start again from the first page."}, nil},
		} {
			res, body := f.do(t, c, "GET", tc.path, nil, nil)
			if res.StatusCode != tc.status {
				t.Fatalf("GET %s: Status=%v, want %v\n%s", tc.path, res.StatusCode, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Fatalf("GET %s lacks %q", tc.path, w)
				}
			}
			for _, n := range tc.nope {
				if strings.Contains(body, n) {
					t.Fatalf("GET %s shows %q", tc.path, n)
				}
			}
		}
		if res, _ := f.do(t, c, "GET", "/tickets", nil, nil); res.Header.Get("Link") != "" {
			t.Fatalf("a list of one page announces a next one: %q", res.Header.Get("Link"))
		}
		requester := f.client(t)
		f.signIn(t, requester, "pat@example.com")
		if res, _ := f.do(t, requester, "GET", "/tickets", nil, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a requester's GET /tickets: Status=%v, want 403", res.StatusCode)
		}
	})
}

// TestTicketListPaging: 120 tickets walked by the "Next page" links come
// out each exactly once, and each page announces the next in a Link
// header that matches the link.
func TestTicketListPaging(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	asPat := rapport.NewContextWithUser(context.Background(), f.user(t, "pat@example.com"))
	for i := range 120 {
		if _, err := f.desk.CreateTicket(asPat, desk.NewTicket{TicketInput: rapport.TicketInput{Subject: fmt.Sprintf("Case %03d", i), Body: "x"}}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t)
	f.signIn(t, c, "ann@example.com")
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">Next page</a>`)
	seen := map[string]int{}
	path, pages := "/tickets?priority=normal&sort=oldest", 0
	for path != "" {
		res, body := f.do(t, c, "GET", path, nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %v", path, res.StatusCode)
		}
		pages++
		for _, m := range regexp.MustCompile(`Case \d{3}`).FindAllString(body, -1) {
			seen[m]++
		}
		path = ""
		if m := next.FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(path, "priority=normal") || !strings.Contains(path, "sort=oldest") {
				t.Fatalf("next page %q drops the filters", path)
			}
			if got := res.Header.Get("Link"); got != "<"+path+`>; rel="next"` {
				t.Fatalf("Link=%q, want the next page %q", got, path)
			}
		}
	}
	if pages != 3 || len(seen) != 120 {
		t.Fatalf("walked %d pages and %d tickets, want 3 and 120", pages, len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("%s shown %d times", k, n)
		}
	}
}

// TestUserAdminRules: supervisors see people but change nothing (no
// buttons, and the POSTs are refused); agents and requesters do not get
// the pages; an administrator adds a person, whose password is shown once
// and works; the last administrator cannot be disabled or demoted.
func TestUserAdminRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		root := f.add(t, "root@example.com", rapport.RoleAdmin)
		f.add(t, "sue@example.com", rapport.RoleSupervisor)
		ann := f.user(t, "ann@example.com")

		for _, who := range []string{"ann@example.com", "pat@example.com"} {
			c := f.client(t)
			f.signIn(t, c, who)
			if res, _ := f.do(t, c, "GET", "/users", nil, nil); res.StatusCode != http.StatusForbidden {
				t.Fatalf("GET /users as %s: Status=%v, want 403", who, res.StatusCode)
			}
		}
		sup := f.client(t)
		f.signIn(t, sup, "sue@example.com")
		res, body := f.do(t, sup, "GET", "/users?role=agent", nil, nil)
		if res.StatusCode != 200 || !strings.Contains(body, "ann@example.com") || strings.Contains(body, "root@example.com") || strings.Contains(body, "Add person") {
			t.Fatalf("supervisor's GET /users?role=agent: %v\n%s", res.StatusCode, body)
		}
		userPath := fmt.Sprintf("/users/%d", ann.ID)
		if _, body := f.do(t, sup, "GET", userPath, nil, nil); !strings.Contains(body, "Only administrators can change accounts.") || strings.Contains(body, "Disable account") {
			t.Fatalf("supervisor's view of a user offers changes:\n%s", body)
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{"/users", url.Values{"name": {"X"}, "email": {"x@example.com"}, "role": {"agent"}}},
			{userPath + "/role", url.Values{"role": {"admin"}}},
			{userPath + "/disable", url.Values{}},
			{userPath + "/password", url.Values{}},
			{userPath + "/tokens/revoke", url.Values{}},
		} {
			if res, _ := f.do(t, sup, "POST", post.path, post.form, nil); res.StatusCode != http.StatusForbidden {
				t.Fatalf("supervisor's POST %s: Status=%v, want 403", post.path, res.StatusCode)
			}
		}
		if u := f.user(t, "ann@example.com"); u.Role != rapport.RoleAgent || u.DisabledAt != nil {
			t.Fatalf("a refused change changed ann: %+v", u)
		}

		adm := f.client(t)
		f.signIn(t, adm, "root@example.com")
		res, body = f.do(t, adm, "POST", "/users", url.Values{"name": {"Kim <b>Lee</b>"}, "email": {"not an email"}, "role": {"agent"}}, nil)
		if res.StatusCode != 422 || !strings.Contains(body, `id="email-error"`) || !strings.Contains(body, `value="Kim &lt;b&gt;Lee&lt;/b&gt;"`) {
			t.Fatalf("add with a bad email: %v\n%s", res.StatusCode, body)
		}
		res, body = f.do(t, adm, "POST", "/users", url.Values{"name": {"Kim Lee"}, "email": {"kim@example.com"}, "role": {"agent"}}, nil)
		pw := regexp.MustCompile(`<code id="new-password">([^<]+)</code>`).FindStringSubmatch(body)
		if res.StatusCode != 200 || pw == nil || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("add kim: %v %v\n%s", res.StatusCode, res.Header, body)
		}
		if _, _, err := f.desk.SignIn(context.Background(), "kim@example.com", pw[1]); err != nil {
			t.Fatalf("kim signs in with the shown password: %v", err)
		}
		if res, body := f.do(t, adm, "POST", "/users", url.Values{"name": {"Kim"}, "email": {"kim@example.com"}, "role": {"agent"}}, nil); res.StatusCode != http.StatusConflict || !strings.Contains(body, `id="email-error"`) {
			t.Fatalf("add kim twice: %v\n%s", res.StatusCode, body)
		}
		rootPath := fmt.Sprintf("/users/%d", root.ID)
		res, body = f.do(t, adm, "POST", rootPath+"/role", url.Values{"role": {"agent"}}, nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, `id="role-error"`) || !strings.Contains(body, "last enabled administrator") {
			t.Fatalf("demote the last admin: %v\n%s", res.StatusCode, body)
		}
		res, _ = f.do(t, adm, "POST", userPath+"/role", url.Values{"role": {"supervisor"}}, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != userPath {
			t.Fatalf("promote ann: %v %v", res.StatusCode, res.Header.Get("Location"))
		}
		if _, body := f.do(t, adm, "GET", userPath, nil, nil); !strings.Contains(body, "is now a supervisor.") {
			t.Fatalf("after promoting ann, no news:\n%s", body)
		}
	})
}

// TestChangeOwnPassword: the new password typed twice must match; a wrong
// current one is refused beside its field; a change keeps this browser
// signed in and signs out every other.
func TestChangeOwnPassword(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	c, other := f.client(t), f.client(t)
	f.signIn(t, c, "pat@example.com")
	f.signIn(t, other, "pat@example.com")
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"old_password": {password}, "new_password": {"a much better one"}, "new_password_again": {"a much better 1"}}, "new_password_again"},
		{url.Values{"old_password": {"not it at all"}, "new_password": {"a much better one"}, "new_password_again": {"a much better one"}}, "old_password"},
		{url.Values{"old_password": {password}, "new_password": {"short"}, "new_password_again": {"short"}}, "new_password"},
	} {
		res, body := f.do(t, c, "POST", "/account/password", tc.form, nil)
		if res.StatusCode != 422 || !strings.Contains(body, `id="`+tc.field+`-error"`) || strings.Contains(body, "a much better") {
			t.Fatalf("change with a mistake in %s: %v\n%s", tc.field, res.StatusCode, body)
		}
	}
	res, _ := f.do(t, c, "POST", "/account/password", url.Values{"old_password": {password}, "new_password": {"a much better one"}, "new_password_again": {"a much better one"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("change: %v %v", res.StatusCode, res.Header.Get("Location"))
	}
	if res, body := f.do(t, c, "GET", "/account", nil, nil); res.StatusCode != 200 || !strings.Contains(body, "Your password is changed.") {
		t.Fatalf("this browser after the change: %v", res.StatusCode)
	}
	if res, _ := f.do(t, other, "GET", "/account", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the other browser after the change: %v, want sent to sign in", res.StatusCode)
	}
	if _, _, err := f.desk.SignIn(context.Background(), "pat@example.com", "a much better one"); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
}
