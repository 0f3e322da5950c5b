package notice_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/notice"
)

// TestNoticeContent renders each notice and checks what the reader must
// find in it: their name, the ticket, the facts the notice is for, the
// link, in both the text and the HTML, and nothing the reader must not see.
func TestNoticeContent(t *testing.T) {
	pos := 3
	until := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	before := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	slaDue := time.Date(2026, 3, 31, 10, 30, 0, 0, time.UTC)
	tk := &rapport.Ticket{ID: 42, Subject: "Laptop will not start", Status: rapport.StatusNew,
		Priority: rapport.PriorityNormal, Channel: rapport.ChannelEmail,
		Requester:     &rapport.UserRef{ID: 1, Email: "pat@example.com", Name: "Pat Doe"},
		QueuePosition: &pos, ExpectedWait: &rapport.WaitEstimate{Low: 20 * time.Minute, High: 40 * time.Minute}}
	critical := *tk
	critical.Priority, critical.Impact = rapport.PriorityCritical, rapport.Impact{Outage: true}
	critical.QueuePosition = nil
	pat := &rapport.User{ID: 1, Email: "pat@example.com", Name: "Pat Doe", Role: rapport.RoleRequester}
	sam := &rapport.User{ID: 2, Email: "sam@example.com", Name: "Sam Lee", Role: rapport.RoleAgent}
	const note = "internal: requester is on the watch list"
	d := desk.New(nil)
	m := &notice.Mailer{Desk: d, PublicURL: "https://help.example.com/", DeskName: "Example IT help desk"}
	tests := []struct {
		n       desk.Notice
		t       *rapport.Ticket
		to      *rapport.User
		subject string
		want    []string
		auto    string
	}{
		{desk.Notice{Kind: desk.NoticeReceived, Channel: rapport.ChannelEmail}, tk, pat, "We have your request",
			[]string{"number 3 in the queue", "about 20-40 minutes", "reply to this email"}, "auto-replied"},
		{desk.Notice{Kind: desk.NoticeReceived, Channel: rapport.ChannelPortal}, tk, pat, "We have your request",
			[]string{"number 3 in the queue"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeReply, Body: "Please hold the power button for 30 seconds.", By: "Sam Lee"}, tk, pat, "Re: Laptop",
			[]string{"Sam Lee has replied", "hold the power button for 30 seconds"}, ""},
		{desk.Notice{Kind: desk.NoticeWaiting, Body: "The supplier is sending a new battery.", Until: &until}, tk, pat, "An update",
			[]string{"supplier is sending a new battery", "Tuesday 31 March 2026", "let you know right away"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeWaiting, Body: "Waiting on the vendor."}, tk, pat, "An update",
			[]string{"Waiting on the vendor", "don't have a date yet"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeWaitingChanged, Body: "The supplier says there's been a delay.", Until: &until, Before: &before}, tk, pat, "New expected date",
			[]string{"Friday 20 March 2026", "Tuesday 31 March 2026", "there's been a delay", "sorry"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeWaitingNear, Until: &until}, tk, pat, "Coming up",
			[]string{"Tuesday 31 March 2026", "reminder"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeResolved, Body: "Replaced the battery."}, tk, pat, "Resolved",
			[]string{"Replaced the battery", "reply to this email within 30 days", "reopen it here", "new request linked"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeReopened, Body: "It died again this morning."}, tk, pat, "Reopened",
			[]string{"open again", "It died again this morning"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeHoldPassed, Body: "The supplier is sending a new battery.", Until: &until}, tk, sam, "No news by the expected date [#42]",
			[]string{"Tuesday 31 March 2026", "has passed without news", "supplier is sending a new battery", "give them an update now"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeSLAWarning, Body: string(rapport.SLAFirstResponse), Until: &slaDue}, &critical, sam, "SLA warning [#42]: first response due soon",
			[]string{"close to its first response target", "Tuesday 31 March 10:30 UTC", "(critical)", "Nobody has picked it up"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeSLABreach, Body: string(rapport.SLAResolution), Until: &slaDue}, tk, sam, "SLA breached [#42]: resolution overdue",
			[]string{"missed its resolution target", "Tuesday 31 March 10:30 UTC", "Pat Doe is still waiting"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeCritical}, &critical, sam, "Critical ticket [#42]",
			[]string{"from Pat Doe", "a system is down for everyone", "served first"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeAssigned, By: "Alex Kim"}, tk, sam, "is yours",
			[]string{"Alex Kim has given you ticket [#42]", "from Pat Doe"}, "auto-generated"},
		{desk.Notice{Kind: desk.NoticeRequesterReplied, Body: "Still broken <b>today</b>."}, tk, sam, "Pat Doe replied",
			[]string{"Pat Doe has written", "Still broken <b>today</b>."}, "auto-generated"},
	}
	for _, tc := range tests {
		t.Run(string(tc.n.Kind), func(t *testing.T) {
			msg, err := m.Render(tc.n, tc.t, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg.Subject, tc.subject) || !strings.Contains(msg.Subject, "#42") {
				t.Errorf("subject %q lacks %q or the ticket number", msg.Subject, tc.subject)
			}
			if msg.To != tc.to.Email || msg.ToName != tc.to.Name {
				t.Errorf("to %s <%s>", msg.ToName, msg.To)
			}
			greeting := "Hello " + notice.GreetingName(tc.to) + ","
			if !strings.HasPrefix(msg.Text, greeting+"\n") {
				t.Errorf("text does not start with %q:\n%s", greeting, msg.Text)
			}
			if !strings.Contains(msg.HTML, "<p>"+greeting+"</p>") {
				t.Errorf("HTML lacks the greeting:\n%s", msg.HTML)
			}
			want := append([]string{"Laptop will not start", "https://help.example.com/tickets/42", "Example IT help desk"}, tc.want...)
			for _, w := range want {
				if !strings.Contains(msg.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, msg.Text)
				}
			}
			if !strings.Contains(msg.HTML, `<a href="https://help.example.com/tickets/42">`) {
				t.Errorf("HTML lacks the link:\n%s", msg.HTML)
			}
			if strings.Contains(msg.HTML, "<b>") {
				t.Errorf("HTML carries a person's markup unescaped:\n%s", msg.HTML)
			}
			if strings.Contains(msg.Text, note) || strings.Contains(msg.HTML, note) || strings.Contains(msg.Text, "{{") {
				t.Errorf("rendered text leaks:\n%s", msg.Text)
			}
			if strings.Contains(msg.Text, "\n\n\n") {
				t.Errorf("runs of blank lines:\n%q", msg.Text)
			}
			if wantFrom := "Example IT help desk"; tc.n.Kind == desk.NoticeReply {
				if wantFrom = "Sam Lee (Example IT help desk)"; msg.FromName != wantFrom {
					t.Errorf("from %q, want %q", msg.FromName, wantFrom)
				}
			} else if msg.FromName != wantFrom {
				t.Errorf("from %q, want %q", msg.FromName, wantFrom)
			}
			if msg.AutoSubmitted != tc.auto {
				t.Errorf("Auto-Submitted %q, want %q", msg.AutoSubmitted, tc.auto)
			}
		})
	}
}

func TestGreetingName(t *testing.T) {
	for name, want := range map[string]string{"Pat Doe": "Pat", "  Amélie  Poulain ": "Amélie", "": "there", "Cher": "Cher"} {
		if got := notice.GreetingName(&rapport.User{Name: name}); got != want {
			t.Errorf("GreetingName(%q) = %q, want %q", name, got, want)
		}
	}
}
