package mail_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/mail/mailtest"
)

// received is one mail a test server accepted.
type received struct {
	from string
	to   []string
	data string
	tls  bool
	user string
}

// serverOpts configures a test server.
type serverOpts struct{ user, pass, rejectTo string }

// smtpServer is a real SMTP peer (emersion/go-smtp) run in the test.
type smtpServer struct {
	mu       sync.Mutex
	got      []received
	user     string // when set, AUTH PLAIN with user/pass is required
	pass     string
	rejectTo string // RCPT TO this address is refused with 550
	addr     string
}

type session struct {
	s    *smtpServer
	c    *smtp.Conn
	r    received
	auth bool
}

func (s *smtpServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, c: c}, nil
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.s.user || pass != s.s.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.auth, s.r.user = true, user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.s.user != "" && !s.auth {
		return smtp.ErrAuthRequired
	}
	s.r.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.s.rejectTo {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	s.r.to = append(s.r.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.r.data = string(b)
	_, s.r.tls = s.c.TLSConnectionState()
	s.s.mu.Lock()
	s.s.got = append(s.s.got, s.r)
	s.s.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.r = received{user: s.r.user} }
func (s *session) Logout() error { return nil }

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

// startSMTP starts an SMTP server: "plain" offers no STARTTLS, "starttls"
// offers it, "implicit" speaks TLS from the start (smtps).
func startSMTP(t *testing.T, mode string, s *smtpServer) *x509.CertPool {
	t.Helper()
	cert, pool := mailtest.SelfSigned(t)
	srv := smtp.NewServer(s)
	srv.Domain = "mx.example.test"
	srv.AllowInsecureAuth = true
	tc := &tls.Config{Certificates: []tls.Certificate{cert}}
	var l net.Listener
	var err error
	switch mode {
	case "implicit":
		l, err = tls.Listen("tcp", "127.0.0.1:0", tc)
	case "starttls":
		srv.TLSConfig = tc
		fallthrough
	default:
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return pool
}

func message() *mail.Message {
	return &mail.Message{
		FromName: "Rapport Help Desk", To: "pat@example.com", ToName: "Pat Doe",
		Subject:   "We have your request [#42]",
		MessageID: "<rapport.42.abc.sig@help.example.com>", InReplyTo: "<rapport.42.first.sig@help.example.com>",
		References:    []string{"<rapport.42.first.sig@help.example.com>"},
		AutoSubmitted: "auto-generated",
		Text:          "Hello Pat,\n\nWe have your request.", HTML: "<p>Hello Pat,</p><p>We have your request.</p>",
	}
}

func TestSend(t *testing.T) {
	tests := []struct {
		name     string
		mode     string
		scheme   string
		userinfo string
		server   serverOpts
		msg      func(*mail.Message)
		wantTLS  bool
		wantErr  string // "" ok, "retry" plain error, "rejected" *RejectedError
	}{
		{name: "no STARTTLS offered: plain", mode: "plain", scheme: "smtp"},
		{name: "STARTTLS offered: taken", mode: "starttls", scheme: "smtp", wantTLS: true},
		{name: "smtps: implicit TLS", mode: "implicit", scheme: "smtps", wantTLS: true},
		{name: "login", mode: "starttls", scheme: "smtp", userinfo: "desk:s3cret@", server: serverOpts{user: "desk", pass: "s3cret"}, wantTLS: true},
		{name: "wrong password: retried", mode: "starttls", scheme: "smtp", userinfo: "desk:wrong@", server: serverOpts{user: "desk", pass: "s3cret"}, wantErr: "retry"},
		{name: "recipient refused: rejected", mode: "plain", scheme: "smtp", server: serverOpts{rejectTo: "pat@example.com"}, wantErr: "rejected"},
		{name: "a person's reply: no Auto-Submitted", mode: "plain", scheme: "smtp", msg: func(m *mail.Message) { m.AutoSubmitted = "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := &smtpServer{user: tc.server.user, pass: tc.server.pass, rejectTo: tc.server.rejectTo}
			pool := startSMTP(t, tc.mode, srv)
			s, err := mail.NewSender(tc.scheme+"://"+tc.userinfo+srv.addr, "help@help.example.com")
			if err != nil {
				t.Fatal(err)
			}
			s.TLSConfig = &tls.Config{RootCAs: pool}
			s.Timeout = 10 * time.Second
			m := message()
			if tc.msg != nil {
				tc.msg(m)
			}
			err = s.Send(context.Background(), m)
			var rejected *mail.RejectedError
			switch tc.wantErr {
			case "":
				if err != nil {
					t.Fatal(err)
				}
			case "retry":
				if err == nil || errors.As(err, &rejected) {
					t.Fatalf("err = %v, want a retryable error", err)
				}
				if len(srv.received()) != 0 {
					t.Fatal("mail delivered despite the error")
				}
				return
			case "rejected":
				if !errors.As(err, &rejected) {
					t.Fatalf("err = %v, want *RejectedError", err)
				}
				return
			}
			got := srv.received()
			if len(got) != 1 {
				t.Fatalf("server received %d mails", len(got))
			}
			r := got[0]
			if r.tls != tc.wantTLS {
				t.Errorf("TLS = %v, want %v", r.tls, tc.wantTLS)
			}
			if r.from != "help@help.example.com" || strings.Join(r.to, ",") != "pat@example.com" {
				t.Errorf("envelope %s -> %v", r.from, r.to)
			}
			if tc.server.user != "" && r.user != tc.server.user {
				t.Errorf("signed in as %q", r.user)
			}
			pm, err := netmail.ReadMessage(strings.NewReader(r.data))
			if err != nil {
				t.Fatal(err)
			}
			h := pm.Header
			for k, want := range map[string]string{
				"Message-Id":  m.MessageID,
				"In-Reply-To": m.InReplyTo,
				"References":  strings.Join(m.References, " "),
				"Subject":     m.Subject,
			} {
				if h.Get(k) != want {
					t.Errorf("%s = %q, want %q", k, h.Get(k), want)
				}
			}
			if got := h.Get("Auto-Submitted"); got != m.AutoSubmitted {
				t.Errorf("Auto-Submitted = %q, want %q", got, m.AutoSubmitted)
			}
			if to, err := h.AddressList("To"); err != nil || to[0].Name != "Pat Doe" {
				t.Errorf("To = %v (%v)", to, err)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "multipart/alternative") {
				t.Errorf("Content-Type = %q", h.Get("Content-Type"))
			}
			if !strings.Contains(r.data, "We have your request.") || !strings.Contains(r.data, "text/html") {
				t.Errorf("body lacks the text or the HTML part:\n%s", r.data)
			}
		})
	}
}

func TestNewSender(t *testing.T) {
	for _, bad := range []string{"http://mx:25", "smtp://", "smtp://mx:port"} {
		if _, err := mail.NewSender(bad, "help@example.com"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := mail.NewSender("smtp://mx:25", ""); err == nil {
		t.Error("no sender address accepted")
	}
	s, err := mail.NewSender("smtps://u:p@mx.example.com", "help@desk.example.com")
	if err != nil || s.Domain() != "desk.example.com" {
		t.Fatalf("%v %v", s, err)
	}
}
