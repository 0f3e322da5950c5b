package notice_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/jobs"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/notice"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// fakeClock is a time the test moves; every timer of the follow-through
// (the desk, the runner, the mailer) reads it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// unquote decodes a quoted-printable mail body, parts and all.
func unquote(t *testing.T, s string) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var surveyLink = regexp.MustCompile(`https://help\.example\.com/survey/[A-Za-z0-9._-]+`)

// TestCheckinMail: the check-in mail greets the person by their preferred
// name, asks the question with both one-click answers and the survey
// link (links in the HTML too); a complaint through that link tells the
// supervisors (not the agents) and thanks the person with what happens
// next.
func TestCheckinMail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		in := &inbox{}
		rg := newRig(t, db, in, "")
		c := &fakeClock{now: rapport.Now()}
		rg.d.Now = c.Now
		d := rg.d
		pat := add(t, d, "pat@example.com", "Patricia Doe", rapport.RoleRequester)
		pref := "Trish"
		if _, err := d.UpdateMyProfile(as(pat), rapport.ProfileUpdate{PreferredName: &pref}); err != nil {
			t.Fatal(err)
		}
		sam := add(t, d, "sam@example.com", "Sam Lee", rapport.RoleAgent)
		add(t, d, "sue@example.com", "Sue Park", rapport.RoleSupervisor)
		rg.start(t)
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Printer jams", Body: "Every page."}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.ClaimNext(as(sam)); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Resolve(as(sam), tk.ID, "Cleaned the rollers."); err != nil {
			t.Fatal(err)
		}
		c.Add(d.FollowUpAfter)
		if n, err := d.SendDueCheckins(context.Background()); err != nil || n != 1 {
			t.Fatalf("SendDueCheckins = %d, %v", n, err)
		}
		rg.settle(t)
		m := one(t, in, "pat@example.com", "Is everything still working?")
		b := unquote(t, body(t, m))
		for _, want := range []string{"Hello Trish,", "\"Printer jams\"", "/checkin/", "?answer=fixed", "?answer=back", "/survey/",
			"nothing changes until you press it", `<a href="https://help.example.com/survey/`} {
			if !strings.Contains(b, want) {
				t.Errorf("check-in mail lacks %q:\n%s", want, b)
			}
		}
		link := surveyLink.FindString(b)
		if link == "" {
			t.Fatalf("no survey link in:\n%s", b)
		}
		token := strings.TrimPrefix(link, "https://help.example.com/survey/")
		if _, err := d.AnswerSurveyByLink(context.Background(), token, rapport.SurveyAnswer{Score: 1, Comment: "Nobody called me back."}); err != nil {
			t.Fatal(err)
		}
		rg.settle(t)
		sup := unquote(t, body(t, one(t, in, "sue@example.com", "1 out of 5")))
		if !strings.Contains(sup, "Nobody called me back.") || !strings.Contains(sup, "Patricia Doe") {
			t.Errorf("supervisor's mail:\n%s", sup)
		}
		if n := len(in.to("sam@example.com")); n != 0 {
			t.Errorf("the agent got %d mails about the complaint", n)
		}
		if thanks := unquote(t, body(t, one(t, in, "pat@example.com", "Thank you for your feedback"))); !strings.Contains(thanks, "What happens next") {
			t.Errorf("thanks:\n%s", thanks)
		}
	})
}

// TestCheckinsOnceAcrossTwoNodes: two rapport serve nodes (each its own
// pool, desk, runner and mailer) on one database, both sending due
// check-ins, by the periodic task and by hand at once: every check-in is
// sent once, with one survey and one mail.
func TestCheckinsOnceAcrossTwoNodes(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, dialect)
			in := &inbox{}
			startInbox(t, in)
			c := &fakeClock{now: rapport.Now()}
			var desks [2]*desk.Desk
			var runners [2]*jobs.Runner
			for i := range 2 {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				d := desk.New(db)
				d.Now, d.Notices = c.Now, true
				sender, err := mail.NewSender("smtp://"+in.addr, "help@help.example.com")
				if err != nil {
					t.Fatal(err)
				}
				sender.TLSConfig = &tls.Config{RootCAs: in.roots}
				ids, err := mail.SiteIDs(ctx, db, "help@help.example.com")
				if err != nil {
					t.Fatal(err)
				}
				m := &notice.Mailer{Desk: d, Store: db, Sender: sender, IDs: ids, PublicURL: "https://help.example.com", Now: c.Now}
				r := jobs.New(db)
				r.Now, r.Poll = c.Now, 5*time.Millisecond
				m.Register(r)
				r.Every("send-due-checkins", time.Minute, func(ctx context.Context) error {
					_, err := d.SendDueCheckins(ctx)
					return err
				})
				desks[i], runners[i] = d, r
			}
			d := desks[0]
			sam := add(t, d, "sam@example.com", "Sam Lee", rapport.RoleAgent)
			const people = 12
			for i := range people {
				u := add(t, d, fmt.Sprintf("p%d@example.com", i), fmt.Sprintf("Person %d", i), rapport.RoleRequester)
				tk, err := d.CreateTicket(as(u), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Help", Body: "Please"}})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := d.ClaimNext(as(sam)); err != nil {
					t.Fatal(err)
				}
				if _, err := d.Resolve(as(sam), tk.ID, "Fixed."); err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range runners {
				runCtx, cancel := context.WithCancel(ctx)
				stopped := make(chan struct{})
				go func() { r.Run(runCtx); close(stopped) }()
				t.Cleanup(func() { cancel(); <-stopped })
			}
			c.Add(d.FollowUpAfter + time.Minute)
			var wg sync.WaitGroup
			for _, nd := range desks {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := nd.SendDueCheckins(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			checkinMails := func() int {
				n := 0
				for i := range people {
					for _, m := range in.to(fmt.Sprintf("p%d@example.com", i)) {
						if strings.Contains(m.Header.Get("Subject"), "Is everything still working?") {
							n++
						}
					}
				}
				return n
			}
			for deadline := time.Now().Add(20 * time.Second); checkinMails() < people; {
				if time.Now().After(deadline) {
					t.Fatalf("%d check-in mails, want %d", checkinMails(), people)
				}
				time.Sleep(10 * time.Millisecond)
			}
			c.Add(2 * time.Minute) // the periodic task runs again: nothing is left to send
			time.Sleep(200 * time.Millisecond)
			for i := range people {
				addr := fmt.Sprintf("p%d@example.com", i)
				one(t, in, addr, "Is everything still working?")
			}
			for id := int64(1); id <= people; id++ {
				cs, err := d.Checkins(as(sam), id)
				if err != nil || len(cs) != 1 || cs[0].SentAt == nil {
					t.Fatalf("ticket %d check-ins %+v, %v", id, cs, err)
				}
				if ss, err := d.Surveys(as(sam), id); err != nil || len(ss) != 1 {
					t.Fatalf("ticket %d surveys %+v, %v", id, ss, err)
				}
			}
		})
	}
}
