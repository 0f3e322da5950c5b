package notice_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/notice"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestStrikeNoticeContent renders the notices of Three Strikes and asking
// a colleague: each says what happened, in plain words, with the link.
func TestStrikeNoticeContent(t *testing.T) {
	tk := &rapport.Ticket{ID: 42, Subject: "VPN drops", Status: rapport.StatusOpen, Priority: rapport.PriorityNormal,
		Requester: &rapport.UserRef{ID: 1, Email: "pat@example.com", Name: "Pat Doe"}}
	pat := &rapport.User{ID: 1, Email: "pat@example.com", Name: "Pat Doe", Role: rapport.RoleRequester}
	sue := &rapport.User{ID: 3, Email: "sue@example.com", Name: "Sue Park", Role: rapport.RoleSupervisor}
	bob := &rapport.User{ID: 4, Email: "bob@example.com", Name: "Bob Roy", Role: rapport.RoleAgent}
	m := &notice.Mailer{Desk: desk.New(nil), PublicURL: "https://help.example.com/", DeskName: "Example IT help desk"}
	for _, tc := range []struct {
		name    string
		n       desk.Notice
		to      *rapport.User
		subject string
		want    []string
		from    string
		auto    string
	}{
		{"boundary", desk.Notice{Kind: desk.NoticeBoundary, Step: 1, By: "Sam Lee", Body: "Hello Pat,\n\nI need to keep our conversation respectful."},
			pat, "Re: VPN drops [#42]", []string{"Hello Pat,", "keep our conversation respectful", "Sam Lee, Example IT help desk"},
			"Sam Lee (Example IT help desk)", ""},
		{"boundary, third", desk.Notice{Kind: desk.NoticeBoundary, Step: 3, By: "Sam Lee", Body: "Hello Pat,\n\nI am ending this conversation now."},
			pat, "Re: VPN drops", []string{"ending this conversation", "reopen it when you are ready"}, "Sam Lee (Example IT help desk)", ""},
		{"strike", desk.Notice{Kind: desk.NoticeStrike, Step: 2, By: "Sam Lee", Body: "Swore at me."},
			sue, "Strike 2 of 3 on ticket [#42]", []string{"Hello Sue,", "Sam Lee marked a message from Pat Doe", "strike 2 of 3", "told that the conversation will end next time", "Swore at me.", "withdraw it"},
			"Example IT help desk", "auto-generated"},
		{"strike 3", desk.Notice{Kind: desk.NoticeStrike, Step: 3, By: "Sam Lee"},
			sue, "Strike 3 of 3", []string{"the ticket is closed", "check in with Sam Lee"}, "Example IT help desk", "auto-generated"},
		{"invited", desk.Notice{Kind: desk.NoticeInvited, By: "Sam Lee", Body: "Could you sit in?"},
			bob, "Sam Lee asks you to join ticket [#42]", []string{"Hello Bob,", "would like your help", "from Pat Doe", "Could you sit in?"}, "Example IT help desk", "auto-generated"},
		{"handover", desk.Notice{Kind: desk.NoticeHandover, By: "Sam Lee", Body: "Profile reinstalled; be patient."},
			bob, "Handed over to you: ticket [#42]", []string{"Hello Bob,", "Sam Lee has handed you ticket [#42]", "Profile reinstalled; be patient.", "yours now"}, "Example IT help desk", "auto-generated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.n.TicketID = tk.ID
			msg, err := m.Render(tc.n, tk, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg.Subject, tc.subject) {
				t.Errorf("subject %q, want %q", msg.Subject, tc.subject)
			}
			for _, w := range append(tc.want, "https://help.example.com/tickets/42") {
				if !strings.Contains(msg.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, msg.Text)
				}
			}
			if strings.Contains(msg.Text, "\n\n\n") || strings.Contains(msg.Text, "{{") {
				t.Errorf("text:\n%q", msg.Text)
			}
			if msg.FromName != tc.from || msg.AutoSubmitted != tc.auto {
				t.Errorf("from %q auto %q, want %q %q", msg.FromName, msg.AutoSubmitted, tc.from, tc.auto)
			}
		})
	}
}

// TestStrikeMail: a strike mails the boundary statement to the requester
// and the news to each enabled supervisor and admin, once; agents and
// disabled supervisors get nothing; the agent's note never reaches the
// requester.
func TestStrikeMail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		in := &inbox{}
		rg := newRig(t, db, in, "")
		d := rg.d
		pat := add(t, d, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		sam := add(t, d, "sam@example.com", "Sam Lee", rapport.RoleAgent)
		add(t, d, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
		add(t, d, "ada@example.com", "Ada Admin", rapport.RoleAdmin)
		old := add(t, d, "old@example.com", "Old Boss", rapport.RoleSupervisor)
		disabled := true
		if _, err := d.UpdateUser(as(sam), old.Email, desk.UserUpdate{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		rg.start(t)
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "VPN drops", Body: "Fix it, you idiots."}})
		if err != nil {
			t.Fatal(err)
		}
		evs, _, err := d.Timeline(as(sam), tk.ID, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.Strike(as(sam), tk.ID, evs[0].ID, "Called us idiots."); err != nil {
			t.Fatal(err)
		}
		rg.settle(t)
		b := body(t, one(t, in, "pat@example.com", "Re: VPN drops"))
		if !strings.Contains(b, "Hello Pat,") || !strings.Contains(b, "respectful") || strings.Contains(b, "idiots") {
			t.Errorf("boundary mail:\n%s", b)
		}
		for _, addr := range []string{"sue@example.com", "ada@example.com"} {
			if b := body(t, one(t, in, addr, "Strike 1 of 3")); !strings.Contains(b, "Called us idiots.") {
				t.Errorf("supervisor mail to %s:\n%s", addr, b)
			}
		}
		for _, addr := range []string{"sam@example.com", "old@example.com"} {
			for _, m := range in.to(addr) {
				if strings.Contains(m.Header.Get("Subject"), "Strike") {
					t.Errorf("%s was told of the strike", addr)
				}
			}
		}
	})
}
