package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
	"gocloud.dev/blob/memblob"
)

// auditLog returns the whole audit log, newest first, as a supervisor.
func auditLog(t *testing.T, d *desk.Desk, sue *rapport.User, f rapport.AuditFilter) []*rapport.AuditEntry {
	t.Helper()
	f.Limit = 500
	es, _, err := d.Audit(as(sue), f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestAuditReads: each read of private data by staff writes exactly one
// entry naming who, whose, what, the route and when; people reading
// their own data, and staff reading their own files, write none.
func TestAuditReads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		d.Files = attach.New(memblob.OpenBucket(nil), 100)
		sue := mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor)
		ctx := context.Background()
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Printer", Body: "See the photo"},
			Files: []desk.File{file("jam.txt", "paper jam")}})
		if err != nil {
			t.Fatal(err)
		}
		staffNote, err := d.AddMessageWithFiles(as(ann), tk.ID, "Our log", true, []desk.File{file("log.txt", "log")})
		if err != nil {
			t.Fatal(err)
		}
		evs, _, _ := d.Timeline(as(ann), tk.ID, "", 50)
		patFile := evs[0].Attachments[0].ID
		staffFile := staffNote.Attachments[0].ID
		m := &rapport.InboundMail{DedupeKey: "<a1@example.com>", Source: "smtp", FromAddr: "pat@example.com",
			Subject: "Printer again", Body: "Still jammed", Text: "Still jammed", Raw: []byte("Still jammed")}
		if _, err := d.ReceiveMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		stranger := &rapport.InboundMail{DedupeKey: "<a2@example.com>", Source: "smtp", FromAddr: "kim@elsewhere.example",
			Subject: "Hello", Body: "Hi", Text: "Hi", Raw: []byte("Hi")}
		if _, err := d.ReceiveMail(ctx, stranger); err != nil {
			t.Fatal(err)
		}
		stranger, err = db.FindInboundMail(ctx, stranger.ID)
		if err != nil {
			t.Fatal(err)
		}
		kim, _ := db.FindUserByEmail(ctx, "kim@elsewhere.example")

		for _, tc := range []struct {
			name    string
			read    func() error
			entries int
			whose   *rapport.User
			by      *rapport.User
			what    rapport.AuditWhat
			refHas  string
		}{
			{"agent reads a profile", func() error { _, err := d.Person(as(ann), pat.ID); return err }, 1, pat, ann, rapport.AuditProfile, ""},
			{"supervisor reads strike history", func() error { _, err := d.UserStrikes(as(sue), pat.ID); return err }, 1, pat, sue, rapport.AuditStrikes, ""},
			{"agent reads a mail", func() error { _, err := d.MailMessage(as(ann), m.ID); return err }, 1, pat, ann, rapport.AuditMail, "mail"},
			{"agent downloads the requester's file", func() error { _, err := download(as(ann), d, patFile); return err }, 1, pat, ann, rapport.AuditAttachment, "jam.txt"},
			{"requester downloads their own file", func() error { _, err := download(as(pat), d, patFile); return err }, 0, nil, nil, "", ""},
			{"staff download a staff file", func() error { _, err := download(as(sue), d, staffFile); return err }, 0, nil, nil, "", ""},
			{"requester reads their own profile", func() error { _, err := d.MyProfile(as(pat)); return err }, 0, nil, nil, "", ""},
			{"staff read their own profile", func() error { _, err := d.Person(as(ann), ann.ID); return err }, 0, nil, nil, "", ""},
			{"a refused read", func() error { _, err := d.Person(as(pat), ann.ID); return err }, 0, nil, nil, "", ""},
			{"a missing person", func() error { _, err := d.Person(as(ann), 99999); return err }, 0, nil, nil, "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := auditLog(t, d, sue, rapport.AuditFilter{})
				err := tc.read()
				if tc.entries > 0 && err != nil {
					t.Fatal(err)
				}
				after := auditLog(t, d, sue, rapport.AuditFilter{})
				if got := len(after) - len(before); got != tc.entries {
					t.Fatalf("%d new audit entries, want %d", got, tc.entries)
				}
				if tc.entries == 0 {
					return
				}
				e := after[0]
				if e.Staff.ID != tc.by.ID || e.User == nil || e.User.ID != tc.whose.ID || e.User.Email != tc.whose.Email ||
					e.What != tc.what || e.Route != rapport.RouteAPI || e.At.IsZero() || !strings.Contains(e.Ref, tc.refHas) {
					t.Fatalf("entry %+v (user %+v)", e, e.User)
				}
			})
		}

		// Mail from someone: their account when Rapport made one.
		if _, err := d.MailMessage(as(ann), stranger.ID); err != nil {
			t.Fatal(err)
		}
		if e := auditLog(t, d, sue, rapport.AuditFilter{})[0]; e.What != rapport.AuditMail || kim == nil && (e.User != nil || !strings.Contains(e.Ref, "kim@elsewhere.example")) ||
			kim != nil && (e.User == nil || e.User.ID != kim.ID) {
			t.Fatalf("mail from a stranger: %+v", e)
		}

		// Filters and paging: by whose data, by staff member, keyset pages.
		if es := auditLog(t, d, sue, rapport.AuditFilter{StaffID: sue.ID}); len(es) != 1 || es[0].What != rapport.AuditStrikes {
			t.Fatalf("by staff: %+v", es)
		}
		if es := auditLog(t, d, sue, rapport.AuditFilter{UserID: pat.ID, StaffID: ann.ID}); len(es) != 3 {
			t.Fatalf("pat's data read by ann: %d entries, want 3", len(es))
		}
		all := auditLog(t, d, sue, rapport.AuditFilter{})
		var paged []*rapport.AuditEntry
		for cursor := ""; ; {
			es, next, err := d.Audit(as(sue), rapport.AuditFilter{After: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, es...)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(paged) != len(all) || paged[0].ID != all[0].ID || paged[len(paged)-1].ID != all[len(all)-1].ID {
			t.Fatalf("paged %d entries, the whole log has %d", len(paged), len(all))
		}

		// Who may read the log, and plain errors for bad filters.
		for _, tc := range []struct {
			name string
			who  *rapport.User
			f    rapport.AuditFilter
			code string
		}{
			{"agent", ann, rapport.AuditFilter{}, rapport.EFORBIDDEN},
			{"requester", pat, rapport.AuditFilter{}, rapport.EFORBIDDEN},
			{"unknown person", sue, rapport.AuditFilter{UserID: 99999}, rapport.EINVALID},
			{"unknown staff", sue, rapport.AuditFilter{StaffID: 99999}, rapport.EINVALID},
			{"damaged cursor", sue, rapport.AuditFilter{After: "nonsense"}, rapport.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, _, err := d.Audit(as(tc.who), tc.f); rapport.ErrorCode(err) != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
			})
		}
	})
}

// TestAuditNeedsRoute: a staff read with no route in its context is a bug
// at the edge, refused rather than logged without one.
func TestAuditNeedsRoute(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	d, pat, ann := people(t, db, nil)
	ctx := rapport.NewContextWithUser(context.Background(), ann)
	if _, err := d.Person(ctx, pat.ID); rapport.ErrorCode(err) != rapport.EINTERNAL {
		t.Fatalf("read with no route: %v", err)
	}
}
