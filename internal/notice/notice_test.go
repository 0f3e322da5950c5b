package notice_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/jobs"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/mail/mailtest"
	"github.com/rapportdesk/rapport/internal/notice"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// inbox is an in-process SMTP server (emersion/go-smtp, a real SMTP peer)
// keeping what it receives.
type inbox struct {
	mu       sync.Mutex
	mails    []*netmail.Message
	raw      []string
	user     string // required login, when set
	pass     string
	addr     string
	roots    *x509.CertPool // trusts the server's certificate (STARTTLS)
	attempts atomic.Int32
}

type inboxSession struct {
	in   *inbox
	auth bool
}

func (in *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &inboxSession{in: in}, nil }

func (s *inboxSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *inboxSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		s.in.attempts.Add(1)
		s.in.mu.Lock()
		ok := user == s.in.user && pass == s.in.pass
		s.in.mu.Unlock()
		if !ok {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.auth = true
		return nil
	}), nil
}
func (s *inboxSession) Mail(string, *smtp.MailOptions) error {
	if s.in.user != "" && !s.auth {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (s *inboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *inboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := netmail.ReadMessage(strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	s.in.mu.Lock()
	s.in.mails, s.in.raw = append(s.in.mails, m), append(s.in.raw, string(b))
	s.in.mu.Unlock()
	return nil
}
func (s *inboxSession) Reset()        {}
func (s *inboxSession) Logout() error { return nil }

func (in *inbox) to(addr string) []*netmail.Message {
	in.mu.Lock()
	defer in.mu.Unlock()
	var out []*netmail.Message
	for _, m := range in.mails {
		if strings.Contains(m.Header.Get("To"), addr) {
			out = append(out, m)
		}
	}
	return out
}

func (in *inbox) count() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.mails)
}

func startInbox(t *testing.T, in *inbox) {
	t.Helper()
	srv := smtp.NewServer(in)
	srv.Domain, srv.AllowInsecureAuth = "mx.example.test", true
	cert, pool := mailtest.SelfSigned(t)
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	in.roots = pool
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
}

func as(u *rapport.User) context.Context { return rapport.NewContextWithUser(context.Background(), u) }

// rig is a desk with notices on, a runner and a mailer sending to an inbox.
type rig struct {
	db     *store.DB
	d      *desk.Desk
	in     *inbox
	mailer *notice.Mailer
	runner *jobs.Runner
	done   chan struct{}
}

func newRig(t *testing.T, db *store.DB, in *inbox, userinfo string) *rig {
	t.Helper()
	ctx := context.Background()
	startInbox(t, in)
	d := desk.New(db)
	d.Notices = true
	sender, err := mail.NewSender("smtp://"+userinfo+in.addr, "help@help.example.com")
	if err != nil {
		t.Fatal(err)
	}
	sender.Timeout = 10 * time.Second
	sender.TLSConfig = &tls.Config{RootCAs: in.roots}
	key, err := db.Secret(ctx, mail.SecretName)
	if err != nil {
		t.Fatal(err)
	}
	m := &notice.Mailer{Desk: d, Store: db, Sender: sender, IDs: mail.IDs{Key: key, Domain: sender.Domain()},
		PublicURL: "https://help.example.com"}
	r := jobs.New(db)
	r.Poll = 5 * time.Millisecond
	r.Backoff = func(int) time.Duration { return time.Millisecond }
	m.Register(r)
	rg := &rig{db: db, d: d, in: in, mailer: m, runner: r, done: make(chan struct{}, 1000)}
	r.OnDone = func(*rapport.Job, error) { rg.done <- struct{}{} }
	return rg
}

func (rg *rig) start(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { rg.runner.Run(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
}

// settle waits until no job is left ready or running.
func (rg *rig) settle(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(20 * time.Second); ; {
		var busy int
		for _, st := range []rapport.JobState{rapport.JobReady, rapport.JobRunning} {
			js, err := rg.db.FindJobs(ctx, rapport.JobFilter{State: st})
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range js {
				if !j.RunAt.After(time.Now().Add(time.Minute)) { // a reminder due tomorrow is not pending work
					busy++
				}
			}
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still pending", busy)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func add(t *testing.T, d *desk.Desk, email, name string, role rapport.Role) *rapport.User {
	t.Helper()
	u, err := d.AddUser(context.Background(), email, name, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func one(t *testing.T, in *inbox, addr, subject string) *netmail.Message {
	t.Helper()
	var found []*netmail.Message
	for _, m := range in.to(addr) {
		if strings.Contains(m.Header.Get("Subject"), subject) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d mails to %s with subject %q, want 1 (all to them: %d)", len(found), addr, subject, len(in.to(addr)))
	}
	return found[0]
}

func body(t *testing.T, m *netmail.Message) string {
	t.Helper()
	b, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNoticesFollowTheTicket walks a ticket through its life and checks
// who is told what: each notice once, threaded, with the right
// Auto-Submitted, and an internal note in none.
func TestNoticesFollowTheTicket(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		in := &inbox{}
		rg := newRig(t, db, in, "")
		d := rg.d
		pat := add(t, d, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		sam := add(t, d, "sam@example.com", "Sam Lee", rapport.RoleAgent)
		alex := add(t, d, "alex@example.com", "Alex Kim", rapport.RoleAdmin)
		rg.start(t)

		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Laptop will not start", Body: "Black screen."}})
		if err != nil {
			t.Fatal(err)
		}
		rg.settle(t)
		received := one(t, in, "pat@example.com", "We have your request")
		if got := received.Header.Get("Auto-Submitted"); got != "auto-generated" {
			t.Errorf("receipt Auto-Submitted = %q", got)
		}
		if b := body(t, received); !strings.Contains(b, "Hello Pat,") || !strings.Contains(b, "number 1 in the queue") {
			t.Errorf("receipt:\n%s", b)
		}
		if n := len(in.to("sam@example.com")); n != 0 {
			t.Errorf("staff got %d mails about a normal ticket", n)
		}

		const secret = "Pat is on the watch list"
		if _, err := d.AddMessage(as(sam), tk.ID, secret, true); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Assign(as(alex), tk.ID, sam.Email); err != nil {
			t.Fatal(err)
		}
		if _, err := d.AddMessage(as(sam), tk.ID, "Please hold the power button for 30 seconds.", false); err != nil {
			t.Fatal(err)
		}
		if _, err := d.AddMessage(as(pat), tk.ID, "Still black, sorry.", false); err != nil {
			t.Fatal(err)
		}
		until := rapport.Now().Add(72 * time.Hour)
		if _, err := d.Wait(as(sam), tk.ID, "A new battery is on its way.", &until); err != nil {
			t.Fatal(err)
		}
		later := until.Add(48 * time.Hour)
		if _, err := d.Wait(as(sam), tk.ID, "The supplier says there's been a delay.", &later); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Resolve(as(sam), tk.ID, "Replaced the battery."); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.Reopen(as(pat), tk.ID, "It died again."); err != nil {
			t.Fatal(err)
		}
		rg.settle(t)

		// A ticket's notices go out in the order of the changes.
		var subjects []string
		for _, m := range in.to("pat@example.com") {
			subjects = append(subjects, strings.Fields(m.Header.Get("Subject"))[0])
		}
		if got, want := strings.Join(subjects, " "), "We Re: An New Resolved: Reopened:"; got != want {
			t.Errorf("pat's mail in the order %q, want %q", got, want)
		}
		reply := one(t, in, "pat@example.com", "Re: Laptop")
		if got := reply.Header.Get("Auto-Submitted"); got != "" {
			t.Errorf("a staff reply carries Auto-Submitted: %q", got)
		}
		if got, want := reply.Header.Get("In-Reply-To"), received.Header.Get("Message-Id"); got != want {
			t.Errorf("reply In-Reply-To %q, want the receipt %q", got, want)
		}
		if !strings.Contains(body(t, reply), "hold the power button") {
			t.Error("the reply lacks the agent's words")
		}
		one(t, in, "sam@example.com", "is yours")
		if b := body(t, one(t, in, "sam@example.com", "Pat Doe replied")); !strings.Contains(b, "Still black, sorry.") {
			t.Errorf("requester's reply to the assignee:\n%s", b)
		}
		one(t, in, "pat@example.com", "An update on your request")
		changed := body(t, one(t, in, "pat@example.com", "New expected date"))
		if !strings.Contains(changed, until.UTC().Format("2 January 2006")) || !strings.Contains(changed, later.UTC().Format("2 January 2006")) {
			t.Errorf("date change lacks the dates:\n%s", changed)
		}
		one(t, in, "pat@example.com", "Resolved")
		one(t, in, "pat@example.com", "Reopened")
		if n := len(in.to("alex@example.com")); n != 0 {
			t.Errorf("the admin who assigned got %d mails", n)
		}
		if n := len(in.to("pat@example.com")); n != 6 {
			t.Errorf("pat got %d mails, want 6", n)
		}
		in.mu.Lock()
		for _, raw := range in.raw {
			if strings.Contains(raw, "watch list") {
				t.Errorf("an internal note went out by mail:\n%s", raw)
			}
		}
		in.mu.Unlock()
		// Every notice of the ticket threads on the first.
		refs := one(t, in, "pat@example.com", "Reopened").Header.Get("References")
		if !strings.HasPrefix(refs, received.Header.Get("Message-Id")) {
			t.Errorf("References %q do not start at the receipt", refs)
		}
		if ids := (mail.IDs{Key: rg.mailer.IDs.Key, Domain: "help.example.com"}).Tickets(refs); len(ids) != 1 || ids[0] != tk.ID {
			t.Errorf("References name tickets %v, want [%d]", ids, tk.ID)
		}
	})
}

// TestCriticalTellsStaff: a critical ticket is announced to every enabled
// member of staff, once each.
func TestCriticalTellsStaff(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		in := &inbox{}
		rg := newRig(t, db, in, "")
		d := rg.d
		pat := add(t, d, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		add(t, d, "sam@example.com", "Sam Lee", rapport.RoleAgent)
		add(t, d, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
		add(t, d, "other@example.com", "Other Person", rapport.RoleRequester)
		rg.start(t)
		if _, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Mail is down",
			Body: "Nobody can send mail.", Impact: rapport.Impact{Outage: true}}}); err != nil {
			t.Fatal(err)
		}
		rg.settle(t)
		for _, addr := range []string{"sam@example.com", "sue@example.com"} {
			if b := body(t, one(t, in, addr, "Critical ticket")); !strings.Contains(b, "a system is down for everyone") {
				t.Errorf("critical notice to %s:\n%s", addr, b)
			}
		}
		if n := len(in.to("other@example.com")); n != 0 {
			t.Errorf("a requester got %d staff notices", n)
		}
	})
}

// failingStore makes every update fail after fn ran: the change and its
// jobs must roll back together.
type failingStore struct{ rapport.Store }

func (s failingStore) Update(ctx context.Context, fn func(rapport.Tx) error) error {
	err := s.Store.Update(ctx, func(tx rapport.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errors.New("the commit failed")
	})
	return err
}

// TestNoNoticeWithoutCommit: a change that rolls back leaves no notice
// job; the same change committed leaves its notice.
func TestNoNoticeWithoutCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ok := desk.New(db)
		ok.Notices = true
		pat := add(t, ok, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		failing := desk.New(failingStore{db})
		failing.Notices = true
		in := desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Printer", Body: "Jammed."}}
		if _, err := failing.CreateTicket(as(pat), in); err == nil {
			t.Fatal("the failing create succeeded")
		}
		if js, err := db.FindJobs(ctx, rapport.JobFilter{}); err != nil || len(js) != 0 {
			t.Fatalf("after a rollback: jobs %v, %v", js, err)
		}
		tk, err := ok.CreateTicket(as(pat), in)
		if err != nil {
			t.Fatal(err)
		}
		js, err := db.FindJobs(ctx, rapport.JobFilter{})
		if err != nil || len(js) != 1 || js[0].Kind != desk.NoticeJob.Name || !strings.Contains(string(js[0].Payload), `"received"`) {
			t.Fatalf("after a commit: jobs %v, %v", js, err)
		}
		if _, err := failing.Resolve(as(pat), tk.ID, "It works now."); err == nil {
			t.Fatal("the failing resolve succeeded")
		}
		if js, _ := db.FindJobs(ctx, rapport.JobFilter{}); len(js) != 1 {
			t.Fatalf("a rolled-back resolve left %d jobs, want the receipt's 1", len(js))
		}
	})
}

// TestNoticeSentOnce: a notice job that runs again (its first run sent the
// mail, then the node died before finishing it) sends nothing more.
func TestNoticeSentOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		in := &inbox{}
		rg := newRig(t, db, in, "")
		pat := add(t, rg.d, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		if _, err := rg.d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "VPN", Body: "No connection."}}); err != nil {
			t.Fatal(err)
		}
		js, err := db.FindJobs(ctx, rapport.JobFilter{})
		if err != nil || len(js) != 1 {
			t.Fatalf("jobs %v %v", js, err)
		}
		var n desk.Notice
		if err := json.Unmarshal(js[0].Payload, &n); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := rg.mailer.Handle(ctx, js[0], n); err != nil {
				t.Fatal(err)
			}
		}
		if c := in.count(); c != 1 {
			t.Fatalf("%d mails for one notice handled three times", c)
		}
	})
}

