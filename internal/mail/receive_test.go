package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func plain(from, subject, msgid, extra, body string) []byte {
	h := "From: " + from + "\r\nTo: help@rapport.test\r\nSubject: " + subject + "\r\n"
	if msgid != "" {
		h += "Message-ID: " + msgid + "\r\n"
	}
	return []byte(h + extra + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

// TestNoiseHeaders: each sign of automatic mail, and the look-alikes that
// are not one (Auto-Submitted: no, a human's out-of-office subject,
// Outlook's X-Auto-Response-Suppress alone).
func TestNoiseHeaders(t *testing.T) {
	p := mail.Parser{IDs: corpusIDs, Own: "Help@Rapport.test"}
	ref := corpusIDs.New(1, "n")
	for _, tc := range []struct {
		name, from, subject, extra, want string
	}{
		{"person", "pat@example.com", "Help", "", ""},
		{"auto-submitted no", "pat@example.com", "Help", "Auto-Submitted: no\r\n", ""},
		{"auto-generated", "pat@example.com", "Help", "Auto-Submitted: auto-generated\r\n", mail.NoiseAutoSubmitted},
		{"auto-replied with params", "pat@example.com", "Help", "Auto-Submitted: Auto-Replied; owner-email=\"pat@example.com\"\r\n", mail.NoiseAutoSubmitted},
		{"precedence junk", "pat@example.com", "Help", "Precedence: junk\r\n", mail.NoisePrecedence},
		{"precedence list", "pat@example.com", "Help", "Precedence: LIST\r\n", mail.NoisePrecedence},
		{"precedence first-class", "pat@example.com", "Help", "Precedence: first-class\r\n", ""},
		{"x-autorespond", "pat@example.com", "Help", "X-Autorespond: vacation\r\n", mail.NoiseAutoReply},
		{"own address any case", "HELP@rapport.test", "Help", "", mail.NoiseOwnAddress},
		{"own message-id", "pat@example.com", "Help", "", mail.NoiseOwnMessage},
		{"mailer-daemon", "MAILER-DAEMON@mx.example.com", "failure", "", mail.NoiseBounce},
		{"null return-path", "pat@example.com", "Help", "Return-Path: <>\r\n", mail.NoiseNullSender},
		{"return-path set", "pat@example.com", "Help", "Return-Path: <pat@example.com>\r\n", ""},
		{"suppress header alone", "pat@example.com", "Help", "X-Auto-Response-Suppress: All\r\n", ""},
		{"oof subject alone", "pat@example.com", "Out of Office: cover for me", "", ""},
		{"oof subject and suppress", "pat@example.com", "Out of Office: until Monday", "X-Auto-Response-Suppress: All\r\n", mail.NoiseOutOfOffice},
		{"oof subject replying to us", "pat@example.com", "Automatic reply: We received your request", "In-Reply-To: " + ref + "\r\n", mail.NoiseOutOfOffice},
		{"list-id", "pat@example.com", "Help", "List-Id: <x.lists.example.com>\r\n", mail.NoiseMailingList},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := "<" + strings.ReplaceAll(tc.name, " ", "-") + "@example.com>"
			if tc.want == mail.NoiseOwnMessage {
				id = corpusIDs.New(7, "loop")
			}
			m := p.Parse(plain(tc.from, tc.subject, id, tc.extra, "Text."))
			if m.Unreadable != "" || m.Noise != tc.want {
				t.Fatalf("Noise=%q (unreadable %q), want %q", m.Noise, m.Unreadable, tc.want)
			}
		})
	}
}

