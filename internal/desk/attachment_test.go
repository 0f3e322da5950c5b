package desk_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"gocloud.dev/blob/memblob"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func file(name, body string) desk.File {
	return desk.File{Name: name, Type: "image/png", Body: strings.NewReader(body)}
}

// download reads attachment id as ctx's user, or returns the error.
func download(ctx context.Context, d *desk.Desk, id int64) (string, error) {
	_, r, err := d.Attachment(ctx, id)
	if err != nil {
		return "", err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	return string(b), err
}

// TestAttachments: files go with a new request and with messages, come
// back on the timeline with their sniffed type (the declared one is
// ignored), and download only for people who may see them: never for
// another requester, never a note's file for the requester.
func TestAttachments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		d.Files = attach.New(memblob.OpenBucket(nil), 100)
		sam := mustAdd(t, d, "sam@example.com", rapport.RoleRequester)
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Printer", Body: "See the photo"},
			Files: []desk.File{file(`C:\photos\jam.html`, "<html><body>not a png</body></html>")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.AddMessageWithFiles(as(ann), tk.ID, "Our log", true, []desk.File{file("log.txt", "secret log")}); err != nil {
			t.Fatal(err)
		}
		ev, err := d.AddMessageWithFiles(as(pat), tk.ID, "Two more", false, []desk.File{file("a.txt", "first"), file("b.txt", "second")})
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.Attachments) != 2 || ev.Attachments[0].ID == 0 || ev.Attachments[1].Name != "b.txt" {
			t.Fatalf("returned event's files: %+v", ev.Attachments)
		}
		staffView, _, _ := d.Timeline(as(ann), tk.ID, "", 50)
		var got []string
		ids := map[string]int64{}
		for _, e := range staffView {
			for _, a := range e.Attachments {
				got = append(got, a.Name+" "+a.Type)
				ids[a.Name] = a.ID
				if a.EventID != e.ID || a.TicketID != tk.ID || a.Internal != e.Internal {
					t.Fatalf("file %+v on event %+v", a, e)
				}
			}
		}
		want := "[jam.html text/html; charset=utf-8 log.txt text/plain; charset=utf-8 a.txt text/plain; charset=utf-8 b.txt text/plain; charset=utf-8]"
		if s := strings.Join([]string{"[", strings.Join(got, " "), "]"}, ""); s != want {
			t.Fatalf("staff timeline files %s, want %s", s, want)
		}
		requesterView, _, _ := d.Timeline(as(pat), tk.ID, "", 50)
		for _, e := range requesterView {
			for _, a := range e.Attachments {
				if a.Name == "log.txt" {
					t.Fatalf("the requester's timeline lists a note's file")
				}
			}
		}
		for _, tc := range []struct {
			who  *rapport.User
			name string
			want string // "" for not found
		}{
			{pat, "jam.html", "<html><body>not a png</body></html>"},
			{pat, "a.txt", "first"},
			{pat, "log.txt", ""},
			{ann, "log.txt", "secret log"},
			{sam, "a.txt", ""},
			{sam, "log.txt", ""},
		} {
			body, err := download(as(tc.who), d, ids[tc.name])
			if tc.want == "" {
				if rapport.ErrorCode(err) != rapport.ENOTFOUND {
					t.Errorf("%s downloads %s: %q, %v; want ENOTFOUND", tc.who.Email, tc.name, body, err)
				}
			} else if err != nil || body != tc.want {
				t.Errorf("%s downloads %s: %q, %v; want %q", tc.who.Email, tc.name, body, err, tc.want)
			}
		}
		if _, err := download(as(nil), d, ids["a.txt"]); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Errorf("download signed out: %v", err)
		}
		if _, err := download(as(ann), d, 99999); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Errorf("download of no file: %v", err)
		}
	})
}

