package rapport_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

// TestStrikeRules: the domain's rules, without storage: which messages
// can be struck, the steps and the closing, the fourth refused.
func TestStrikeRules(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	pat := &rapport.User{ID: 1, Name: "Pat Lee", PreferredName: "Pat", Role: rapport.RoleRequester}
	ann := &rapport.User{ID: 2, Name: "Ann Ortiz", Role: rapport.RoleAgent}
	texts := map[int]*rapport.StrikeText{}
	for step := 1; step <= 3; step++ {
		texts[step] = &rapport.StrikeText{Step: step, Body: "Hello {{requester.preferred_name}}, step {{ ticket.number }}"}
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
			s, evs, err := tk.Strike(tc.by, tc.msg, "", texts[tc.strikes+1], pat, now)
			if got := rapport.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if tc.code != "" {
				if tk.Strikes != tc.strikes {
					t.Fatalf("a refused strike changed the count to %d", tk.Strikes)
				}
				return
			}
			if s.Step != tc.strikes+1 || tk.Strikes != s.Step || evs[0].Body != "Hello Pat, step 7" || evs[0].Internal || !evs[1].Internal {
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
// only the templates' variables, well written.
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
		{"supervisor", sue, 1, "Hi {{requester.preferred_name}}, please keep it respectful.", ""},
		{"every variable", sue, 1, "{{requester.preferred_name}} {{requester.name}} {{ticket.number}} {{ticket.subject}} {{agent.name}} {{agent.preferred_name}} {{agent.phone}}", ""},
		{"braces that are no variable", sue, 1, "Your reference is { see above }.", ""},
		{"admin", &rapport.User{Role: rapport.RoleAdmin}, 3, "Goodbye for now.", ""},
		{"agent", &rapport.User{Role: rapport.RoleAgent}, 1, "Hi", rapport.EFORBIDDEN},
		{"step 0", sue, 0, "Hi", rapport.ENOTFOUND},
		{"step 4", sue, 4, "Hi", rapport.ENOTFOUND},
		{"empty", sue, 2, "  ", rapport.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rapport.NewStrikeText(tc.by, tc.step, tc.body, now)
			if got := rapport.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
	// Refused texts get a plain message naming what is wrong.
	for _, tc := range []struct {
		name, body, want string
	}{
		{"unknown variable", "Hi {{requester.nickname}}", "uses {{requester.nickname}}, which Rapport does not know"},
		{"two unknown", "Hi {{name}} about {{ticket.id}}", "uses {{name}} and {{ticket.id}}"},
		{"old single braces", "Hi {name}, please.", "has {name} with single braces"},
		{"single braces, known name", "Ticket {ticket.number}", "has {ticket.number} with single braces"},
		{"unclosed", "Hi {{requester.preferred_name, please", "opening {{ with no closing }}"},
		{"unopened", "Hi requester.preferred_name}}", "closing }} with no opening {{"},
		{"empty braces", "Hi {{ }}", "empty braces"},
		{"not a name", "Hi {{Requester Name}}", "{{Requester Name}}, which is not a variable name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rapport.NewStrikeText(sue, 1, tc.body, now)
			fs := rapport.ErrorFields(err)
			if rapport.ErrorCode(err) != rapport.EINVALID || len(fs) != 1 || fs[0].Field != "body" || !strings.Contains(fs[0].Message, tc.want) {
				t.Fatalf("error %v (%+v), want body: %q", err, fs, tc.want)
			}
		})
	}
}

// TestStrikeTextRender: a text is filled in from the ticket, its requester
// and the agent, or fails whole saying which variable has no value.
func TestStrikeTextRender(t *testing.T) {
	tk := &rapport.Ticket{ID: 42, Subject: "VPN drops"}
	pat := &rapport.User{ID: 1, Name: "Patricia Lee", PreferredName: "Pat", Role: rapport.RoleRequester}
	ann := &rapport.User{ID: 2, Name: "Ann Ortiz", Role: rapport.RoleAgent, Phone: "+44 20 7946 0000"}
	noPhone := &rapport.User{ID: 3, Name: "Bo Chan", Role: rapport.RoleAgent}
	for _, tc := range []struct {
		name      string
		body      string
		requester *rapport.User
		agent     *rapport.User
		want      string
		code      string
	}{
		{"preferred name and number", "Hello {{requester.preferred_name}}, about ticket {{ticket.number}}.", pat, ann, "Hello Pat, about ticket 42.", ""},
		{"agent and subject", "{{agent.name}} ({{agent.phone}}) on “{{ticket.subject}}”", pat, ann, "Ann Ortiz (+44 20 7946 0000) on “VPN drops”", ""},
		{"first name when no preferred", "Hi {{requester.preferred_name}}", &rapport.User{Name: "Robin Hood"}, ann, "Hi Robin", ""},
		{"no variables", "Please keep it respectful.", pat, ann, "Please keep it respectful.", ""},
		{"agent without a phone", "Call me on {{agent.phone}}.", pat, noPhone, "your profile has no phone number yet", rapport.ECONFLICT},
		{"stored with an unknown variable", "Hi {{requester.nick}}", pat, ann, "{{requester.nick}}, which Rapport does not know", rapport.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &rapport.StrikeText{Step: 2, Body: tc.body}
			got, err := st.Render(rapport.TemplateContext{Ticket: tk, Requester: tc.requester, Agent: tc.agent})
			if rapport.ErrorCode(err) != tc.code {
				t.Fatalf("code %q (%v), want %q", rapport.ErrorCode(err), err, tc.code)
			}
			if tc.code != "" {
				if got != "" || !strings.Contains(rapport.ErrorMessage(err), tc.want) || !strings.Contains(rapport.ErrorMessage(err), "strike 2") {
					t.Fatalf("got %q, error %q, want it to say %q", got, rapport.ErrorMessage(err), tc.want)
				}
				return
			}
			if got != tc.want {
				t.Fatalf("rendered %q, want %q", got, tc.want)
			}
		})
	}
}
