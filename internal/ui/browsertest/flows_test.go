package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func (tb *tab) signIn(email, pw string) {
	tb.t.Helper()
	tb.open("/login")
	tb.fill("Email", email)
	tb.fill("Password", pw)
	tb.submit("button", "Sign in")
}

func ask(t *testing.T, s *site, u *rapport.User, subject string, impact rapport.Impact) *rapport.Ticket {
	t.Helper()
	tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(context.Background(), u), desk.NewTicket{
		TicketInput: rapport.TicketInput{Subject: subject, Body: "Details of " + subject, Impact: impact, Channel: rapport.ChannelPortal}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// TestSignInAndOut: a signed-out visitor is sent to /login; the labelled
// form signs them in and home is theirs; Sign out ends the session.
func TestSignInAndOut(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			tb := s.newTab(t)
			tb.open("/")
			if got := tb.path(); got != "/login" {
				t.Fatalf("signed-out visit to / lands on %q, want /login", got)
			}
			tb.checkA11y()
			tb.fill("Email", "pat@example.com")
			tb.fill("Password", password)
			tb.submit("button", "Sign in")
			if got := tb.path(); got != "/" {
				t.Fatalf("after sign-in at %q, want /", got)
			}
			tb.wantText("My requests", "Signed in as Pat Lee")
			tb.checkA11y()
			tb.submit("button", "Sign out")
			tb.wantText("You are signed out.")
			if got := tb.path(); got != "/login" {
				t.Fatalf("after sign-out at %q, want /login", got)
			}
			tb.open("/")
			if got := tb.path(); got != "/login" {
				t.Fatalf("after sign-out / lands on %q, want /login", got)
			}
		})
	}
}

// TestWrongPassword: one plain message that does not say which part was
// wrong, the email kept, the password not.
func TestWrongPassword(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	for _, email := range []string{"pat@example.com", "nobody@example.com"} {
		tb := s.newTab(t)
		tb.signIn(email, "not the password")
		tb.wantText("That email and password do not match. Please check both and try again.")
		if got := eval[string](tb, `document.getElementById('email').value`); got != email {
			t.Fatalf("email after a failed sign-in=%q, want %q kept", got, email)
		}
		if got := eval[string](tb, `document.getElementById('password').value`); got != "" {
			t.Fatalf("password after a failed sign-in=%q, want it empty", got)
		}
		if tb.has("button", "Sign out") {
			t.Fatalf("signed in with a wrong password")
		}
		tb.checkA11y()
	}
}

// TestSignInRateLimit: after repeated failures the form says plainly when
// to try again, and refuses even the right password meanwhile.
func TestSignInRateLimit(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	tb := s.newTab(t)
	limited := false
	for i := 0; i < 2*10 && !limited; i++ {
		tb.signIn("pat@example.com", "guess number one")
		limited = strings.Contains(tb.text(), "Too many failed sign-in attempts")
	}
	if !limited {
		t.Fatalf("20 wrong passwords in a row were never limited")
	}
	tb.wantText("Please wait", "and try again")
	tb.checkA11y()
	tb.signIn("pat@example.com", password)
	tb.wantText("Too many failed sign-in attempts")
	if tb.has("button", "Sign out") {
		t.Fatalf("signed in while limited")
	}
}

// TestSessionExpiry: a session unused for 12 hours ends; the next visit
// asks to sign in again. The site's clock moves; nothing sleeps.
func TestSessionExpiry(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	tb := s.newTab(t)
	tb.signIn("pat@example.com", password)
	s.advance(rapport.SessionIdle - 2*rapport.SessionTouchEvery)
	tb.open("/")
	tb.wantText("My requests") // still in, and this use keeps it alive
	s.advance(rapport.SessionIdle - rapport.SessionTouchEvery)
	tb.open("/")
	tb.wantText("My requests")
	s.advance(rapport.SessionIdle)
	tb.open("/")
	if got := tb.path(); got != "/login" {
		t.Fatalf("after 12 idle hours / lands on %q, want /login", got)
	}
}

