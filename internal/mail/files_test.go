package mail_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/mail"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestMailFilesAndNotices: a mailed request keeps its files with the ticket
// (downloadable like a portal upload), leaves out one over the size limit
// without losing the mail, and queues the same notices as a request from
// the portal: the requester's receipt, in the ticket's transaction.
func TestMailFilesAndNotices(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := desk.New(db)
		files, err := attach.Open(ctx, filepath.Join(t.TempDir(), "files"), 2048)
		if err != nil {
			t.Fatal(err)
		}
		d.Files, d.Notices = files, true
		r := &mail.Receiver{Desk: d, Parser: mail.Parser{IDs: corpusIDs, Own: "help@rapport.test"}}

		big := strings.Repeat("0123456789abcdef", 200) // 3,200 bytes: over 2 KB
		raw := []byte("From: Nia Park <nia.park@example.com>\r\nTo: help@rapport.test\r\n" +
			"Subject: Scanner error\r\nMessage-ID: <scan-1@example.com>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe scanner shows this error.\r\n" +
			"--b\r\nContent-Type: text/plain; name=\"error.txt\"\r\nContent-Disposition: attachment; filename=\"error.txt\"\r\n\r\nE42: paper jam in tray 2\r\n" +
			"--b\r\nContent-Type: text/plain; name=\"log.txt\"\r\nContent-Disposition: attachment; filename=\"log.txt\"\r\n\r\n" + big + "\r\n" +
			"--b--\r\n")
		m, dup, err := r.Receive(ctx, raw, "smtp")
		if err != nil || dup || m.Outcome != rapport.MailTicket || m.TicketID == nil {
			t.Fatalf("Receive: %+v dup=%v err=%v", m, dup, err)
		}
		if !strings.Contains(m.Reason, "log.txt") {
			t.Fatalf("reason %q should name the file left in the original mail", m.Reason)
		}
		nia, err := db.FindUserByEmail(ctx, "nia.park@example.com")
		if err != nil {
			t.Fatal(err)
		}
		evs, _, err := d.Timeline(as(nia), *m.TicketID, "", 50)
		if err != nil || len(evs) == 0 {
			t.Fatalf("timeline: %v %v", evs, err)
		}
		got := evs[0].Attachments
		if len(got) != 1 || got[0].Name != "error.txt" {
			t.Fatalf("attachments on the request: %+v, want error.txt only", got)
		}
		_, rd, err := d.Attachment(as(nia), got[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rd)
		rd.Close()
		if !bytes.Contains(body, []byte("E42: paper jam")) {
			t.Fatalf("downloaded %q", body)
		}

		queued, err := db.FindJobs(ctx, rapport.JobFilter{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, j := range queued {
			var n desk.Notice
			if j.Kind == desk.NoticeJob.Name && json.Unmarshal(j.Payload, &n) == nil && n.TicketID == *m.TicketID {
				kinds = append(kinds, string(n.Kind))
			}
		}
		if len(kinds) != 1 || kinds[0] != string(desk.NoticeReceived) {
			t.Fatalf("notices queued for the mailed request: %v, want the receipt", kinds)
		}
	})
}