func TestTrimReply(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		forwarded      bool
	}{
		{"nothing to trim", "Line one.\nLine two.", "Line one.\nLine two.", false},
		{"gmail attribution", "Yes.\n\nOn Mon, 3 Nov 2025 at 10:00, Ann <a@x> wrote:\n> old", "Yes.", false},
		{"wrapped attribution", "Yes.\n\nOn Mon, 3 Nov 2025 at 10:00, Ann Ortiz\n<a@x> wrote:\n> old", "Yes.", false},
		{"german", "Ja.\n\nAm 03.11.2025 um 10:00 schrieb Ann <a@x>:\n> alt", "Ja.", false},
		{"outlook original", "Done.\n\n-----Original Message-----\nFrom: Ann\nSent: Monday", "Done.", false},
		{"outlook header block", "Done.\n\nFrom: Ann Ortiz <a@x>\nSent: Monday, 3 November 2025 10:00\nTo: Pat\n\nold", "Done.", false},
		{"signature", "Thanks.\n-- \nPat Lee\nFinance", "Thanks.", false},
		{"iphone", "Thanks.\n\nSent from my iPhone", "Thanks.", false},
		{"outlook mobile", "Thanks.\n\nGet Outlook for Android", "Thanks.", false},
		{"inline quotes dropped", "> Is it plugged in?\nYes it is.\n> Which port?\nThe left one.", "Yes it is.\nThe left one.", false},
		{"a from line in prose stays", "From: the third floor, all printers fail.\nPlease help.", "From: the third floor, all printers fail.\nPlease help.", false},
		{"forward keeps the forwarded mail", "See below.\n\n---------- Forwarded message ---------\nFrom: Vendor\nDate: Mon\n\n> quoted", "See below.\n\n---------- Forwarded message ---------\nFrom: Vendor\nDate: Mon\n\n> quoted", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mail.TrimReply(tc.in, tc.forwarded); got != tc.want {
				t.Fatalf("TrimReply = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSubjectTag(t *testing.T) {
	for _, id := range []int64{1, 42, 1234567} {
		if got := mail.TicketFromSubject("Re: Printer " + mail.SubjectTag(id) + " again"); got != id {
			t.Errorf("TicketFromSubject(SubjectTag(%d)) = %d", id, got)
		}
	}
	for _, s := range []string{"Re: issue #12", "[#0] x", "[#abc]", "[# 12]", "[#99999999999999999999]"} {
		if got := mail.TicketFromSubject(s); got != 0 {
			t.Errorf("TicketFromSubject(%q) = %d, want 0", s, got)
		}
	}
}

// TestRateLimit: an address that floods the help desk makes only so many
// tickets; the rest is kept in the quarantine, not lost, and replies to
// its own tickets still thread.
func TestRateLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := desk.New(db)
		d.MailLimit = desk.MailLimit{Tickets: 3, Per: time.Hour}
		r := &mail.Receiver{Desk: d, Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
		var first int64
		for i := range 8 {
			m, _, err := r.Receive(ctx, plain("flood@example.com", "Mail "+itoa(i), "<flood-"+itoa(i)+"@example.com>", "", "Again."), "smtp")
			if err != nil {
				t.Fatal(err)
			}
			want := rapport.MailTicket
			if i >= 3 {
				want = rapport.MailQuarantined
			}
			if m.Outcome != want {
				t.Fatalf("mail %d: %s (%s), want %s", i, m.Outcome, m.Reason, want)
			}
			if i == 0 {
				first = *m.TicketID
			}
		}
		q, _, _ := db.FindInboundMails(ctx, rapport.MailFilter{Outcome: rapport.MailQuarantined})
		if len(q) != 5 || !strings.HasPrefix(q[0].Reason, "rate_limited") {
			t.Fatalf("quarantine %d mails (%v), want the 5 over the limit", len(q), q)
		}
		m, _, err := r.Receive(ctx, plain("flood@example.com", "Re: Mail 0 "+mail.SubjectTag(first), "<flood-reply@example.com>", "", "More detail."), "smtp")
		if err != nil || m.Outcome != rapport.MailReply {
			t.Fatalf("reply over the limit: %v %v, want it threaded", m, err)
		}
		// Another address is not limited by this one.
		m, _, err = r.Receive(ctx, plain("calm@example.com", "One", "<calm-1@example.com>", "", "Hello."), "smtp")
		if err != nil || m.Outcome != rapport.MailTicket {
			t.Fatalf("another sender: %v %v, want a ticket", m, err)
		}
	})
}

// TestConcurrentDuplicates: the same message delivered many times at once
// (an SMTP retry racing an IMAP poll, two nodes polling) is stored once
// and makes one ticket.
func TestConcurrentDuplicates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := &mail.Receiver{Desk: desk.New(db), Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
		for _, raw := range [][]byte{
			plain("new.person@example.com", "Race", "<race-1@example.com>", "", "Once only."),
			plain("other.person@example.com", "No id", "", "", "Once only, by content."),
		} {
			var wg sync.WaitGroup
			var mu sync.Mutex
			stored := 0
			for range 8 {
				wg.Go(func() {
					_, dup, err := r.Receive(ctx, bytes.Clone(raw), "imap")
					if err != nil {
						t.Error(err)
						return
					}
					if !dup {
						mu.Lock()
						stored++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if stored != 1 {
				t.Fatalf("stored %d times, want once", stored)
			}
		}
		tk, _, _ := db.FindTickets(ctx, rapport.TicketFilter{})
		if len(tk) != 2 {
			t.Fatalf("%d tickets, want 2", len(tk))
		}
		// Several mails at once from one new address: one account, a
		// ticket each (the losers of the race to add the account retry).
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				m, _, err := r.Receive(ctx, plain("Quick Writer <quick@example.com>", "Issue "+itoa(i), "<quick-"+itoa(i)+"@example.com>", "", "Help."), "smtp")
				if err != nil || m.Outcome != rapport.MailTicket {
					t.Errorf("mail %d: %+v %v", i, m, err)
				}
			})
		}
		wg.Wait()
		u, err := db.FindUserByEmail(ctx, "quick@example.com")
		if err != nil || u.Name != "Quick Writer" {
			t.Fatalf("account %+v (%v)", u, err)
		}
		if tk, _, _ := db.FindTickets(ctx, rapport.TicketFilter{RequesterID: &u.ID}); len(tk) != 6 {
			t.Fatalf("%d tickets from quick@example.com, want 6", len(tk))
		}
	})
}

