package rapport_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
)

func TestLogCall(t *testing.T) {
	bob := &rapport.User{ID: 1, Email: "pat@example.com", Name: "Robert Smith", PreferredName: "Bob", Role: rapport.RoleRequester,
		Phone: "+44 20 7946 0958", PreferredChannel: rapport.ChannelPhone, TimeZone: "Europe/London"}
	for _, tc := range []struct {
		name     string
		actor    *rapport.User
		person   *rapport.User
		in       rapport.CallLog
		code     string
		fields   []string
		body     string
		data     map[string]string
		internal bool
	}{
		{name: "outbound, answered", actor: agent, person: bob, in: rapport.CallLog{Minutes: 5, Summary: "Reset the VPN profile together."},
			body: "Phone call: Ann called Robert Smith (Bob) on +44 20 7946 0958 at 09:00 their time (Europe/London), about 5 minutes.\n\nReset the VPN profile together.",
			data: map[string]string{"call": "outbound", "outcome": "answered", "phone": "+44 20 7946 0958", "minutes": "5"}},
		{name: "no answer, internal", actor: agent, person: bob, in: rapport.CallLog{Outcome: "no_answer", Internal: true},
			body: "Phone call: Ann called Robert Smith (Bob) on +44 20 7946 0958 at 09:00 their time (Europe/London): no answer.",
			data: map[string]string{"call": "outbound", "outcome": "no_answer", "phone": "+44 20 7946 0958"}, internal: true},
		{name: "inbound, no profile", actor: agent, person: nil, in: rapport.CallLog{Direction: "inbound", Minutes: 1, Summary: "Asked for news."},
			body: "Phone call: Pat called Ann, about 1 minute.\n\nAsked for news.",
			data: map[string]string{"call": "inbound", "outcome": "answered", "minutes": "1"}},
		{name: "answered needs a summary", actor: agent, person: bob, in: rapport.CallLog{}, code: rapport.EINVALID, fields: []string{"summary"}},
		{name: "bad values", actor: agent, person: bob, in: rapport.CallLog{Direction: "sideways", Outcome: "maybe", Minutes: -1, Summary: "x"},
			code: rapport.EINVALID, fields: []string{"direction", "outcome", "minutes"}},
		{name: "inbound unanswered", actor: agent, person: bob, in: rapport.CallLog{Direction: "inbound", Outcome: "no_answer"},
			code: rapport.EINVALID, fields: []string{"outcome"}},
		{name: "too long", actor: agent, person: bob, in: rapport.CallLog{Minutes: rapport.MaxCallMinutes + 1, Summary: "x"},
			code: rapport.EINVALID, fields: []string{"minutes"}},
		{name: "requesters do not log calls", actor: requester, person: bob, in: rapport.CallLog{Summary: "x"}, code: rapport.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk, _, err := rapport.NewTicket(rapport.TicketInput{Subject: "VPN", Body: "drops", Channel: rapport.ChannelPhone}, requester, agent, t0)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := tk.LogCall(tc.actor, tc.person, tc.in, t0)
			if got := rapport.ErrorCode(err); got != tc.code {
				t.Fatalf("code=%q, want %q (%v)", got, tc.code, err)
			}
			var fields []string
			for _, f := range rapport.ErrorFields(err) {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tc.fields) {
				t.Fatalf("fields=%v, want %v", fields, tc.fields)
			}
			if err != nil {
				return
			}
			if ev.Body != tc.body {
				t.Errorf("body=\n%s\nwant\n%s", ev.Body, tc.body)
			}
			if diff := cmp.Diff(tc.data, ev.Data); diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
			wantType := rapport.EventMessage
			if tc.internal {
				wantType = rapport.EventNote
			}
			if ev.Type != wantType || ev.Internal != tc.internal {
				t.Errorf("type=%s internal=%v, want %s %v", ev.Type, ev.Internal, wantType, tc.internal)
			}
		})
	}
}
