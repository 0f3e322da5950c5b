package mail_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// corpusDir holds the .eml corpus: real-world-shaped mail written for
// these tests (no third-party dumps).
const corpusDir = "../../testdata/mail"

// corpusIDs signs the Rapport Message-IDs the corpus replies to
// (<rapport.1.…@rapport.test> names ticket 1, and so on).
var corpusIDs = mail.IDs{Key: []byte("corpus-key"), Domain: "rapport.test"}

func as(u *rapport.User) context.Context { return rapport.NewContextWithUser(context.Background(), u) }

// corpusDesk is a desk with the people and tickets the corpus talks
// about: ticket 1 is Pat's (open), 2 is Lee's (open), 3 is Pat's
// (resolved); Ann is an agent.
type corpusDesk struct {
	d        *desk.Desk
	db       *store.DB
	r        *mail.Receiver
	tickets  map[string]int64
	pat, ann *rapport.User
}

func newCorpusDesk(t testing.TB, db *store.DB) *corpusDesk {
	t.Helper()
	d := desk.New(db)
	ctx := context.Background()
	add := func(email, name string, role rapport.Role) *rapport.User {
		u, err := d.AddUser(ctx, email, name, role)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	pat := add("pat@example.com", "Pat Lee", rapport.RoleRequester)
	lee := add("lee.chen@example.com", "Lee Chen", rapport.RoleRequester)
	ann := add("ann@example.com", "Ann Ortiz", rapport.RoleAgent)
	ask := func(u *rapport.User, subject string) int64 {
		tk, err := d.CreateTicket(as(u), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: subject, Body: subject + ", please help."}})
		if err != nil {
			t.Fatal(err)
		}
		return tk.ID
	}
	c := &corpusDesk{d: d, db: db, pat: pat, ann: ann, tickets: map[string]int64{
		"T1": ask(pat, "Printer jams on floor 3"),
		"T2": ask(lee, "VPN drops every hour"),
		"T3": ask(pat, "Password reset"),
	}}
	if c.tickets["T1"] != 1 || c.tickets["T3"] != 3 {
		t.Fatalf("tickets = %v; the corpus's signed Message-IDs name tickets 1-3", c.tickets)
	}
	if _, err := d.Resolve(as(ann), c.tickets["T3"], "Reset the password and checked sign-in."); err != nil {
		t.Fatal(err)
	}
	c.r = &mail.Receiver{Desk: d, Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
	return c
}

