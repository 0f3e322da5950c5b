package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestJobsCommand: rapport jobs lists the dead job with its error and
// retry gives it fresh attempts; a bad or unknown id is a plain error.
func TestJobsCommand(t *testing.T) {
	eachDB(t, func(t *testing.T, ctx context.Context, db *store.DB) {
		var err error
		now := rapport.Now()
		j := &rapport.Job{Kind: "notice", Payload: []byte(`{}`), MaxAttempts: 1, CreatedAt: now}
		err = db.Update(ctx, func(tx rapport.Tx) error {
			if err := tx.EnqueueJob(ctx, j); err != nil {
				return err
			}
			if _, err := tx.ClaimJobs(ctx, rapport.JobClaim{Kinds: []string{"notice"}, Now: now, Lease: "l", LeaseUntil: now.Add(time.Minute), Limit: 1}); err != nil {
				return err
			}
			return tx.FailJob(ctx, j.ID, "l", "dial tcp 10.0.0.1:25: connection refused", nil, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := runCmd(t, "jobs", "list", "--state", "dead")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, fmt.Sprintf("%d  ", j.ID)) || !strings.Contains(out, "notice") || !strings.Contains(out, "connection refused") || !strings.Contains(out, "1/1") {
			t.Fatalf("jobs list:\n%s", out)
		}
		if out, err = runCmd(t, "jobs", "retry", fmt.Sprint(j.ID)); err != nil || !strings.Contains(out, "will run again") {
			t.Fatalf("jobs retry: %q %v", out, err)
		}
		if out, _ = runCmd(t, "jobs", "--state", "dead"); !strings.Contains(out, "No jobs.") {
			t.Fatalf("after retry, dead jobs:\n%s", out)
		}
		if out, _ = runCmd(t, "jobs"); !strings.Contains(out, "ready") {
			t.Fatalf("after retry, all jobs:\n%s", out)
		}
		for args, want := range map[string]string{
			"jobs retry":            "needs a job number",
			"jobs retry x":          "needs a job number",
			"jobs retry 999999":     "There is no dead job 999999",
			"jobs list --state old": "The state must be ready, running or dead",
			"jobs bury":             "unknown command",
		} {
			if _, err := runCmd(t, strings.Fields(args)...); err == nil || !strings.Contains(describe(err), want) {
				t.Errorf("%s: %v, want %q", args, err, want)
			}
		}
	})
}

// mailbox is an in-process SMTP server (emersion/go-smtp) for serve.
type mailbox struct {
	mu   sync.Mutex
	msgs []*netmail.Message
}

type mailboxSession struct{ b *mailbox }

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return mailboxSession{b}, nil }
func (s mailboxSession) Mail(string, *smtp.MailOptions) error  { return nil }
func (s mailboxSession) Rcpt(string, *smtp.RcptOptions) error  { return nil }
func (s mailboxSession) Data(r io.Reader) error {
	m, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.ReadAll(m.Body)
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, m)
	s.b.mu.Unlock()
	return nil
}
func (s mailboxSession) Reset()        {}
func (s mailboxSession) Logout() error { return nil }

// TestServeSendsNotices: rapport serve with RAPPORT_SMTP_URL mails the
// requester a receipt for a ticket made over the API, then shuts down
// cleanly.
func TestServeSendsNotices(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	t.Setenv("RAPPORT_DB", dsn)
	box := &mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "mx.example.test"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()
	t.Setenv("RAPPORT_SMTP_URL", "smtp://"+l.Addr().String())
	t.Setenv("RAPPORT_MAIL_FROM", "help@help.example.com")
	if _, err := runCmd(t, "user", "add", "--email", "pat@example.com", "--name", "Pat Doe", "--role", "requester"); err != nil {
		t.Fatal(err)
	}
	tok, err := runCmd(t, "token", "create", "--email", "pat@example.com")
	if err != nil {
		t.Fatal(err)
	}
	base := startServe(t)
	req, _ := http.NewRequest("POST", base+"/api/v1/tickets", strings.NewReader(`{"subject":"Printer jam","body":"Paper stuck","impact":{}}`))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("create ticket = %d", res.StatusCode)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		box.mu.Lock()
		n := len(box.msgs)
		box.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no notice mailed")
		}
	}
	box.mu.Lock()
	defer box.mu.Unlock()
	m := box.msgs[0]
	if !strings.Contains(m.Header.Get("Subject"), "We have your request: Printer jam") || !strings.Contains(m.Header.Get("To"), "pat@example.com") {
		t.Fatalf("mail: %v", m.Header)
	}
	if !strings.HasSuffix(m.Header.Get("Message-Id"), "@help.example.com>") {
		t.Errorf("Message-ID %q is not of the desk's domain", m.Header.Get("Message-Id"))
	}
}
