package ui_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestMailPages: an administrator sees the quarantine (the default) and
// all mail, reads one mail with its HTML sanitized inside a sandboxed
// frame, and downloads the original; others are refused the list, and a
// requester is refused a mail.
func TestMailPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.add(t, "root@example.com", rapport.RoleAdmin)
		r := &mail.Receiver{Desk: f.desk, Parser: mail.Parser{IDs: mail.IDs{Key: []byte("k")}, Own: "help@example.com"}}
		ctx := context.Background()
		raw := "From: Pat <pat@example.com>\r\nSubject: Printer jams\r\nMessage-ID: <p1@example.com>\r\nContent-Type: text/html\r\n\r\n" +
			"<p onclick=\"x()\">It jams on tray 2.</p><script>alert(1)</script>\r\n"
		good, _, err := r.Receive(ctx, []byte(raw), "smtp")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Receive(ctx, []byte("Subject: Who sent this\r\n\r\nNo sender.\r\n"), "imap"); err != nil {
			t.Fatal(err)
		}
		admin := f.client(t)
		f.signIn(t, admin, "root@example.com")
		res, body := f.do(t, admin, "GET", "/mail", nil, nil)
		if res.StatusCode != 200 || !strings.Contains(body, "Who sent this") || strings.Contains(body, "Printer jams") {
			t.Fatalf("GET /mail = %d, want the quarantine only:\n%s", res.StatusCode, body)
		}
		res, body = f.do(t, admin, "GET", "/mail?outcome=", nil, nil)
		if res.StatusCode != 200 || !strings.Contains(body, "Who sent this") || !strings.Contains(body, "Printer jams") {
			t.Fatalf("GET /mail?outcome= = %d, want all mail:\n%s", res.StatusCode, body)
		}
		if res, _ := f.do(t, admin, "GET", "/mail?outcome=lost", nil, nil); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown outcome = %d, want 422", res.StatusCode)
		}
		path := "/mail/" + strconv.FormatInt(good.ID, 10)
		res, body = f.do(t, admin, "GET", path, nil, nil)
		if res.StatusCode != 200 || !strings.Contains(body, `sandbox srcdoc="`) || !strings.Contains(body, "It jams on tray 2.") ||
			strings.Contains(body, "<script>alert") || strings.Contains(body, "onclick") {
			t.Fatalf("GET %s = %d:\n%s", path, res.StatusCode, body)
		}
		res, body = f.do(t, admin, "GET", path+"/raw", nil, nil)
		if res.StatusCode != 200 || body != raw || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("GET %s/raw = %d %v", path, res.StatusCode, res.Header)
		}

		agent := f.client(t)
		f.signIn(t, agent, "ann@example.com")
		if res, _ := f.do(t, agent, "GET", "/mail", nil, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("agent GET /mail = %d, want 403", res.StatusCode)
		}
		if res, _ := f.do(t, agent, "GET", path, nil, nil); res.StatusCode != 200 {
			t.Fatalf("agent GET %s = %d, want 200", path, res.StatusCode)
		}
		pat := f.client(t)
		f.signIn(t, pat, "pat@example.com")
		if res, _ := f.do(t, pat, "GET", path, nil, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("requester GET %s = %d, want 403", path, res.StatusCode)
		}
	})
}