// TestAttachmentRefused: a file over the limit, too many files, or files
// where none are taken are plain field errors, and the message is not
// written either.
func TestAttachmentRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, _ := people(t, db, nil)
		tk := ask(t, d, pat, rapport.Impact{})
		many := func() []desk.File {
			out := make([]desk.File, rapport.MaxAttachmentsPerEvent+1)
			for i := range out {
				out[i] = file("f.txt", "x")
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			files *attach.Store
			send  func() []desk.File // fresh readers for each try
			want  string
		}{
			{"too large", attach.New(memblob.OpenBucket(nil), 10), func() []desk.File {
				return []desk.File{file("ok.txt", "fine"), file("big.iso", strings.Repeat("x", 11))}
			},
				`The file "big.iso" is larger than 10 bytes, the most one file can be.`},
			{"too many", attach.New(memblob.OpenBucket(nil), 10), many, "You sent 11 files; at most 10 can go with one message."},
			{"no storage", nil, func() []desk.File { return []desk.File{file("a.txt", "x")} }, "This help desk does not take files."},
		} {
			d.Files = tc.files
			_, err := d.AddMessageWithFiles(as(pat), tk.ID, "Here", false, tc.send())
			fs := rapport.ErrorFields(err)
			if rapport.ErrorCode(err) != rapport.EINVALID || len(fs) != 1 || fs[0].Field != "files" || !strings.HasPrefix(fs[0].Message, tc.want) {
				t.Fatalf("%s: err=%v fields=%+v, want EINVALID on files saying %q", tc.name, err, fs, tc.want)
			}
			if _, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "S", Body: "B"}, Files: tc.send()}); rapport.ErrorCode(err) != rapport.EINVALID {
				t.Fatalf("%s: new request err=%v, want EINVALID", tc.name, err)
			}
		}
		if evs, _, _ := d.Timeline(as(pat), tk.ID, "", 50); len(evs) != 1 {
			t.Fatalf("timeline has %d entries after refusals, want only the request", len(evs))
		}
		if ts, _, _ := d.Tickets(as(pat), desk.TicketQuery{TicketFilter: rapport.TicketFilter{Limit: 10}}); len(ts) != 1 {
			t.Fatalf("%d tickets after refused requests, want 1", len(ts))
		}
	})
}

// rollback is a store whose every write fails after fn ran: the
// transaction's rows are written, then rolled back.
type rollback struct{ *store.DB }

var errRollback = errors.New("the commit failed")

func (r rollback) Update(ctx context.Context, fn func(rapport.Tx) error) error {
	return r.DB.Update(ctx, func(tx rapport.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errRollback
	})
}

// TestAttachmentRolledBack: when the transaction of a message with a file
// rolls back, the file's record goes with it (the blob stays, an orphan
// that harms nothing); the next file gets a record that points at it.
func TestAttachmentRolledBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, _ := people(t, db, nil)
		tk := ask(t, d, pat, rapport.Impact{})
		files := attach.New(memblob.OpenBucket(nil), 100)
		failing := desk.New(rollback{db})
		failing.Files, d.Files = files, files
		if _, err := failing.AddMessageWithFiles(as(pat), tk.ID, "Here", false, []desk.File{file("a.txt", "same bytes")}); !errors.Is(err, errRollback) {
			t.Fatalf("err=%v, want the failed commit", err)
		}
		for id := int64(1); id <= 3; id++ {
			if a, err := db.FindAttachment(context.Background(), id); rapport.ErrorCode(err) != rapport.ENOTFOUND {
				t.Fatalf("after the rollback attachment %d is %+v, %v; want none", id, a, err)
			}
		}
		ev, err := d.AddMessageWithFiles(as(pat), tk.ID, "Here", false, []desk.File{file("a.txt", "same bytes")})
		if err != nil {
			t.Fatal(err)
		}
		if body, err := download(as(pat), d, ev.Attachments[0].ID); err != nil || body != "same bytes" {
			t.Fatalf("download after the retry: %q, %v", body, err)
		}
	})
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1: "1 byte", 1023: "1023 bytes", 1024: "1 KB", 1536: "1.5 KB",
		740 << 10: "740 KB", 25 << 20: "25 MB", 25<<20 + 1: "25 MB", 3 << 29: "1.5 GB"} {
		if got := desk.Size(n); got != want {
			t.Errorf("Size(%d)=%q, want %q", n, got, want)
		}
	}
}
