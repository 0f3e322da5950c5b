package mail_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// listen starts an SMTP listener for r on a free loopback port.
func listen(t testing.TB, r *mail.Receiver, maxBytes int64) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &mail.Listener{Receiver: r, MaxBytes: maxBytes, Domain: "rapport.test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("listener: %v", err)
		}
	})
	return ln.Addr().String()
}

// send delivers raw over SMTP and returns the server's answer to DATA.
func send(t testing.TB, addr, from string, raw []byte) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	if err := c.Rcpt("help@rapport.test", nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func smtpCode(err error) int {
	var e *smtp.SMTPError
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// TestSMTPListener: 250 only once the mail is stored (its ticket is there
// to read), the same message again makes nothing new, a store failure
// answers 451 so the sender retries, a message past the size limit is
// refused, and an empty envelope sender marks automatic mail.
func TestSMTPListener(t *testing.T) {
	corpus := readCorpus(t)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := &mail.Receiver{Desk: desk.New(db), Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
		addr := listen(t, r, 64<<10)
		tickets := func() int {
			tk, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			return len(tk)
		}
		if err := send(t, addr, "sam.okafor@gmail.com", corpus["02-gmail-new.eml"]); err != nil {
			t.Fatalf("first delivery: %v", err)
		}
		if n := tickets(); n != 1 {
			t.Fatalf("%d tickets once the listener said 250, want 1", n)
		}
		if err := send(t, addr, "sam.okafor@gmail.com", corpus["02-gmail-new.eml"]); err != nil {
			t.Fatalf("second delivery: %v", err)
		}
		if n := tickets(); n != 1 {
			t.Fatalf("%d tickets after the same message again, want 1", n)
		}

		down := &mail.Receiver{Desk: desk.New(failingStore{db}), Parser: r.Parser}
		err := send(t, listen(t, down, 0), "mia.wong@example.com", corpus["12-base64-body.eml"])
		if smtpCode(err) != 451 {
			t.Fatalf("store failure answered %v, want 451 (try again later)", err)
		}

		big := append([]byte("From: Big <big@example.com>\r\nSubject: big\r\nMessage-ID: <big-1@example.com>\r\n\r\n"), []byte(strings.Repeat(strings.Repeat("x", 76)+"\r\n", 1500))...)
		if err := send(t, addr, "big@example.com", big); smtpCode(err) != 552 {
			t.Fatalf("a message past the size limit answered %v, want 552", err)
		}

		if err := send(t, addr, "", corpus["31-null-sender.eml"]); err != nil {
			t.Fatal(err)
		}
		ms, _, _ := db.FindInboundMails(ctx, rapport.MailFilter{Limit: 10})
		if len(ms) != 2 || ms[0].Outcome != rapport.MailIgnored || ms[0].Reason != mail.NoiseNullSender {
			t.Fatalf("mails %+v, want the null-sender mail ignored on top of the first", ms)
		}
		if n := tickets(); n != 1 {
			t.Fatalf("%d tickets, want 1", n)
		}
	})
}

// BenchmarkSMTPToTicket measures the time from handing a mail to the SMTP
// listener to its ticket being readable: p50 and p99 over b.N mails.
func BenchmarkSMTPToTicket(b *testing.B) {
	eachB(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		d := desk.New(db)
		d.MailLimit = desk.MailLimit{Tickets: 1 << 30, Per: time.Hour}
		r := &mail.Receiver{Desk: d, Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}
		addr := listen(b, r, 0)
		c, err := smtp.Dial(addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			raw := []byte("From: Sam Okafor <sam@example.com>\r\nTo: help@rapport.test\r\nSubject: Wi-Fi drops " +
				itoa(i) + "\r\nMessage-ID: <bench-" + itoa(i) + "-" + b.Name() + "@example.com>\r\n" +
				"Content-Type: text/plain; charset=utf-8\r\n\r\nThe office Wi-Fi drops every few minutes.\r\n")
			start := time.Now()
			if err := c.Mail("sam@example.com", nil); err != nil {
				b.Fatal(err)
			}
			if err := c.Rcpt("help@rapport.test", nil); err != nil {
				b.Fatal(err)
			}
			w, err := c.Data()
			if err != nil {
				b.Fatal(err)
			}
			w.Write(raw)
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			tk, _, err := db.FindTickets(ctx, rapport.TicketFilter{Limit: 1})
			if err != nil || len(tk) == 0 || !strings.HasSuffix(tk[0].Subject, " "+itoa(i)) {
				b.Fatalf("ticket %d not visible after 250: %v %v", i, tk, err)
			}
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		reportPercentiles(b, lat)
	})
}