// TestRateLimit: past PerHour automatic mails an address gets no more
// notices that hour, but a person's reply still goes out.
func TestRateLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		in := &inbox{}
		rg := newRig(t, db, in, "")
		rg.mailer.PerHour = 2
		pat := add(t, rg.d, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		sam := add(t, rg.d, "sam@example.com", "Sam Lee", rapport.RoleAgent)
		rg.start(t)
		var last *rapport.Ticket
		for i := range 4 {
			tk, err := rg.d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Request " + string(rune('A'+i)), Body: "b"}})
			if err != nil {
				t.Fatal(err)
			}
			last = tk
		}
		rg.settle(t)
		if n := len(in.to("pat@example.com")); n != 2 {
			t.Fatalf("%d receipts, want 2 (the limit)", n)
		}
		if _, err := rg.d.AddMessage(as(sam), last.ID, "I am on it.", false); err != nil {
			t.Fatal(err)
		}
		rg.settle(t)
		one(t, in, "pat@example.com", "Re: Request D")
	})
}

// TestLoginFailureRetriesThenDies: with a wrong SMTP password the notice
// is retried, then lands in the dead list with the server's answer; once
// the password is right, an admin's retry sends it.
func TestLoginFailureRetriesThenDies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		in := &inbox{user: "desk", pass: "right"}
		rg := newRig(t, db, in, "desk:wrong@")
		pat := add(t, rg.d, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		admin := add(t, rg.d, "alex@example.com", "Alex Kim", rapport.RoleAdmin)
		rg.start(t)
		if _, err := rg.d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Wifi", Body: "Slow."}}); err != nil {
			t.Fatal(err)
		}
		var dead []*rapport.Job
		for deadline := time.Now().Add(30 * time.Second); len(dead) == 0; time.Sleep(10 * time.Millisecond) {
			var err error
			if dead, err = rg.d.JobsAsAdmin(as(admin), rapport.JobFilter{State: rapport.JobDead}); err != nil {
				t.Fatal(err)
			}
			if time.Now().After(deadline) {
				t.Fatal("the notice never died")
			}
		}
		if dead[0].Attempts != desk.NoticeJob.MaxAttempts || !strings.Contains(dead[0].LastError, "535") {
			t.Errorf("dead job: attempts %d, last error %q", dead[0].Attempts, dead[0].LastError)
		}
		if got := int(in.attempts.Load()); got != desk.NoticeJob.MaxAttempts {
			t.Errorf("%d logins tried, want %d", got, desk.NoticeJob.MaxAttempts)
		}
		if in.count() != 0 {
			t.Fatal("mail delivered without login")
		}
		if _, err := rg.d.RetryJobAsAdmin(as(pat), dead[0].ID); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Errorf("a requester retried a job: %v", err)
		}
		in.mu.Lock()
		in.pass = "wrong" // the admin fixes the password (here: on the server's side)
		in.mu.Unlock()
		if _, err := rg.d.RetryJobAsAdmin(as(admin), dead[0].ID); err != nil {
			t.Fatal(err)
		}
		rg.settle(t)
		one(t, in, "pat@example.com", "We have your request")
		if _, err := db.FindJob(ctx, dead[0].ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Errorf("the retried job is still there: %v", err)
		}
	})
}

