package rapport_test

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

// TestNewAuditEntry: staff reading someone else's data make an entry;
// reading their own makes none; a read with no route or by a non-staff
// user is refused rather than logged wrongly.
func TestNewAuditEntry(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ann := &rapport.User{ID: 2, Name: "Ann", Role: rapport.RoleAgent}
	pat := &rapport.User{ID: 1, Name: "Pat", Role: rapport.RoleRequester}
	for _, tc := range []struct {
		name  string
		staff *rapport.User
		user  int64
		what  rapport.AuditWhat
		route rapport.Route
		entry bool
		code  string
	}{
		{"staff read a profile", ann, 1, rapport.AuditProfile, rapport.RouteWeb, true, ""},
		{"mail from no account", ann, 0, rapport.AuditMail, rapport.RouteAPI, true, ""},
		{"staff read their own", ann, 2, rapport.AuditProfile, rapport.RouteWeb, false, ""},
		{"a requester", pat, 3, rapport.AuditProfile, rapport.RouteWeb, false, rapport.EFORBIDDEN},
		{"no route", ann, 1, rapport.AuditStrikes, "", false, rapport.EINTERNAL},
		{"unknown kind", ann, 1, "diary", rapport.RouteCLI, false, rapport.EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := rapport.NewAuditEntry(tc.staff, tc.user, tc.what, "ref", tc.route, now)
			if rapport.ErrorCode(err) != tc.code || (e != nil) != tc.entry {
				t.Fatalf("entry %+v, error %v; want entry=%v code %q", e, err, tc.entry, tc.code)
			}
			if e != nil && (e.Staff.ID != tc.staff.ID || (e.User == nil) != (tc.user == 0) || e.What != tc.what || e.Route != tc.route || !e.At.Equal(now)) {
				t.Fatalf("entry %+v", e)
			}
		})
	}
}
