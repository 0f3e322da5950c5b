package ui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/server"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
	"github.com/rapportdesk/rapport/internal/ui"
)

// TestProfilePages: a requester edits their profile on the Account page
// (a mistake comes back beside its field, with what was typed); staff see
// the person card with "Prefers a call", the number as a tel: link, their
// local time, language and notes; they log a call from the card; the
// requester sees neither notes nor the card; times follow the viewer's
// time zone.
func TestProfilePages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// A fixed clock: 15:40 UTC is 16:40 in Paris in November.
		now := time.Date(2026, 11, 23, 15, 40, 0, 0, time.UTC)
		f.desk.Now = func() time.Time { return now }
		pat, ann := f.client(t), f.client(t)
		f.signIn(t, pat, "pat@example.com")
		f.signIn(t, ann, "ann@example.com")

		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			want   []string
		}{
			{"bad zone and phone", url.Values{"preferred_name": {"Patty"}, "time_zone": {"Paris"}, "phone": {"call me maybe"}, "preferred_channel": {"phone"}}, 422,
				[]string{`id="time_zone-error"`, `id="phone-error"`, `value="Patty"`, `value="call me maybe"`, `aria-invalid="true"`}},
			{"saved", url.Values{"preferred_name": {"Patty"}, "pronunciation": {"PAT-ee"}, "phone": {"+33 1 23 45 67 89"}, "preferred_channel": {"phone"},
				"time_zone": {"Europe/Paris"}, "language": {"fr-fr"}}, 303, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := f.do(t, pat, "POST", "/account/profile", tc.form, nil)
				if res.StatusCode != tc.status {
					t.Fatalf("Status=%d, want %d", res.StatusCode, tc.status)
				}
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %s", w)
					}
				}
			})
		}
		if _, body := f.do(t, pat, "GET", "/account", nil, nil); !strings.Contains(body, `value="Patty"`) || !strings.Contains(body, `value="fr-FR"`) || strings.Contains(body, "Staff notes") {
			t.Fatalf("account page after saving:\n%s", body)
		}
		tk, err := f.desk.CreateTicket(rapport.NewContextWithUser(context.Background(), mustUser(t, f, "pat@example.com")),
			desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "VPN drops", Body: "Every hour."}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.desk.UpdateProfile(rapport.NewContextWithUser(context.Background(), mustUser(t, f, "ann@example.com")),
			tk.Requester.ID, rapport.ProfileUpdate{Notes: ptr("Hard of hearing: speak slowly.")}); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/tickets/%d", tk.ID)
		_, body := f.do(t, ann, "GET", path, nil, nil)
		for _, w := range []string{"Prefers a call", `href="tel:&#43;33123456789"`, "It is 16:40 on Monday for them", "French (France)",
			"Hard of hearing: speak slowly.", "PAT-ee", "Patty", `id="call-log"`, "Alt+Shift+L", fmt.Sprintf("/people/%d", tk.Requester.ID)} {
			if !strings.Contains(body, w) {
				t.Errorf("staff ticket page lacks %q", w)
			}
		}
		_, body = f.do(t, pat, "GET", path, nil, nil)
		for _, w := range []string{"Hard of hearing", "Prefers a call", "call-log"} {
			if strings.Contains(body, w) {
				t.Errorf("the requester's ticket page shows %q", w)
			}
		}
		// Pat chose Paris: their page shows times there; Ann chose none: UTC.
		if !strings.Contains(body, "23 Nov 2026, 16:40 CET") {
			t.Errorf("requester's page is not in their time zone")
		}
		if _, b := f.do(t, ann, "GET", path, nil, nil); !strings.Contains(b, "23 Nov 2026, 15:40 UTC") {
			t.Errorf("agent's page is not in the site's zone")
		}

		// Logging a call: a mistake first, then the call.
		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"no summary", url.Values{"direction": {"outbound"}, "outcome": {"answered"}}, 422, `id="call-summary-error"`},
			{"bad minutes", url.Values{"summary": {"x"}, "minutes": {"five"}}, 422, `id="call-minutes-error"`},
			{"logged", url.Values{"direction": {"outbound"}, "outcome": {"answered"}, "minutes": {"4"}, "summary": {"Reset the VPN profile together."}}, 303, ""},
			{"requester", url.Values{"summary": {"x"}}, 0, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := ann
				if tc.name == "requester" {
					c = pat
				}
				res, body := f.do(t, c, "POST", path+"/call", tc.form, nil)
				if tc.status == 0 {
					if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Only help desk staff can log phone calls.") {
						t.Fatalf("a requester logged a call: %d", res.StatusCode)
					}
					return
				}
				if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
					t.Fatalf("Status=%d, want %d with %s", res.StatusCode, tc.status, tc.want)
				}
			})
		}
		_, body = f.do(t, pat, "GET", path, nil, nil)
		if !strings.Contains(body, "logged a phone call") || !strings.Contains(body, "called Person pat@example.com (Patty) on &#43;33 1 23 45 67 89 at 16:40 their time (Europe/Paris), about 4 minutes.") {
			t.Errorf("the call is not on the requester's timeline:\n%s", body)
		}

		// The person's page: staff only, with notes and history.
		people := fmt.Sprintf("/people/%d", tk.Requester.ID)
		if res, body := f.do(t, ann, "GET", people, nil, nil); res.StatusCode != 200 || !strings.Contains(body, "Hard of hearing") || !strings.Contains(body, "VPN drops") || !strings.Contains(body, `id="notes"`) {
			t.Fatalf("person page for staff: %d", res.StatusCode)
		}
		if res, body := f.do(t, pat, "GET", people, nil, nil); res.StatusCode != http.StatusForbidden || strings.Contains(body, "Hard of hearing") {
			t.Fatalf("person page for the requester: %d", res.StatusCode)
		}
		res, _ := f.do(t, ann, "POST", people+"/profile", url.Values{"preferred_name": {"Patty"}, "phone": {"+33 1 23 45 67 89"}, "preferred_channel": {"email"},
			"time_zone": {"Europe/Paris"}, "language": {"fr-FR"}, "notes": {"Prefers email after all."}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("staff saving a profile: %d", res.StatusCode)
		}
		if _, body := f.do(t, ann, "GET", path, nil, nil); strings.Contains(body, "Prefers a call") || !strings.Contains(body, "Prefers email after all.") {
			t.Fatalf("the cue stayed after the preference changed")
		}
		if res, _ := f.do(t, ann, "POST", people+"/profile", url.Values{"language": {"zz-qq"}}, nil); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad language: %d", res.StatusCode)
		}
	})
}