func readCorpus(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil || len(files) < 25 {
		t.Fatalf("corpus: %d files (%v), want at least 25", len(files), err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

// want is the expected outcome of one corpus mail.
type want struct {
	outcome rapport.MailOutcome
	ticket  string // "T1".."T3", "new" for a new ticket, "" for none
	reason  string // contained in the recorded reason
	from    string // sender address as stored ("" when unreadable)
	name    string // the display name read (new requester's name)
	subject string // contained in the subject read
	body    string // contained in the timeline body
	notBody string // must not be in the timeline body
	attach  string // an attachment of this name
	html    string // contained in the sanitized HTML
}

var corpusWant = map[string]want{
	"01-outlook-new.eml":          {outcome: rapport.MailTicket, ticket: "new", from: "maria.lopez@example.org", name: "Lopez, Maria", subject: "Shared drive S:", body: "“The network path was not found”", html: "<p>Hello,</p>"},
	"02-gmail-new.eml":            {outcome: rapport.MailTicket, ticket: "new", from: "sam.okafor@gmail.com", name: "Sam Okafor", body: "café downstairs"},
	"03-apple-mail-signature.eml": {outcome: rapport.MailTicket, ticket: "new", name: "Jo Park", body: "Deleting one deletes both.", notBody: "Product Design"},
	"04-iphone.eml":               {outcome: rapport.MailTicket, ticket: "new", body: "had to wait for someone to let me in", notBody: "iPhone"},
	"05-forwarded.eml":            {outcome: rapport.MailTicket, ticket: "new", from: "lee.chen@example.com", body: "card on file was declined"},
	"06-winmail-dat.eml":          {outcome: rapport.MailTicket, ticket: "new", body: "#REF!", attach: "winmail.dat"},
	"07-inline-image.eml":         {outcome: rapport.MailTicket, ticket: "new", body: "payroll screen shows this error", attach: "image001.png", html: `alt="screenshot"`},
	"08-iso-8859-1.eml":           {outcome: rapport.MailTicket, ticket: "new", name: "Renée François", subject: "Problème réseau au café", body: "Le réseau du café"},
	"09-windows-1252.eml":         {outcome: rapport.MailTicket, ticket: "new", body: "“Total: € 1.200” but prints “Total: ? 1.200” – the euro"},
	"10-shift-jis.eml":            {outcome: rapport.MailTicket, ticket: "new", name: "山田 太郎", subject: "プリンターが印刷できません", body: "至急確認をお願いします。"},
	"11-koi8-r.eml":               {outcome: rapport.MailTicket, ticket: "new", name: "Иван Петров", subject: "Проблема с почтой", body: "Почта не приходит"},
	"12-base64-body.eml":          {outcome: rapport.MailTicket, ticket: "new", body: "flickers every few seconds — cable"},
	"13-missing-message-id.eml":   {outcome: rapport.MailTicket, ticket: "new", body: "The Æ, Ø and Å keys"},
	"14-auto-submitted.eml":       {outcome: rapport.MailIgnored, reason: mail.NoiseAutoSubmitted},
	"15-precedence-bulk.eml":      {outcome: rapport.MailIgnored, reason: mail.NoisePrecedence},
	"16-x-autoreply.eml":          {outcome: rapport.MailIgnored, reason: mail.NoiseAutoReply},
	"17-out-of-office.eml":        {outcome: rapport.MailIgnored, reason: mail.NoiseOutOfOffice},
	// An out-of-office subject alone is a weak sign: a person wrote this.
	"18-out-of-office-human.eml": {outcome: rapport.MailTicket, ticket: "new", body: "could my desk phone forward"},
	"19-dsn-bounce.eml":          {outcome: rapport.MailIgnored, reason: mail.NoiseBounce, from: "mailer-daemon@mx.rapport.test"},
	"20-mailing-list.eml":        {outcome: rapport.MailIgnored, reason: mail.NoiseMailingList},
	"21-html-script.eml":         {outcome: rapport.MailTicket, ticket: "new", body: "Clicking Download gives an empty PDF.", notBody: "document.cookie", html: "<p>Please help.</p>"},
	"22-malformed-headers.eml":   {outcome: rapport.MailQuarantined, reason: "could not be read as email", from: "broken@example.com", subject: "Attached report"},
	"23-no-from.eml":             {outcome: rapport.MailQuarantined, reason: "(From) is missing", from: "", subject: "Who sent this?"},
	"24-reply-references.eml":    {outcome: rapport.MailReply, ticket: "T1", reason: "References", body: "It jammed again this morning, on tray 2 this time.", notBody: "we received your request"},
	"25-reply-subject-tag.eml":   {outcome: rapport.MailReply, ticket: "T1", reason: "subject tag", from: "pat@example.com", body: "I swapped it.", notBody: "paper weight?"},
	// Someone else's ticket number does not open their ticket.
	"26-stranger-tag.eml":     {outcome: rapport.MailTicket, ticket: "new", reason: "names ticket 1, which is not the sender's", from: "eve@example.net", body: "admin password"},
	"27-own-address.eml":      {outcome: rapport.MailIgnored, reason: mail.NoiseOwnAddress},
	"28-staff-reply.eml":      {outcome: rapport.MailReply, ticket: "T2", reason: "References", body: "update the VPN client to 5.2", notBody: "Lee wrote"},
	"29-outlook-reply.eml":    {outcome: rapport.MailReply, ticket: "T1", reason: "subject tag", body: "Still jamming after the paper swap, sorry.", notBody: "Has the paper swap helped?"},
	"30-forged-reference.eml": {outcome: rapport.MailTicket, ticket: "new", reason: "new request", from: "eve@example.net", body: "Add me to this VPN ticket"},
	"31-null-sender.eml":      {outcome: rapport.MailIgnored, reason: mail.NoiseNullSender},
	"32-reply-resolved.eml":   {outcome: rapport.MailReply, ticket: "T3", reason: "reopened the ticket", body: "stopped working again after lunch", notBody: "iPad"},
	"33-read-receipt.eml":     {outcome: rapport.MailIgnored, reason: mail.NoiseReport},
	// Text split around an inline picture: both parts, no signature.
	"34-apple-mail-interleaved.eml": {outcome: rapport.MailTicket, ticket: "new", attach: "dock-error.png",
		body: "When I plug in the dock, this message appears:\n\nThen both screens go black for ten seconds.", notBody: "Jo Park"},
	// HTML-only replies: Outlook's From:/Sent: block and Gmail's quote.
	"35-outlook-html-reply.eml": {outcome: rapport.MailReply, ticket: "T1", reason: "subject tag", body: "Still broken after the firmware update.", notBody: "Has the firmware update helped?"},
	"36-gmail-html-reply.eml":   {outcome: rapport.MailReply, ticket: "T1", reason: "subject tag", body: "Yes, tray 2 again.", notBody: "Which tray jams?"},
}

// TestCorpus files every corpus mail in order (the replies need the
// tickets made before them) and checks what became of each, then files
// the whole corpus again: nothing is stored or done twice.
func TestCorpus(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCorpusDesk(t, db)
		corpus := readCorpus(t)
		names := slices.Sorted(maps.Keys(corpus))
		if len(names) != len(corpusWant) {
			t.Fatalf("%d corpus files, %d expectations: every file needs one", len(names), len(corpusWant))
		}
		for _, n := range names {
			w, ok := corpusWant[n]
			if !ok {
				t.Fatalf("%s: no expectation", n)
			}
			m, dup, err := c.r.Receive(ctx, corpus[n], "smtp")
			if err != nil {
				t.Fatalf("%s: %v", n, err)
			}
			if dup {
				t.Fatalf("%s: filed as a duplicate the first time", n)
			}
			c.check(t, n, w, m)
		}
		// Pat's five replies are on ticket 1 as public messages; the
		// stranger's mails changed nothing there.
		evs, _, _ := db.FindEvents(ctx, rapport.EventFilter{TicketID: c.tickets["T1"], IncludeInternal: true})
		if len(evs) != 1+5 {
			t.Errorf("ticket 1 has %d events, want 6 (created and Pat's five replies)", len(evs))
		}
		for _, e := range evs[1:] {
			if e.Actor.ID != c.pat.ID || e.Type != rapport.EventMessage || e.Data["mail_id"] == "" {
				t.Errorf("ticket 1 event %+v: want Pat's message from mail", e)
			}
		}
		t2, _ := db.FindTicketByID(ctx, c.tickets["T2"])
		if t2.FirstResponseAt == nil {
			t.Errorf("ticket 2: Ann's reply by mail is not its first response")
		}
		t3, _ := db.FindTicketByID(ctx, c.tickets["T3"])
		if t3.Status != rapport.StatusNew || t3.ReopenCount != 1 {
			t.Errorf("ticket 3 status %s reopened %d times, want new after one reopen", t3.Status, t3.ReopenCount)
		}
		before, _, _ := db.FindTickets(ctx, rapport.TicketFilter{Limit: 500})
		for _, n := range names {
			m, dup, err := c.r.Receive(ctx, corpus[n], "imap")
			if err != nil || !dup {
				t.Fatalf("%s again: dup=%v err=%v, want a duplicate", n, dup, err)
			}
			if m.ID != 0 || m.TicketID != nil {
				t.Errorf("%s again: stored as %d on ticket %v", n, m.ID, m.TicketID)
			}
		}
		after, _, _ := db.FindTickets(ctx, rapport.TicketFilter{Limit: 500})
		if len(after) != len(before) {
			t.Errorf("filing the corpus again made %d tickets", len(after)-len(before))
		}
		all, _, err := db.FindInboundMails(ctx, rapport.MailFilter{Limit: 500})
		if err != nil || len(all) != len(names) {
			t.Fatalf("%d mails stored (%v), want %d", len(all), err, len(names))
		}
		q, _, _ := db.FindInboundMails(ctx, rapport.MailFilter{Outcome: rapport.MailQuarantined})
		if len(q) != 2 {
			t.Errorf("%d quarantined, want 2", len(q))
		}
	})
}

func (c *corpusDesk) check(t *testing.T, n string, w want, m *rapport.InboundMail) {
	t.Helper()
	ctx := context.Background()
	if m.Outcome != w.outcome {
		t.Errorf("%s: outcome %s (%s), want %s", n, m.Outcome, m.Reason, w.outcome)
	}
	if !strings.Contains(m.Reason, w.reason) {
		t.Errorf("%s: reason %q, want it to say %q", n, m.Reason, w.reason)
	}
	switch {
	case w.ticket == "" && m.TicketID != nil:
		t.Errorf("%s: on ticket %d, want none", n, *m.TicketID)
	case w.ticket == "new" && (m.TicketID == nil || *m.TicketID <= c.tickets["T3"]):
		t.Errorf("%s: ticket %v, want a new one", n, m.TicketID)
	case w.ticket != "" && w.ticket != "new" && (m.TicketID == nil || *m.TicketID != c.tickets[w.ticket]):
		t.Errorf("%s: ticket %v, want %s", n, m.TicketID, w.ticket)
	}
	if (w.from != "" || w.outcome == rapport.MailQuarantined) && m.FromAddr != w.from {
		t.Errorf("%s: from %q, want %q", n, m.FromAddr, w.from)
	}
	if w.name != "" && m.FromName != w.name {
		t.Errorf("%s: name %q, want %q", n, m.FromName, w.name)
	}
	if !strings.Contains(m.Subject, w.subject) {
		t.Errorf("%s: subject %q, want %q in it", n, m.Subject, w.subject)
	}
	if !strings.Contains(m.Body, w.body) || w.notBody != "" && strings.Contains(m.Body, w.notBody) {
		t.Errorf("%s: body %q, want %q in it and not %q", n, m.Body, w.body, w.notBody)
	}
	if !strings.Contains(m.HTML, w.html) || strings.Contains(m.HTML, "<script") || strings.Contains(m.HTML, "onclick") || strings.Contains(m.HTML, "javascript:") {
		t.Errorf("%s: sanitized HTML %q, want %q in it and nothing active", n, m.HTML, w.html)
	}
	if w.attach != "" && !slices.ContainsFunc(m.Attachments, func(a rapport.MailAttachment) bool { return a.Name == w.attach }) {
		t.Errorf("%s: attachments %v, want %s", n, m.Attachments, w.attach)
	}
	// What was stored is what was read, with the original whole.
	got, err := c.db.FindInboundMail(ctx, m.ID)
	if err != nil {
		t.Fatalf("%s: %v", n, err)
	}
	if got.Outcome != m.Outcome || got.Reason != m.Reason || !bytes.Equal(got.Raw, m.Raw) || got.Body != m.Body {
		t.Errorf("%s: stored %s %q (%d bytes), read %s %q (%d bytes)", n, got.Outcome, got.Reason, len(got.Raw), m.Outcome, m.Reason, len(m.Raw))
	}
	if m.Outcome != rapport.MailTicket {
		return
	}
	tk, err := c.db.FindTicketByID(ctx, *m.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Channel != rapport.ChannelEmail || tk.Priority != rapport.PriorityNormal || tk.Requester.Email != m.FromAddr || tk.Subject != m.Subject {
		t.Errorf("%s: ticket %+v, want a normal email ticket of %s", n, tk, m.FromAddr)
	}
	// A new sender's account is named from their display name.
	if u, _ := c.db.FindUserByID(ctx, tk.Requester.ID); w.name != "" && u.CreatedAt.Equal(m.ReceivedAt) && u.Name != w.name {
		t.Errorf("%s: requester named %q, want %q", n, u.Name, w.name)
	}
}
