package desk_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

func sp(s string) *string { return &s }

// TestProfilePermissions: requesters edit their own profile but not
// notes; staff edit requesters' profiles and notes and their own; only
// administrators edit other staff; notes never reach a requester.
func TestProfilePermissions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		sam := mustAdd(t, d, "sam@example.com", rapport.RoleRequester)
		sue := mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor)
		root := mustAdd(t, d, "root@example.com", rapport.RoleAdmin)
		// Staff write a note on Pat first, to see it hidden from Pat later.
		if _, err := d.UpdateProfile(as(ann), pat.ID, rapport.ProfileUpdate{Notes: sp("Hard of hearing: speak slowly.")}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			as    *rapport.User
			mine  bool // UpdateMyProfile rather than UpdateProfile
			id    int64
			up    rapport.ProfileUpdate
			code  string
			notes string // the notes the caller gets back
		}{
			{"requester, own profile", pat, true, 0, rapport.ProfileUpdate{PreferredName: sp("Patty"), Phone: sp("+1 555 0100"), PreferredChannel: sp("phone")}, "", ""},
			{"requester, own notes", pat, true, 0, rapport.ProfileUpdate{Notes: sp("I am lovely")}, rapport.EFORBIDDEN, ""},
			{"requester, someone else", pat, false, sam.ID, rapport.ProfileUpdate{PreferredName: sp("X")}, rapport.EFORBIDDEN, ""},
			{"requester, bad zone", pat, true, 0, rapport.ProfileUpdate{TimeZone: sp("Moon/Base")}, rapport.EINVALID, ""},
			{"agent, requester's profile and notes", ann, false, pat.ID, rapport.ProfileUpdate{Pronunciation: sp("PAT-ee")}, "", "Hard of hearing: speak slowly."},
			{"agent, own phone", ann, true, 0, rapport.ProfileUpdate{Phone: sp("+44 20 7946 0000 ext 12")}, "", ""},
			{"agent, own profile by id", ann, false, ann.ID, rapport.ProfileUpdate{PreferredName: sp("Annie")}, "", ""},
			{"agent, a supervisor", ann, false, sue.ID, rapport.ProfileUpdate{Phone: sp("123")}, rapport.EFORBIDDEN, ""},
			{"admin, a supervisor", root, false, sue.ID, rapport.ProfileUpdate{Phone: sp("123")}, "", ""},
			{"agent, nobody", ann, false, 9999, rapport.ProfileUpdate{}, rapport.ENOTFOUND, ""},
			{"not signed in", nil, true, 0, rapport.ProfileUpdate{}, rapport.EUNAUTHORIZED, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				if tc.as != nil {
					ctx = as(tc.as)
				}
				var u *rapport.User
				var err error
				if tc.mine {
					u, err = d.UpdateMyProfile(ctx, tc.up)
				} else {
					u, err = d.UpdateProfile(ctx, tc.id, tc.up)
				}
				if got := rapport.ErrorCode(err); got != tc.code {
					t.Fatalf("code=%q, want %q (%v)", got, tc.code, err)
				}
				if err == nil && u.Notes != tc.notes {
					t.Errorf("notes=%q, want %q", u.Notes, tc.notes)
				}
			})
		}
		// Pat's own view has the change and no notes; staff see the notes.
		me, err := d.MyProfile(as(pat))
		if err != nil || me.PreferredName != "Patty" || me.Pronunciation != "PAT-ee" || !me.PrefersCall() || me.Notes != "" {
			t.Fatalf("Pat's own profile: %+v %v", me, err)
		}
		seen, err := d.Person(as(ann), pat.ID)
		if err != nil || seen.Notes != "Hard of hearing: speak slowly." {
			t.Fatalf("staff view: %+v %v", seen, err)
		}
		if _, err := d.Person(as(pat), sam.ID); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("a requester read someone's profile: %v", err)
		}
		// A failed update leaves nothing half-written.
		if _, err := d.UpdateMyProfile(as(pat), rapport.ProfileUpdate{PreferredName: sp("Half"), Language: sp("xx-notreal")}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("bad language: %v", err)
		}
		if me, _ := d.MyProfile(as(pat)); me.PreferredName != "Patty" {
			t.Fatalf("half-written: preferred name %q", me.PreferredName)
		}
	})
}

