package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one mail Rapport sends.
type Message struct {
	FromName string // the help desk's display name; the address is the Sender's
	To       string // address
	ToName   string
	Subject  string
	// MessageID, with its angle brackets, from IDs.New: stable per notice,
	// so a retried send is the same message to the receiving side.
	MessageID string
	// InReplyTo and References thread the mail on the ticket's earlier
	// mail (Message-IDs with brackets).
	InReplyTo  string
	References []string
	// AutoSubmitted is the RFC 3834 value: "auto-generated" for a notice,
	// "auto-replied" for a notice sent in direct answer to a mail, "" for
	// a person's words (a staff reply), which carry no such header.
	AutoSubmitted string
	Text, HTML    string
	Date          time.Time
}

// Sender sends mail through the server of RAPPORT_SMTP_URL.
type Sender struct {
	From      string // RAPPORT_MAIL_FROM
	host      string
	port      int
	implicit  bool // smtps://
	user      string
	pass      string
	hasAuth   bool
	TLSConfig *tls.Config // nil: the system's roots; tests set their own
	Timeout   time.Duration
}

// NewSender parses an SMTP URL: smtp://[user:pass@]host[:port] (STARTTLS
// whenever the server offers it; port 25 when not given) or smtps://
// (implicit TLS; port 465 when not given).
func NewSender(rawURL, from string) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: %w", err)
	}
	s := &Sender{From: from, host: u.Hostname(), Timeout: time.Minute}
	switch u.Scheme {
	case "smtp":
		s.port = 25
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, fmt.Errorf("smtp url: the scheme must be smtp:// or smtps://, not %q", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("smtp url: port %q", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		s.hasAuth = true
	}
	if from == "" {
		return nil, errors.New("no sender address: set RAPPORT_MAIL_FROM")
	}
	return s, nil
}

// Domain returns the domain of the sender address, for Message-IDs.
func (s *Sender) Domain() string {
	_, d, _ := strings.Cut(s.From, "@")
	return d
}

// RejectedError says the server refused the mail for good (a 5xx answer
// to the recipient or the content): sending it again cannot help.
type RejectedError struct{ Err error }

func (e *RejectedError) Error() string { return "the mail server refused the mail: " + e.Err.Error() }
func (e *RejectedError) Unwrap() error { return e.Err }

// Send delivers m. A temporary failure (the server unreachable, a 4xx
// answer, a refused login the admin can fix) returns a plain error to be
// retried; a permanent refusal of the mail itself a *RejectedError.
func (s *Sender) Send(ctx context.Context, m *Message) error {
	msg, err := s.build(m)
	if err != nil {
		return &RejectedError{err}
	}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.Timeout), gomail.WithHELO(s.helo())}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	tc := s.TLSConfig
	if tc == nil {
		tc = &tls.Config{}
	}
	tc = tc.Clone()
	if tc.ServerName == "" {
		tc.ServerName = s.host
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if s.hasAuth {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 &&
			(se.Reason == gomail.ErrSMTPRcptTo || se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose) {
			return &RejectedError{err}
		}
		return fmt.Errorf("send mail to %s: %w", m.To, err)
	}
	return nil
}

func (s *Sender) helo() string {
	if d := s.Domain(); d != "" {
		return d
	}
	return "localhost"
}

// build makes the go-mail message of m: plain text with an HTML
// alternative, threading headers and, for automatic mail, the headers that
// keep auto-responders quiet.
func (s *Sender) build(m *Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(m.FromName, s.From); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(gomail.HeaderMessageID, m.MessageID)
	if m.InReplyTo != "" {
		msg.SetGenHeader(gomail.HeaderInReplyTo, m.InReplyTo)
	}
	if len(m.References) > 0 {
		msg.SetGenHeader(gomail.HeaderReferences, strings.Join(m.References, " "))
	}
	if m.AutoSubmitted != "" {
		msg.SetGenHeader(gomail.Header("Auto-Submitted"), m.AutoSubmitted)
		// Exchange and Outlook honour this one instead of RFC 3834.
		msg.SetGenHeader(gomail.Header("X-Auto-Response-Suppress"), "All")
	}
	if m.Date.IsZero() {
		msg.SetDate()
	} else {
		msg.SetDateWithValue(m.Date)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
