package rapport_test

import (
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

// TestStrikeRules: the domain's rules, without storage: which messages
// can be struck, the steps and the closing, the fourth refused.
func TestStrikeRules(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	pat := &rapport.User{ID: 1, Name: "Pat Lee", Role: rapport.RoleRequester}
	ann := &rapport.User{ID: 2, Name: "Ann Ortiz", Role: rapport.RoleAgent}
	texts := map[int]*rapport.StrikeText{}
	for step := 1; step <= 3; step++ {
		texts[step] = &rapport.StrikeText{Step: step, Body: "Hello {name}, step"}
	}
	msg := func(id int64, ticket int64, who *rapport.User, typ rapport.EventType, internal bool) *rapport.Event {
		return &rapport.Event{ID: id, TicketID: ticket, Type: typ, Actor: who.Ref(), Internal: internal}
	}
	for _, tc := range []struct {
		name    string
		by      *rapport.User
		strikes int
		status  rapport.Status
		msg     *rapport.Event
		code    string
		closes  bool
	}{
		{"the first", ann, 0, rapport.StatusOpen, msg(10, 7, pat, rapport.EventMessage, false), "", false},
		{"the description", ann, 1, rapport.StatusNew, msg(10, 7, pat, rapport.EventCreated, false), "", false},
		{"a reopening reason", ann, 1, rapport.StatusOpen, msg(10, 7, pat, rapport.EventReopened, false), "", false},
		{"the third closes", ann, 2, rapport.StatusWaiting, msg(10, 7, pat, rapport.EventMessage, false), "", true},
		{"the third on a closed ticket", ann, 2, rapport.StatusClosed, msg(10, 7, pat, rapport.EventMessage, false), "", false},
		{"a fourth", ann, 3, rapport.StatusClosed, msg(10, 7, pat, rapport.EventMessage, false), rapport.ECONFLICT, false},
		{"by the requester", pat, 0, rapport.StatusOpen, msg(10, 7, pat, rapport.EventMessage, false), rapport.EFORBIDDEN, false},
		{"staff's message", ann, 0, rapport.StatusOpen, msg(10, 7, ann, rapport.EventMessage, false), rapport.EINVALID, false},
		{"another ticket's", ann, 0, rapport.StatusOpen, msg(10, 8, pat, rapport.EventMessage, false), rapport.EINVALID, false},
		{"no message", ann, 0, rapport.StatusOpen, nil, rapport.EINVALID, false},
		{"not a message", ann, 0, rapport.StatusOpen, msg(10, 7, pat, rapport.EventResolved, false), rapport.EINVALID, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := &rapport.Ticket{ID: 7, Status: tc.status, Requester: pat.Ref(), Strikes: tc.strikes,
				Hold: &rapport.Hold{Reason: "supplier"}}
			s, evs, err := tk.Strike(tc.by, tc.msg, "", texts[tc.strikes+1], "Pat", now)
			if got := rapport.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if tc.code != "" {
				if tk.Strikes != tc.strikes {
					t.Fatalf("a refused strike changed the count to %d", tk.Strikes)
				}
				return
			}
			if s.Step != tc.strikes+1 || tk.Strikes != s.Step || evs[0].Body != "Hello Pat, step" || evs[0].Internal || !evs[1].Internal {
				t.Fatalf("strike %+v, events %+v %+v", s, evs[0], evs[1])
			}
			closed := len(evs) == 3 && evs[2].Type == rapport.EventClosed
			if closed != tc.closes || tc.closes && (tk.Status != rapport.StatusClosed || tk.Hold != nil || tk.ClosedAt == nil) {
				t.Fatalf("closes=%v (status %s), want %v", closed, tk.Status, tc.closes)
			}
		})
	}
}

// TestStrikeTextRules: texts need a supervisor, a body, a known step and
// no placeholder but {name}.
func TestStrikeTextRules(t *testing.T) {
	now := time.Now()
	sue := &rapport.User{ID: 3, Role: rapport.RoleSupervisor}
	for _, tc := range []struct {
		name string
		by   *rapport.User
		step int
		body string
		code string
	}{
		{"supervisor", sue, 1, "Hi {name}, please keep it respectful.", ""},
		{"admin", &rapport.User{Role: rapport.RoleAdmin}, 3, "Goodbye for now.", ""},
		{"agent", &rapport.User{Role: rapport.RoleAgent}, 1, "Hi", rapport.EFORBIDDEN},
		{"step 0", sue, 0, "Hi", rapport.ENOTFOUND},
		{"step 4", sue, 4, "Hi", rapport.ENOTFOUND},
		{"empty", sue, 2, "  ", rapport.EINVALID},
		{"unknown placeholder", sue, 2, "Hi {ticket}", rapport.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rapport.NewStrikeText(tc.by, tc.step, tc.body, now)
			if got := rapport.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
}