// TestHugeAttachment: a 20 MB attachment (made here, not committed) is
// kept whole in the original and named on the ticket; the ticket's text
// is the mail's text.
func TestHugeAttachment(t *testing.T) {
	blob := bytes.Repeat([]byte("0123456789abcdef"), 20<<20/16)
	enc := base64.StdEncoding.EncodeToString(blob)
	var b strings.Builder
	b.WriteString("From: Big Files <big@example.com>\r\nTo: help@rapport.test\r\nSubject: Log file attached\r\n" +
		"Message-ID: <huge-1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe server log from last night is attached.\r\n" +
		"--b1\r\nContent-Type: application/octet-stream; name=\"server.log\"\r\nContent-Disposition: attachment; filename=\"server.log\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	for i := 0; i < len(enc); i += 76 {
		b.WriteString(enc[i:min(i+76, len(enc))] + "\r\n")
	}
	b.WriteString("--b1--\r\n")
	raw := []byte(b.String())
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := &mail.Receiver{Desk: desk.New(db), Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
		m, _, err := r.Receive(ctx, raw, "smtp")
		if err != nil {
			t.Fatal(err)
		}
		if m.Outcome != rapport.MailTicket || len(m.Attachments) != 1 || m.Attachments[0].Name != "server.log" || m.Attachments[0].Size != len(blob) {
			t.Fatalf("outcome %s, attachments %+v; want a ticket with server.log of %d bytes", m.Outcome, m.Attachments, len(blob))
		}
		got, err := db.FindInboundMail(ctx, m.ID)
		if err != nil || !bytes.Equal(got.Raw, raw) {
			t.Fatalf("stored original: %d bytes (%v), want %d", len(got.Raw), err, len(raw))
		}
		evs, _, _ := db.FindEvents(ctx, rapport.EventFilter{TicketID: *m.TicketID})
		if len(evs) != 1 || evs[0].Body != "The server log from last night is attached." || evs[0].Data["attachments"] != "server.log" {
			t.Fatalf("events %+v", evs)
		}
	})
}

// TestReplyAfterResolution: the requester's reply to a resolved ticket
// reopens it within the window; past it, the reply opens a linked
// follow-up (channel email), and a second reply lands on that follow-up.
// Staff replying to a closed ticket post on it without reopening it.
func TestReplyAfterResolution(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		d := desk.New(db)
		d.Now = func() time.Time { return now }
		pat, _ := d.AddUser(ctx, "pat@example.com", "Pat Lee", rapport.RoleRequester)
		ann, _ := d.AddUser(ctx, "ann@example.com", "Ann Ortiz", rapport.RoleAgent)
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Printer", Body: "It jams."}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Resolve(as(ann), tk.ID, "New rollers."); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Close(as(ann), tk.ID); err != nil {
			t.Fatal(err)
		}
		r := &mail.Receiver{Desk: d, Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
		tag := mail.SubjectTag(tk.ID)
		m, _, err := r.Receive(ctx, plain("ann@example.com", "Re: Printer "+tag, "<a1@example.com>", "", "Glad it works."), "smtp")
		if err != nil || m.Outcome != rapport.MailReply {
			t.Fatalf("staff reply: %+v %v", m, err)
		}
		if got, _ := db.FindTicketByID(ctx, tk.ID); got.Status != rapport.StatusClosed {
			t.Fatalf("staff reply moved the closed ticket to %s", got.Status)
		}

		now = now.Add(desk.DefaultReopenWindow + time.Hour)
		m, _, err = r.Receive(ctx, plain("pat@example.com", "Re: Printer "+tag, "<p1@example.com>", "", "It jams again."), "smtp")
		if err != nil || m.Outcome != rapport.MailTicket || !strings.Contains(m.Reason, "follow-up") {
			t.Fatalf("reply past the window: %+v %v", m, err)
		}
		f, err := db.FindTicketByID(ctx, *m.TicketID)
		if err != nil || f.FollowUpOf == nil || *f.FollowUpOf != tk.ID || f.Channel != rapport.ChannelEmail || f.Body != "It jams again." {
			t.Fatalf("follow-up %+v (%v)", f, err)
		}
		m, _, err = r.Receive(ctx, plain("pat@example.com", "Re: Printer "+tag, "<p2@example.com>", "", "Tray 2 as well."), "smtp")
		if err != nil || m.Outcome != rapport.MailReply || *m.TicketID != f.ID {
			t.Fatalf("second reply past the window: %+v %v, want it on follow-up %d", m, err, f.ID)
		}
	})
}
