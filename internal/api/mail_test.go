package api_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestMailEndpoints: administrators list received mail and the
// quarantine; staff read one mail (sanitized HTML) and download its
// original; requesters see none of it.
func TestMailEndpoints(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := &mail.Receiver{Desk: desk.New(db), Parser: mail.Parser{IDs: mail.IDs{Key: []byte("k")}, Own: "help@example.com"}}
		ctx := context.Background()
		html := "From: Pat <pat@example.com>\r\nSubject: Printer\r\nMessage-ID: <p1@example.com>\r\nContent-Type: text/html\r\n\r\n" +
			"<p onclick=\"x()\">It jams.</p><script>alert(1)</script>\r\n"
		good, _, err := r.Receive(ctx, []byte(html), "smtp")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Receive(ctx, []byte("Subject: no sender\r\n\r\nWho am I?\r\n"), "imap"); err != nil {
			t.Fatal(err)
		}
		q := e.must(200, e.admin, "GET", "/api/v1/mail/quarantine", "")
		list := q["mail"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["outcome"] != "quarantined" || list[0].(map[string]any)["source"] != "imap" {
			t.Fatalf("quarantine = %v, want the mail without a sender", q)
		}
		if all := e.must(200, e.admin, "GET", "/api/v1/mail?outcome=ticket", "")["mail"].([]any); len(all) != 1 {
			t.Fatalf("mail with a ticket = %v, want 1", all)
		}
		e.must(400, e.admin, "GET", "/api/v1/mail?outcome=lost", "")
		e.must(403, e.agent, "GET", "/api/v1/mail/quarantine", "")
		e.must(403, e.pat, "GET", "/api/v1/mail", "")

		path := "/api/v1/mail/" + strconv.FormatInt(good.ID, 10)
		one := e.must(200, e.agent, "GET", path, "")
		if h := one["html"].(string); !strings.Contains(h, "It jams.") || strings.Contains(h, "script") || strings.Contains(h, "onclick") {
			t.Fatalf("html = %q, want it sanitized", h)
		}
		if one["body"] != "It jams." || jsonNum(one["ticket_id"]) == "" {
			t.Fatalf("mail = %v", one)
		}
		e.must(403, e.pat, "GET", path, "")
		e.must(404, e.agent, "GET", "/api/v1/mail/999", "")

		req, _ := http.NewRequest("GET", e.url+path+"/raw", nil)
		req.Header.Set("Authorization", "Bearer "+e.agent)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(raw) != html || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
			res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Fatalf("raw = %d %q %v", res.StatusCode, raw, res.Header)
		}
	})
}
