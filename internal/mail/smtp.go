package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// DefaultMaxMessageBytes is the largest message the SMTP listener takes.
const DefaultMaxMessageBytes = 25 << 20

// storeTimeout bounds filing one message before the sender is told to
// try again later.
const storeTimeout = 30 * time.Second

// Listener is the inbound SMTP listener (RAPPORT_SMTP_LISTEN): the last
// hop of mail to the help desk. It takes mail for any recipient (it is
// the help desk's own door, never a relay: nothing it receives is sent
// on), answers 250 only once the message is committed, and 451 when
// storing failed, so the sending server keeps it and tries again.
type Listener struct {
	Receiver *Receiver
	// MaxBytes is DefaultMaxMessageBytes when zero; larger messages are
	// refused with 552 before they are stored.
	MaxBytes int64
	// Domain is the name the listener greets with.
	Domain string
	Log    *slog.Logger

	server *smtp.Server
}

// Serve answers SMTP on ln until ctx ends.
func (l *Listener) Serve(ctx context.Context, ln net.Listener) error {
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{l: l, ctx: ctx}, nil
	}))
	s.Domain = l.Domain
	if s.Domain == "" {
		s.Domain = "localhost"
	}
	s.MaxMessageBytes = l.MaxBytes
	if s.MaxMessageBytes <= 0 {
		s.MaxMessageBytes = DefaultMaxMessageBytes
	}
	s.MaxRecipients = 100
	s.ReadTimeout, s.WriteTimeout = 5*time.Minute, time.Minute
	// No AUTH is offered: the listener only delivers to the help desk.
	s.AllowInsecureAuth = false
	l.server = s
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			s.Shutdown(sctx)
		case <-done:
		}
	}()
	err := s.Serve(ln)
	close(done)
	if errors.Is(err, smtp.ErrServerClosed) || ctx.Err() != nil {
		return nil
	}
	return err
}

// ListenAndServe listens on addr and serves until ctx ends.
func (l *Listener) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return l.Serve(ctx, ln)
}

type session struct {
	l    *Listener
	ctx  context.Context
	from string
	rcpt int
}

func (s *session) Reset()        { s.from, s.rcpt = "", 0 }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(string, *smtp.RcptOptions) error {
	s.rcpt++
	return nil
}

var errTryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
	Message: "The help desk could not store this message just now; please try again later"}

func (s *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	// As the final delivery agent, the listener records the envelope
	// sender (RFC 5321 4.4): an empty one marks automatic mail.
	buf.WriteString("Return-Path: <" + strings.Map(noCRLF, s.from) + ">\r\n")
	if _, err := io.Copy(&buf, r); err != nil {
		return err // too large (552) or the connection broke: nothing stored
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), storeTimeout)
	defer cancel()
	m, dup, err := s.l.Receiver.Receive(ctx, buf.Bytes(), "smtp")
	if err != nil {
		s.l.log().Error("inbound mail not stored; the sender will retry", "err", err, "from", s.from)
		return errTryLater
	}
	s.l.log().Info("inbound mail", "id", m.ID, "outcome", m.Outcome, "reason", m.Reason, "duplicate", dup)
	return nil
}

func noCRLF(r rune) rune {
	if r == '\r' || r == '\n' {
		return -1
	}
	return r
}

func (l *Listener) log() *slog.Logger {
	if l.Log == nil {
		return slog.Default()
	}
	return l.Log
}
