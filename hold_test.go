package rapport_test

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

// TestHold: a held ticket is out of the queue whoever has it; releasing it
// keeps the hold; it comes back when the requester replies or its date
// passes, and resolving ends it.
func TestHold(t *testing.T) {
	until := t0.Add(24 * time.Hour)
	for _, tc := range []struct {
		name       string
		assigned   bool
		end        func(tk *rapport.Ticket) error
		wantStatus rapport.Status
	}{
		{"reply, unassigned", false, func(tk *rapport.Ticket) error { _, err := tk.AddMessage(requester, "Here", false, t0); return err }, rapport.StatusNew},
		{"reply, assigned", true, func(tk *rapport.Ticket) error { _, err := tk.AddMessage(requester, "Here", false, t0); return err }, rapport.StatusOpen},
		{"date passes, unassigned", false, func(tk *rapport.Ticket) error { _, err := tk.ReturnFromHold(until); return err }, rapport.StatusNew},
		{"date passes, assigned", true, func(tk *rapport.Ticket) error { _, err := tk.ReturnFromHold(until.Add(time.Hour)); return err }, rapport.StatusOpen},
		{"resolved", false, func(tk *rapport.Ticket) error { _, err := tk.Resolve(agent, "Done", t0); return err }, rapport.StatusResolved},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := newTicket(t)
			if tc.assigned {
				tk.Assign(agent, agent, t0)
			}
			if _, err := tk.Wait(agent, "Supplier", &until, t0); err != nil {
				t.Fatal(err)
			}
			if tk.Queued() || tk.Hold == nil || tk.Hold.Reason != "Supplier" || !tk.Hold.Until.Equal(until) {
				t.Fatalf("held: queued=%v hold=%+v", tk.Queued(), tk.Hold)
			}
			if tc.assigned {
				if _, err := tk.Assign(agent, nil, t0); err != nil || tk.Status != rapport.StatusWaiting || tk.Queued() || tk.Hold == nil {
					t.Fatalf("released held ticket: %v status=%s queued=%v", err, tk.Status, tk.Queued())
				}
				tk.Assign(agent, agent, t0)
			}
			if _, err := tk.Claim(agent, t0); err == nil {
				t.Fatalf("Claim of a held ticket succeeded")
			}
			if _, err := tk.ReturnFromHold(until.Add(-time.Second)); rapport.ErrorCode(err) != rapport.ECONFLICT {
				t.Fatalf("ReturnFromHold before the date: %v, want conflict", err)
			}
			if err := tc.end(tk); err != nil {
				t.Fatal(err)
			}
			if tk.Status != tc.wantStatus || tk.Hold != nil || tk.Queued() != (tc.wantStatus == rapport.StatusNew) {
				t.Fatalf("status=%s hold=%+v queued=%v, want %s, no hold", tk.Status, tk.Hold, tk.Queued(), tc.wantStatus)
			}
		})
	}
}