// TestHoldReminder: putting a ticket on hold with a date queues a reminder
// due the day before; when it runs it mails the requester, unless the
// date moved meanwhile (the moved date has its own reminder).
func TestHoldReminder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		in := &inbox{}
		rg := newRig(t, db, in, "")
		pat := add(t, rg.d, "pat@example.com", "Pat Doe", rapport.RoleRequester)
		sam := add(t, rg.d, "sam@example.com", "Sam Lee", rapport.RoleAgent)
		tk, err := rg.d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "New laptop", Body: "Mine is dying."}})
		if err != nil {
			t.Fatal(err)
		}
		until := rapport.Truncate(rapport.Now().Add(10 * 24 * time.Hour))
		if _, err := rg.d.Wait(as(sam), tk.ID, "The supplier ships it next week.", &until); err != nil {
			t.Fatal(err)
		}
		reminders := func() []*rapport.Job {
			js, err := db.FindJobs(ctx, rapport.JobFilter{State: rapport.JobReady})
			if err != nil {
				t.Fatal(err)
			}
			var out []*rapport.Job
			for _, j := range js {
				if strings.Contains(string(j.Payload), `"waiting-near"`) {
					out = append(out, j)
				}
			}
			return out
		}
		first := reminders()
		if len(first) != 1 || !first[0].RunAt.Equal(until.Add(-desk.HoldReminder)) {
			t.Fatalf("reminders %v, want one due %s", first, until.Add(-desk.HoldReminder))
		}
		var n desk.Notice
		if err := json.Unmarshal(first[0].Payload, &n); err != nil {
			t.Fatal(err)
		}
		// The date moves: the old reminder is moot.
		later := until.Add(7 * 24 * time.Hour)
		if _, err := rg.d.Wait(as(sam), tk.ID, "The supplier says there's been a delay.", &later); err != nil {
			t.Fatal(err)
		}
		if err := rg.mailer.Handle(ctx, first[0], n); err != nil {
			t.Fatal(err)
		}
		if got := len(in.to("pat@example.com")); got != 0 {
			t.Fatalf("the moot reminder sent %d mails", got)
		}
		// The new date's reminder, run when due, mails the requester.
		var second *rapport.Job
		for _, j := range reminders() {
			if j.ID != first[0].ID {
				second = j
			}
		}
		if second == nil || !second.RunAt.Equal(later.Add(-desk.HoldReminder)) {
			t.Fatalf("no reminder for the new date: %v", reminders())
		}
		if err := json.Unmarshal(second.Payload, &n); err != nil {
			t.Fatal(err)
		}
		if err := rg.mailer.Handle(ctx, second, n); err != nil {
			t.Fatal(err)
		}
		if b := body(t, one(t, in, "pat@example.com", "Coming up soon")); !strings.Contains(b, later.UTC().Format("Monday 2 January 2006")) {
			t.Fatalf("reminder:\n%s", b)
		}
	})
}
