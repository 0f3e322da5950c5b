package browsertest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/notice"
)

var mailLink = regexp.MustCompile(`https?://\S+/(checkin|survey)/\S+`)

// checkinMail resolves a ticket of a requester, lets the check-in come due
// on the site's clock, sends it, and returns the links of the mail it
// makes, by kind ("checkin-fixed", "checkin-back", "survey"), as paths.
func checkinMail(t *testing.T, s *site) (links map[string]string, ticket int64) {
	t.Helper()
	ctx := context.Background()
	pat := s.addUser(t, "pat@example.com", "Patricia Doe", rapport.RoleRequester)
	ann := s.addUser(t, "ann@example.com", "Ann Lee", rapport.RoleAgent)
	tk, err := s.Desk.CreateTicket(rapport.NewContextWithUser(ctx, pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "VPN drops", Body: "Every hour."}})
	if err != nil {
		t.Fatal(err)
	}
	asAnn := rapport.NewContextWithUser(ctx, ann)
	if _, err := s.Desk.ClaimNext(asAnn); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Desk.Resolve(asAnn, tk.ID, "Updated the VPN client."); err != nil {
		t.Fatal(err)
	}
	s.advance(s.Desk.FollowUpAfter + time.Minute)
	if n, err := s.Desk.SendDueCheckins(ctx); err != nil || n != 1 {
		t.Fatalf("SendDueCheckins = %d, %v", n, err)
	}
	// The mail as the notice mailer writes it, with the tokens the check-in
	// got (the desk queues them only with mail on; sign them the same way).
	cs, _ := s.Desk.Checkins(asAnn, tk.ID)
	ss, _ := s.Desk.Surveys(asAnn, tk.ID)
	fl, err := s.Desk.FollowUpLinks(ctx, cs[0].ID, ss[0].ID, ss[0].ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := s.Desk.Ticket(asAnn, tk.ID)
	m := &notice.Mailer{Desk: s.Desk, PublicURL: s.URL}
	msg, err := m.Render(desk.Notice{Kind: desk.NoticeCheckin, TicketID: tk.ID, To: pat.ID, CheckinToken: fl.Checkin, SurveyToken: fl.Survey, Until: &ss[0].ExpiresAt}, t2, pat)
	if err != nil {
		t.Fatal(err)
	}
	links = map[string]string{}
	for _, l := range mailLink.FindAllString(msg.Text, -1) {
		p := strings.TrimPrefix(l, s.URL)
		switch {
		case strings.HasSuffix(p, "answer=fixed"):
			links["checkin-fixed"] = p
		case strings.HasSuffix(p, "answer=back"):
			links["checkin-back"] = p
		case strings.HasPrefix(p, "/survey/"):
			links["survey"] = p
		}
	}
	if len(links) != 3 {
		t.Fatalf("links in the mail %v:\n%s", links, msg.Text)
	}
	return links, tk.ID
}

// TestSurveyLinkWithoutSigningIn: the survey link from the mail opens
// without signing in; a score and a comment are sent with one button; the
// thanks for a complaint say what happens next; once expired, the same
// link gets a kind page.
func TestSurveyLinkWithoutSigningIn(t *testing.T) {
	s := newSite(t, "sqlite")
	links, ticket := checkinMail(t, s)
	tb := s.newTab(t)
	tb.open(links["survey"])
	tb.wantText("How did we do?", "VPN drops", "Ann Lee")
	tb.checkA11y()
	tb.click("radio", "2: poor")
	tb.fill("Comment (optional)", "It took three days.")
	tb.submit("button", "Send my answer")
	tb.wantText("Thank you for your feedback", "What happens next", "a supervisor")
	tb.checkA11y()
	ss, err := s.Desk.Surveys(rapport.NewContextWithUser(context.Background(), &rapport.User{ID: 2, Role: rapport.RoleAgent}), ticket)
	if err != nil || ss[0].Score == nil || *ss[0].Score != 2 || ss[0].Comment != "It took three days." {
		t.Fatalf("survey after answer: %+v, %v", ss, err)
	}

	s.advance(s.Desk.SurveyExpiry)
	tb.open(links["survey"])
	tb.wantText("This link has expired", "Sign in")
	tb.checkA11y()
	tb.open(links["survey"] + "x")
	tb.wantText("This link does not work")
}

// TestCheckinItsBack: "No, it's back" from the mail opens a page with
// that answer chosen, changes nothing until the button, and then reopens
// the ticket with the person's words.
func TestCheckinItsBack(t *testing.T) {
	s := newSite(t, "sqlite")
	links, ticket := checkinMail(t, s)
	staff := rapport.NewContextWithUser(context.Background(), &rapport.User{ID: 2, Role: rapport.RoleAgent})
	tb := s.newTab(t)
	tb.open(links["checkin-back"])
	tb.wantText("Is everything still working?", "VPN drops", "Nothing changes until you press the button.")
	if !eval[bool](tb, `document.getElementById('answer-back').checked`) {
		t.Fatal(`"No, it's back" is not chosen on the page the link opens`)
	}
	tb.checkA11y()
	if tk, _ := s.Desk.Ticket(staff, ticket); tk.Status != rapport.StatusResolved {
		t.Fatalf("opening the link changed the ticket to %s", tk.Status)
	}
	tb.submit("button", "Send my answer")
	tb.wantText("Say what is happening") // the words are needed
	tb.fill("If it is back, what is happening?", "It dropped twice this morning.")
	tb.submit("button", "Send my answer")
	tb.wantText("Thank you", "open again")
	tk, _ := s.Desk.Ticket(staff, ticket)
	if tk.Status != rapport.StatusOpen || tk.ReopenCount != 1 {
		t.Fatalf("after No, it's back: %s, reopened %d times", tk.Status, tk.ReopenCount)
	}
	evs, _, _ := s.Desk.Timeline(staff, ticket, "", 100)
	if last := evs[len(evs)-1]; last.Type != rapport.EventReopened || last.Body != "It dropped twice this morning." {
		t.Fatalf("last event %s %q", last.Type, last.Body)
	}
}