func TestLanguageTag(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"en", "en", true},
		{"EN-gb", "en-GB", true},
		{"fr-CA", "fr-CA", true},
		{"pt_BR", "pt-BR", true},
		{"zh-Hant-TW", "zh-Hant-TW", true},
		{"und", "", false},
		{"xx-notreal", "", false},
		{"english", "", false},
		{"", "", false},
	} {
		got, ok := desk.LanguageTag(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LanguageTag(%q)=%q,%v; want %q,%v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"fr-CA", "Canadian French · français canadien"},
		{"en", "English"},
	} {
		if got := desk.LanguageName(tc.in); got != tc.want {
			t.Errorf("LanguageName(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPersonTicketsAndCalls: staff see a person's ticket history, newest
// first; a call logged on a ticket carries the number and the person's
// local time, and a requester can neither read the history nor log calls.
func TestPersonTicketsAndCalls(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		first := ask(t, d, pat, rapport.Impact{})
		second := ask(t, d, pat, rapport.Impact{})
		ts, next, err := d.PersonTickets(as(ann), pat.ID, "", 10)
		if err != nil || next != "" || len(ts) != 2 || ts[0].ID != second.ID || ts[1].ID != first.ID {
			t.Fatalf("history: %v %q %v", ts, next, err)
		}
		if _, _, err := d.PersonTickets(as(pat), pat.ID, "", 10); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("requester read a history: %v", err)
		}
		if _, _, err := d.PersonTickets(as(ann), 9999, "", 10); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("nobody's history: %v", err)
		}
		if _, err := d.UpdateMyProfile(as(pat), rapport.ProfileUpdate{Phone: sp("+33 1 23 45 67 89"), PreferredChannel: sp("phone"), TimeZone: sp("Europe/Paris")}); err != nil {
			t.Fatal(err)
		}
		ev, err := d.LogCall(as(ann), second.ID, rapport.CallLog{Minutes: 4, Summary: "Walked through the reset."})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ev.Body, "on +33 1 23 45 67 89 at ") || !strings.Contains(ev.Body, "their time (Europe/Paris), about 4 minutes.") || ev.Internal {
			t.Fatalf("call record: %+v", ev)
		}
		events, _, err := d.Timeline(as(pat), second.ID, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		last := events[len(events)-1]
		if last.ID != ev.ID || last.Data["call"] != "outbound" || last.Data["phone"] != "+33 1 23 45 67 89" {
			t.Fatalf("the requester's timeline ends with %+v", last)
		}
		if _, err := d.LogCall(as(pat), second.ID, rapport.CallLog{Summary: "x"}); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("requester logged a call: %v", err)
		}
		if _, err := d.LogCall(as(ann), second.ID, rapport.CallLog{}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Fatalf("call without summary: %v", err)
		}
	})
}

// TestReplyNoticeCarriesPhone: the notice of a staff reply carries the
// writer's phone for the signature, as their profile says at the time.
func TestReplyNoticeCarriesPhone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d, pat, ann := people(t, db, nil)
		d.Notices = true
		tk := ask(t, d, pat, rapport.Impact{})
		if _, err := d.UpdateMyProfile(as(ann), rapport.ProfileUpdate{Phone: sp("+44 20 7946 0000")}); err != nil {
			t.Fatal(err)
		}
		ann.Phone = "+44 20 7946 0000" // the session's user is read per request
		if _, err := d.AddMessage(as(ann), tk.ID, "Try again now.", false); err != nil {
			t.Fatal(err)
		}
		jobs, err := db.FindJobs(context.Background(), rapport.JobFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, j := range jobs {
			var n desk.Notice
			if err := json.Unmarshal(j.Payload, &n); err == nil && n.Kind == desk.NoticeReply {
				found = true
				if n.ByPhone != "+44 20 7946 0000" || n.By != ann.Name {
					t.Errorf("reply notice: %+v", n)
				}
			}
		}
		if !found {
			t.Fatal("no reply notice queued")
		}
	})
}
