package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/smtp"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestServeReceivesMail runs rapport serve with --smtp-listen and checks
// the mail rules PRODUCT.md fixes: mail from an unknown address makes a
// requester and an email ticket; a reply naming a Message-ID Rapport made
// lands on that ticket's timeline; automatic mail makes no ticket.
func TestServeReceivesMail(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			t.Setenv("RAPPORT_DB", dsn)
			if _, err := runCmd(t, "user", "add", "--email", "ann@example.com", "--name", "Ann", "--role", "agent"); err != nil {
				t.Fatal(err)
			}
			tok, err := runCmd(t, "token", "create", "--email", "ann@example.com")
			if err != nil {
				t.Fatal(err)
			}
			smtpAddr := freeAddr(t)
			base := startServe(t, "--smtp-listen", smtpAddr, "--mail-from", "help@rapport.test")
			get := func(path string) map[string]any {
				req, _ := http.NewRequest("GET", base+path, nil)
				req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var out map[string]any
				if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
					t.Fatalf("GET %s = %d %v", path, res.StatusCode, err)
				}
				return out
			}
			deliver := func(from, headers, body string) {
				t.Helper()
				msg := "From: " + from + "\r\nTo: help@rapport.test\r\n" + headers + "Content-Type: text/plain\r\n\r\n" + body + "\r\n"
				if err := smtp.SendMail(smtpAddr, nil, addrOf(from), []string{"help@rapport.test"}, []byte(msg)); err != nil {
					t.Fatalf("SMTP: %v", err)
				}
			}
			deliver("New Person <new.person@example.com>", "Subject: VPN is down\r\nMessage-ID: <e2e-1@example.com>\r\n", "The VPN says access denied.")
			tickets := get("/api/v1/tickets")["tickets"].([]any)
			if len(tickets) != 1 {
				t.Fatalf("tickets = %v, want the one mail made", tickets)
			}
			tk := tickets[0].(map[string]any)
			if tk["requester"].(map[string]any)["email"] != "new.person@example.com" || tk["priority"] != "normal" || tk["channel"] != "email" {
				t.Fatalf("ticket = %v", tk)
			}
			id := int64(tk["id"].(float64))

			// The Message-ID of a notice Rapport sent about the ticket, signed
			// with the site's key.
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			key, err := db.Secret(context.Background(), mail.SecretName)
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			notice := mail.IDs{Key: key, Domain: "rapport.test"}.New(id, "received")
			deliver("new.person@example.com", "Subject: Re: VPN is down\r\nMessage-ID: <e2e-2@example.com>\r\nIn-Reply-To: "+notice+"\r\n",
				"It works from home but not from the office.\r\n\r\nOn Mon, Help Desk wrote:\r\n> We received your request.")
			deliver("new.person@example.com", "Subject: Out of office\r\nMessage-ID: <e2e-3@example.com>\r\nAuto-Submitted: auto-replied\r\nIn-Reply-To: "+notice+"\r\n", "I am away.")
			deliver("robot@example.com", "Subject: Newsletter\r\nMessage-ID: <e2e-4@example.com>\r\nPrecedence: bulk\r\n", "News.")

			events := get(fmt.Sprintf("/api/v1/tickets/%d/timeline", id))["events"].([]any)
			if len(events) != 2 || events[1].(map[string]any)["body"] != "It works from home but not from the office." {
				t.Fatalf("timeline = %v, want the reply, trimmed, after the request", events)
			}
			if n := len(get("/api/v1/tickets")["tickets"].([]any)); n != 1 {
				t.Fatalf("%d tickets, want 1: automatic mail makes none", n)
			}
		})
	}
}

// addrOf is the bare address of a From value, for the envelope.
func addrOf(from string) string {
	if i := strings.IndexByte(from, '<'); i >= 0 {
		return strings.TrimSuffix(from[i+1:], ">")
	}
	return from
}
