package notice_test

import (
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/notice"
)

// TestSignatureAndGreeting: a staff reply or resolution is signed with the
// writer's name and phone, else the desk's contact; every notice greets
// the reader by their preferred name.
func TestSignatureAndGreeting(t *testing.T) {
	tk := &rapport.Ticket{ID: 7, Subject: "Printer jam", Status: rapport.StatusOpen, Priority: rapport.PriorityNormal,
		Requester: &rapport.UserRef{ID: 1, Email: "robert@example.com", Name: "Robert Smith"}}
	bob := &rapport.User{ID: 1, Email: "robert@example.com", Name: "Robert Smith", PreferredName: "Bob", Role: rapport.RoleRequester,
		Notes: "staff only: prefers short calls"}
	robert := &rapport.User{ID: 1, Email: "robert@example.com", Name: "Robert Smith", Role: rapport.RoleRequester}
	for _, tc := range []struct {
		name    string
		contact string
		n       desk.Notice
		to      *rapport.User
		want    []string
		notWant []string
	}{
		{"reply with phone", "it@example.com", desk.Notice{Kind: desk.NoticeReply, Body: "Try again now.", By: "Sam Lee", ByPhone: "+44 20 7946 0000"}, bob,
			[]string{"Hello Bob,", "Sam Lee\nExample IT\nPhone: +44 20 7946 0000\n"}, []string{"Contact:", "Hello Robert", "prefers short calls"}},
		{"reply without phone", "it@example.com", desk.Notice{Kind: desk.NoticeReply, Body: "Try again now.", By: "Sam Lee"}, robert,
			[]string{"Hello Robert,", "Sam Lee\nExample IT\nContact: it@example.com\n"}, []string{"Phone:"}},
		{"resolved with phone", "", desk.Notice{Kind: desk.NoticeResolved, Body: "Cleared the jam.", By: "Sam Lee", ByPhone: "4321"}, bob,
			[]string{"Hello Bob,", "Sam Lee\nExample IT\nPhone: 4321\n"}, nil},
		{"resolved without phone or contact", "", desk.Notice{Kind: desk.NoticeResolved, Body: "Cleared the jam.", By: "Sam Lee"}, bob,
			[]string{"Sam Lee\nExample IT\n"}, []string{"Phone:", "Contact:"}},
		{"Rapport's own notice", "it@example.com", desk.Notice{Kind: desk.NoticeReceived}, bob,
			[]string{"Hello Bob,", "\nExample IT\n"}, []string{"Phone:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &notice.Mailer{Desk: desk.New(nil), PublicURL: "https://help.example.com", DeskName: "Example IT", Contact: tc.contact}
			msg, err := m.Render(tc.n, tk, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, msg.Text)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(msg.Text, w) || strings.Contains(msg.HTML, w) {
					t.Errorf("mail has %q:\n%s", w, msg.Text)
				}
			}
			if tc.n.ByPhone != "" && !strings.Contains(msg.HTML, "Phone: "+strings.ReplaceAll(tc.n.ByPhone, "+", "&#43;")) {
				t.Errorf("HTML lacks the phone:\n%s", msg.HTML)
			}
		})
	}
}
