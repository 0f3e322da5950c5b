package browsertest

import (
	"context"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/mail"
)

// TestMailPages checks the administrator's mail pages (mailin): the
// quarantine list and one mail with its sanitized HTML in a sandboxed
// frame, with axe-core on a wide screen and a phone.
func TestMailPages(t *testing.T) {
	s := newSite(t, "sqlite")
	s.addUser(t, "root@example.com", "Rae Admin", rapport.RoleAdmin)
	r := &mail.Receiver{Desk: s.Desk, Parser: mail.Parser{IDs: mail.IDs{Key: []byte("k")}, Own: "help@example.com"}}
	ctx := context.Background()
	m, _, err := r.Receive(ctx, []byte("From: Pat Lee <pat@example.com>\r\nSubject: Printer jams on floor 3\r\nMessage-ID: <b1@example.com>\r\n"+
		"Content-Type: text/html; charset=utf-8\r\n\r\n<p>It jams on <b>tray 2</b>.</p><script>alert(1)</script>\r\n"), "smtp")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Receive(ctx, []byte("Subject: A mail with no sender\r\n\r\nWho am I?\r\n"), "imap"); err != nil {
		t.Fatal(err)
	}
	checkPages(t, s, []shot{
		{"root@example.com", "/mail", "mail-quarantine"},
		{"root@example.com", "/mail/" + itoa(m.ID), "mail-message"},
	})
}
