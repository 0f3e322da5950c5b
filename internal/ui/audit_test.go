package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestAuditPage: staff opening a ticket (its person card) or a person's
// page write exactly one entry each, route web; the requester's own pages
// write none; supervisors read and filter the log, others get 403.
func TestAuditPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := f.desk.AddUserWithPassword(f.as(t, "ann@example.com"), "sue@example.com", "Sue Park", rapport.RoleSupervisor, password); err != nil {
			t.Fatal(err)
		}
		tk := f.ask(t, "VPN", "It drops every hour.")
		pat := tk.Requester.ID
		pc, ann, sue := f.client(t), f.client(t), f.client(t)
		f.signIn(t, pc, "pat@example.com")
		f.signIn(t, ann, "ann@example.com")
		f.signIn(t, sue, "sue@example.com")
		entries := func() []*rapport.AuditEntry {
			es, _, err := f.desk.Audit(f.as(t, "sue@example.com"), rapport.AuditFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		clients := map[string]*http.Client{"ann": ann, "pat": pc, "sue": sue}
		for _, tc := range []struct {
			name    string
			who     string
			path    string
			entries int
			what    rapport.AuditWhat
			ref     string
		}{
			{"agent opens the ticket", "ann", fmt.Sprintf("/tickets/%d", tk.ID), 1, rapport.AuditProfile, fmt.Sprintf("on ticket %d", tk.ID)},
			{"agent opens the person's page", "ann", fmt.Sprintf("/people/%d", pat), 1, rapport.AuditProfile, ""},
			{"supervisor opens the account page", "sue", fmt.Sprintf("/users/%d", pat), 1, rapport.AuditStrikes, ""},
			{"requester opens their own ticket", "pat", fmt.Sprintf("/tickets/%d", tk.ID), 0, "", ""},
			{"requester opens their account", "pat", "/account", 0, "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := len(entries())
				page(t, f, clients[tc.who], tc.path)
				after := entries()
				if got := len(after) - before; got != tc.entries {
					t.Fatalf("%d new entries, want %d", got, tc.entries)
				}
				if tc.entries > 0 && (after[0].What != tc.what || after[0].Route != rapport.RouteWeb || after[0].User.ID != pat || after[0].Ref != tc.ref) {
					t.Fatalf("entry %+v", after[0])
				}
			})
		}

		body := page(t, f, sue, "/audit")
		for _, want := range []string{"<h1>Audit log</h1>", "Person ann@example.com", "Person pat@example.com</a> (pat@example.com)", "Strike history", "<td data-label=\"How\">Web</td>", `<a href="/audit">Audit log</a>`} {
			if !strings.Contains(body, want) {
				t.Fatalf("the audit page lacks %q\n%s", want, body)
			}
		}
		if body := page(t, f, sue, "/audit?staff=sue@example.com"); strings.Contains(body, "Person ann@example.com</a>") || !strings.Contains(body, "Sue Park</a>") {
			t.Fatalf("filtered by staff:\n%s", body)
		}
		for _, tc := range []struct {
			name, path, want string
		}{
			{"unknown address", "/audit?user=nobody@example.com", "There is no account with the address nobody@example.com."},
			{"not a person", "/audit?staff=sue", "staff must be an account number like 42 or an email address."},
			{"damaged cursor", "/audit?cursor=xyz", "This page link is damaged."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := f.do(t, sue, "GET", tc.path, nil, nil)
				if res.StatusCode != 422 || !strings.Contains(body, tc.want) {
					t.Fatalf("%d, want 422 saying %q\n%s", res.StatusCode, tc.want, body)
				}
			})
		}
		for _, c := range []*http.Client{ann, pc} {
			if res, _ := f.do(t, c, "GET", "/audit", nil, nil); res.StatusCode != 403 {
				t.Fatalf("a non-supervisor reads the audit log: %d", res.StatusCode)
			}
		}
	})
}