// TestAskForHelp: the requester's flow from home to the ticket page, with
// a mistake on the way that loses nothing.
func TestAskForHelp(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := newSite(t, dialect)
			pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
			sam := s.addUser(t, "sam@example.com", "Sam Roe", rapport.RoleRequester)
			ask(t, s, sam, "Someone else's problem", rapport.Impact{})
			tb := s.newTab(t)
			tb.signIn("pat@example.com", password)
			tb.wantText("You have not asked for help yet")
			tb.submit("link", "Ask for help")
			tb.checkA11y()
			description := "The printer on floor 2 says \"paper jam\"\nbut there is no paper in it."
			tb.fill("Description", description)
			tb.click("checkbox", "I cannot work at all")
			tb.submit("button", "Send request")
			tb.wantText("The subject is required.")
			if got := eval[string](tb, `document.getElementById('description').value`); got != description {
				t.Fatalf("description after a mistake=%q, want %q", got, description)
			}
			if !eval[bool](tb, `document.getElementById('blocks_work').checked`) {
				t.Fatalf("the ticked box was lost after a mistake")
			}
			if got := eval[string](tb, `document.getElementById('subject').getAttribute('aria-describedby')`); !strings.Contains(got, "subject-error") {
				t.Fatalf("the subject's error is not tied to it: aria-describedby=%q", got)
			}
			tb.checkA11y()
			tb.fill("Subject", "Printer jammed")
			tb.submit("button", "Send request")
			tb.wantText("Printer jammed", "Position in queue", "Thank you. Your request is in")
			tb.checkA11y()
			tb.submit("link", "Back to my requests")
			tb.wantText("Printer jammed", "Position in queue: 1") // critical: ahead of Sam
			if strings.Contains(tb.text(), "Someone else's problem") {
				t.Fatalf("a requester sees another person's ticket")
			}
			ts, _, err := s.Desk.Tickets(rapport.NewContextWithUser(context.Background(), pat), desk.TicketQuery{})
			if err != nil || len(ts) != 1 || ts[0].Channel != rapport.ChannelPortal || !ts[0].Impact.BlocksWork || ts[0].Priority != rapport.PriorityCritical {
				t.Fatalf("tickets=%v (%v), want one critical portal ticket", ts, err)
			}
		})
	}
}

// TestTakeNext: an agent's home is the queue in serving order; Take next
// claims the first and opens it.
func TestTakeNext(t *testing.T) {
	s := newSite(t, "sqlite")
	pat := s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	ask(t, s, pat, "Mouse is slow", rapport.Impact{})
	ask(t, s, pat, "Payroll is down", rapport.Impact{Outage: true})
	tb := s.newTab(t)
	tb.signIn("ann@example.com", password)
	text := tb.text()
	if i, j := strings.Index(text, "Payroll is down"), strings.Index(text, "Mouse is slow"); i < 0 || j < 0 || i > j {
		t.Fatalf("queue not in serving order (critical first):\n%s", text)
	}
	tb.checkA11y()
	tb.submit("button", "Take next")
	tb.wantText("Payroll is down", "is yours now", "Ann Ortiz")
	tb.checkA11y()
	tb.open("/")
	if strings.Contains(tb.text(), "Payroll is down") {
		t.Fatalf("a claimed ticket is still in the queue")
	}
	tb.submit("button", "Take next")
	tb.wantText("Mouse is slow")
	tb.open("/")
	tb.submit("button", "Take next")
	tb.wantText("The queue is empty")
}

// TestStoredXSS: markup typed into a name or a subject is shown as text,
// never run, on every page that shows it.
func TestStoredXSS(t *testing.T) {
	s := newSite(t, "sqlite")
	name := `<img src=x onerror="window.__xss=1">Eve`
	subject := `<script>window.__xss=2</script><b onmouseover="window.__xss=3">Bold</b>`
	eve := s.addUser(t, "eve@example.com", name, rapport.RoleRequester)
	s.addUser(t, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	tk := ask(t, s, eve, subject, rapport.Impact{})
	for _, who := range []string{"eve@example.com", "ann@example.com"} {
		tb := s.newTab(t)
		tb.signIn(who, password)
		for _, path := range []string{"/", "/tickets/" + itoa(tk.ID)} {
			tb.open(path)
			tb.wantText(subject)
			if who == "ann@example.com" {
				tb.wantText(name)
			}
			if n := eval[int](tb, `document.querySelectorAll('main script, main img, main b').length`); n != 0 {
				t.Fatalf("%s as %s: %d elements made from typed text", path, who, n)
			}
			if eval[bool](tb, `window.__xss !== undefined`) {
				t.Fatalf("%s as %s: typed script ran", path, who)
			}
		}
	}
}

// TestKeyboardSignIn: the sign-in form works from the keyboard alone: the
// email field has focus, Tab reaches the password, Enter sends the form.
func TestKeyboardSignIn(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "pat@example.com", "Pat Lee", rapport.RoleRequester)
	tb := s.newTab(t)
	tb.open("/login")
	if got := eval[string](tb, `document.activeElement.id`); got != "email" {
		t.Fatalf("focus on /login is on %q, want the email field", got)
	}
	tb.keys("pat@example.com\t" + password)
	if got := eval[string](tb, `document.activeElement.id`); got != "password" {
		t.Fatalf("Tab from the email field went to %q, want the password", got)
	}
	tb.keysAndWait("\r")
	tb.wantText("Signed in as Pat Lee")
}