func ptr(s string) *string { return &s }

func mustUser(t *testing.T, f *fixture, email string) *rapport.User {
	t.Helper()
	u, _, err := f.desk.AllUsers(context.Background(), rapport.UserFilter{Query: email, Limit: 1})
	if err != nil || len(u) == 0 {
		t.Fatalf("find %s: %v", email, err)
	}
	return u[0]
}

// TestViewerTimeZone: pages show times in the viewer's own zone, else the
// site's; a zone's pages are made once and reused.
func TestViewerTimeZone(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		site       *time.Location
		zone, want string
	}{
		{"no zone anywhere", nil, "", "1 Jul 2026, 12:00 UTC"},
		{"the site's", paris, "", "1 Jul 2026, 14:00 CEST"},
		{"their own", paris, "Asia/Tokyo", "1 Jul 2026, 21:00 JST"},
		{"their own, the site's name", paris, "Europe/Paris", "1 Jul 2026, 14:00 CEST"},
		{"offset-only zone", nil, "America/Sao_Paulo", "1 Jul 2026, 09:00 -03"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := testdb.Open(t, "sqlite")
			d := desk.New(db)
			d.Now = func() time.Time { return at }
			pat, err := d.AddUserWithPassword(context.Background(), "pat@example.com", "Pat", rapport.RoleRequester, password)
			if err != nil {
				t.Fatal(err)
			}
			ctx := rapport.NewContextWithUser(context.Background(), pat)
			if _, err := d.UpdateMyProfile(ctx, rapport.ProfileUpdate{TimeZone: ptr(tc.zone)}); err != nil {
				t.Fatal(err)
			}
			tk, err := d.CreateTicket(ctx, desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "VPN", Body: "drops"}})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(server.Handler(d, db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.WithUI(ui.Options{Location: tc.site})))
			t.Cleanup(srv.Close)
			f := &fixture{srv: srv, desk: d}
			c := f.client(t)
			f.signIn(t, c, "pat@example.com")
			for range 2 { // the second render uses the zone's kept pages
				if _, body := f.do(t, c, "GET", fmt.Sprintf("/tickets/%d", tk.ID), nil, nil); !strings.Contains(body, tc.want) {
					t.Fatalf("the ticket page does not show %q", tc.want)
				}
			}
		})
	}
}
