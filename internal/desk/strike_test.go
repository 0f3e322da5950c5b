package desk_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// strikeRig is a ticket from pat with three more messages from pat, an
// agent (ann), a supervisor (sue) and a second requester (ray).
type strikeRig struct {
	db       *store.DB
	d        *desk.Desk
	pat, ann *rapport.User
	sue, ray *rapport.User
	ticket   *rapport.Ticket
	msgs     []*rapport.Event // the created event, then pat's three replies
}

func newStrikeRig(t *testing.T, db *store.DB) *strikeRig {
	t.Helper()
	d, pat, ann := people(t, db, nil)
	r := &strikeRig{db: db, d: d, pat: pat, ann: ann,
		sue: mustAdd(t, d, "sue@example.com", rapport.RoleSupervisor), ray: mustAdd(t, d, "ray@example.com", rapport.RoleRequester)}
	r.ticket = ask(t, d, pat, rapport.Impact{})
	if _, err := d.ClaimNext(as(ann)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := d.AddMessage(as(pat), r.ticket.ID, "This is USELESS, message "+strconv.Itoa(i), false); err != nil {
			t.Fatal(err)
		}
	}
	evs, _, err := d.Timeline(as(ann), r.ticket.ID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Actor != nil && e.Actor.ID == pat.ID {
			r.msgs = append(r.msgs, e)
		}
	}
	if len(r.msgs) != 4 {
		t.Fatalf("%d messages from the requester, want 4", len(r.msgs))
	}
	return r
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := rapport.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	if field == "" {
		return
	}
	for _, f := range rapport.ErrorFields(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v names no field %q", err, field)
}

// TestStrikeSteps: each strike does its step: the boundary statement
// (public), the agent's note (internal), the count on the ticket; the
// third closes the ticket; a fourth is refused plainly.
func TestStrikeSteps(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		steps := []struct {
			msg        int
			note       string
			wantStatus rapport.Status
			wantText   string // in the boundary statement
		}{
			{0, "Called me useless twice.", rapport.StatusOpen, "keep our conversation respectful"},
			{1, "", rapport.StatusOpen, "I will need to end this conversation"},
			{2, "Third time.", rapport.StatusClosed, "When you are ready to discuss next steps"},
		}
		for i, st := range steps {
			s, tk, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[st.msg].ID, st.note)
			if err != nil {
				t.Fatalf("strike %d: %v", i+1, err)
			}
			if s.Step != i+1 || s.EventID != r.msgs[st.msg].ID || s.Note != st.note || s.By.ID != r.ann.ID || s.Requester.ID != r.pat.ID {
				t.Fatalf("strike %d = %+v", i+1, s)
			}
			if tk.Strikes != i+1 || tk.Status != st.wantStatus {
				t.Fatalf("after strike %d: strikes=%d status=%s, want %d %s", i+1, tk.Strikes, tk.Status, i+1, st.wantStatus)
			}
			// The requester sees the boundary statement, greeting them, and
			// never the note.
			evs, _, err := r.d.Timeline(as(r.pat), r.ticket.ID, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			var boundary *rapport.Event
			for _, e := range evs {
				if e.Type == rapport.EventStrike && e.Data["step"] == strconv.Itoa(i+1) {
					boundary = e
				}
				if e.Internal || e.Type == rapport.EventStruck {
					t.Fatalf("requester sees internal event %+v", e)
				}
			}
			if boundary == nil || !strings.Contains(boundary.Body, st.wantText) || !strings.HasPrefix(boundary.Body, "Hello Person,") {
				t.Fatalf("strike %d boundary statement: %+v", i+1, boundary)
			}
			staffView, _, _ := r.d.Timeline(as(r.sue), r.ticket.ID, "", 100)
			var noted bool
			for _, e := range staffView {
				if e.Type == rapport.EventStruck && e.Internal && e.Body == st.note && e.Data["strike_id"] == strconv.FormatInt(s.ID, 10) {
					noted = true
				}
			}
			if !noted {
				t.Fatalf("strike %d: no internal record with the note on the timeline", i+1)
			}
		}
		_, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[3].ID, "")
		wantCode(t, err, rapport.ECONFLICT, "")
		if !strings.Contains(rapport.ErrorMessage(err), "no fourth strike") {
			t.Fatalf("fourth strike refused with %q", rapport.ErrorMessage(err))
		}
		tk, _ := r.db.FindTicketByID(context.Background(), r.ticket.ID)
		if tk.Strikes != 3 || tk.Status != rapport.StatusClosed || tk.ClosedAt == nil {
			t.Fatalf("after the refused fourth: %+v", tk)
		}
		ss, err := r.d.TicketStrikes(as(r.ann), r.ticket.ID)
		if err != nil || len(ss) != 3 {
			t.Fatalf("TicketStrikes = %d, %v", len(ss), err)
		}
	})
}

// TestStrikeRefused: only staff strike, and only a requester's own
// message on that ticket, once.
func TestStrikeRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		reply, err := r.d.AddMessage(as(r.ann), r.ticket.ID, "Let me look.", false)
		if err != nil {
			t.Fatal(err)
		}
		note, err := r.d.AddMessage(as(r.ann), r.ticket.ID, "Careful with this one.", true)
		if err != nil {
			t.Fatal(err)
		}
		other := ask(t, r.d, r.ray, rapport.Impact{})
		otherEvs, _, _ := r.d.Timeline(as(r.ray), other.ID, "", 10)
		if _, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name    string
			who     *rapport.User
			ticket  int64
			event   int64
			note    string
			code    string
			field   string
			message string
		}{
			{"requester cannot strike", r.pat, r.ticket.ID, r.msgs[1].ID, "", rapport.EFORBIDDEN, "", "Only help desk staff"},
			{"another requester cannot strike", r.ray, r.ticket.ID, r.msgs[1].ID, "", rapport.EFORBIDDEN, "", "Only help desk staff"},
			{"agent's reply", r.ann, r.ticket.ID, reply.ID, "", rapport.EINVALID, "event_id", "this one is by"},
			{"internal note", r.ann, r.ticket.ID, note.ID, "", rapport.EINVALID, "event_id", "Only a message the requester wrote"},
			{"message on another ticket", r.ann, r.ticket.ID, otherEvs[0].ID, "", rapport.EINVALID, "event_id", ""},
			{"no such event", r.ann, r.ticket.ID, 999999, "", rapport.EINVALID, "event_id", ""},
			{"no event id", r.ann, r.ticket.ID, 0, "", rapport.EINVALID, "event_id", ""},
			{"no such ticket", r.ann, 999999, r.msgs[1].ID, "", rapport.ENOTFOUND, "", ""},
			{"note too long", r.ann, r.ticket.ID, r.msgs[1].ID, strings.Repeat("x", rapport.MaxReasonLen+1), rapport.EINVALID, "note", ""},
			{"one strike per message", r.ann, r.ticket.ID, r.msgs[0].ID, "", rapport.ECONFLICT, "", "already has a strike"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := r.d.Strike(as(tc.who), tc.ticket, tc.event, tc.note)
				wantCode(t, err, tc.code, tc.field)
				if !strings.Contains(rapport.ErrorMessage(err)+firstField(err), tc.message) {
					t.Fatalf("message %q (%q), want it to say %q", rapport.ErrorMessage(err), firstField(err), tc.message)
				}
			})
		}
		tk, _ := r.db.FindTicketByID(context.Background(), r.ticket.ID)
		if tk.Strikes != 1 {
			t.Fatalf("refused strikes changed the count: %d", tk.Strikes)
		}
	})
}

func firstField(err error) string {
	if fs := rapport.ErrorFields(err); len(fs) > 0 {
		return fs[0].Message
	}
	return ""
}

// TestWithdrawStrike: only supervisors withdraw, with a reason; the count
// goes down, the timeline says so internally, the next strike takes the
// freed step, and a ticket the third strike closed stays closed.
func TestWithdrawStrike(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		admin := mustAdd(t, r.d, "ada@example.com", rapport.RoleAdmin)
		var strikes []*rapport.Strike
		for i := 0; i < 3; i++ {
			s, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[i].ID, "")
			if err != nil {
				t.Fatal(err)
			}
			strikes = append(strikes, s)
		}
		other := ask(t, r.d, r.ray, rapport.Impact{})
		for _, tc := range []struct {
			name         string
			who          *rapport.User
			ticket       int64
			strike       int64
			reason       string
			code, field  string
			wantStrikes  int
			wantInternal bool
		}{
			{"an agent cannot withdraw", r.ann, r.ticket.ID, strikes[0].ID, "Fair", rapport.EFORBIDDEN, "", 3, false},
			{"a requester cannot withdraw", r.pat, r.ticket.ID, strikes[0].ID, "Fair", rapport.EFORBIDDEN, "", 3, false},
			{"a reason is required", r.sue, r.ticket.ID, strikes[0].ID, "  ", rapport.EINVALID, "reason", 3, false},
			{"the strike of another ticket", r.sue, other.ID, strikes[0].ID, "Fair", rapport.ENOTFOUND, "", 3, false},
			{"no such strike", r.sue, r.ticket.ID, 999999, "Fair", rapport.ENOTFOUND, "", 3, false},
			{"a supervisor withdraws", r.sue, r.ticket.ID, strikes[1].ID, "It was a quote from the error message, not an insult.", "", "", 2, true},
			{"withdrawn already", admin, r.ticket.ID, strikes[1].ID, "Again", rapport.ECONFLICT, "", 2, false},
			{"an admin withdraws", admin, r.ticket.ID, strikes[2].ID, "Too quick.", "", "", 1, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s, tk, err := r.d.WithdrawStrike(as(tc.who), tc.ticket, tc.strike, tc.reason)
				if tc.code != "" {
					wantCode(t, err, tc.code, tc.field)
					tk, _ = r.db.FindTicketByID(context.Background(), r.ticket.ID)
				} else if err != nil {
					t.Fatal(err)
				} else if !s.Withdrawn() || s.WithdrawnBy.ID != tc.who.ID || s.WithdrawReason != tc.reason {
					t.Fatalf("withdrawn strike %+v", s)
				}
				if tk.Strikes != tc.wantStrikes {
					t.Fatalf("strikes = %d, want %d", tk.Strikes, tc.wantStrikes)
				}
				if tk.Status != rapport.StatusClosed {
					t.Fatalf("withdrawing changed the status to %s; a closed ticket stays closed", tk.Status)
				}
				if tc.wantInternal {
					evs, _, _ := r.d.Timeline(as(r.sue), r.ticket.ID, "", 100)
					last := evs[len(evs)-1]
					if last.Type != rapport.EventStrikeWithdrawn || !last.Internal || last.Body != tc.reason {
						t.Fatalf("last event %+v, want the internal withdrawal", last)
					}
				}
			})
		}
		// A withdrawn strike's message cannot be struck again.
		_, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[1].ID, "")
		wantCode(t, err, rapport.ECONFLICT, "")
		if !strings.Contains(rapport.ErrorMessage(err), "withdrew") {
			t.Fatalf("re-striking a withdrawn message: %q", rapport.ErrorMessage(err))
		}
		// The next strike takes the freed step: strike 2 again.
		s, tk, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[3].ID, "")
		if err != nil || s.Step != 2 || tk.Strikes != 2 {
			t.Fatalf("strike after withdrawals: %+v, %+v, %v", s, tk, err)
		}
		// The history keeps withdrawn strikes, with why.
		hist, err := r.d.UserStrikes(as(r.ann), r.pat.ID)
		if err != nil || len(hist) != 4 || !hist[1].Withdrawn() || hist[1].WithdrawReason == "" || hist[0].Withdrawn() {
			t.Fatalf("history %+v, %v", hist, err)
		}
		if hist[0].TicketSubject != "Help" || !strings.Contains(hist[0].Message, "Please") {
			t.Fatalf("history entry %+v", hist[0])
		}
		if _, err := r.d.UserStrikes(as(r.pat), r.pat.ID); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("a requester reads their strike history: %v", err)
		}
		if _, err := r.d.TicketStrikes(as(r.pat), r.ticket.ID); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("a requester reads the ticket's strikes: %v", err)
		}
	})
}

// TestNeverLockedOut: after three strikes the person still gets help: a
// new, respectful request is served as usual, and the ended ticket can be
// reopened with a reason.
func TestNeverLockedOut(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		for i := 0; i < 3; i++ {
			if _, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[i].ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		fresh, err := r.d.CreateTicket(as(r.pat), desk.NewTicket{TicketInput: rapport.TicketInput{
			Subject: "Printer on floor 2", Body: "Hello, the printer shows error 49. Thank you for any help.", Impact: rapport.Impact{BlocksWork: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if fresh.Status != rapport.StatusNew || fresh.Strikes != 0 || fresh.QueuePosition == nil || *fresh.QueuePosition != 1 || fresh.Priority != rapport.PriorityCritical {
			t.Fatalf("new request after three strikes: %+v", fresh)
		}
		next, err := r.d.ClaimNext(as(r.ann))
		if err != nil || next == nil || next.ID != fresh.ID {
			t.Fatalf("ClaimNext = %+v, %v; want the new request", next, err)
		}
		if _, err := r.d.AddMessage(as(r.ann), fresh.ID, "Happy to help with the printer.", false); err != nil {
			t.Fatal(err)
		}
		if _, err := r.d.AddMessage(as(r.pat), fresh.ID, "Thanks!", false); err != nil {
			t.Fatalf("the requester cannot write on their new request: %v", err)
		}
		back, _, err := r.d.Reopen(as(r.pat), r.ticket.ID, "I am sorry about earlier; the VPN still fails.")
		if err != nil || !back.Status.Active() {
			t.Fatalf("reopen after strike 3: %+v, %v", back, err)
		}
	})
}

// TestStrikeTexts: staff read the texts; only supervisors and admins
// change them, with plain errors; a strike sends the current text.
func TestStrikeTexts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		texts, err := r.d.StrikeTexts(as(r.ann))
		if err != nil || len(texts) != 3 {
			t.Fatalf("StrikeTexts = %d, %v", len(texts), err)
		}
		for _, x := range texts {
			if x.UpdatedBy != nil || !strings.Contains(x.Body, "{{requester.preferred_name}}") || strings.Contains(x.Body, "{name}") || x.UpdatedAt.IsZero() {
				t.Fatalf("shipped text %+v", x)
			}
		}
		if _, err := r.d.StrikeTexts(as(r.pat)); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("a requester reads the texts: %v", err)
		}
		admin := mustAdd(t, r.d, "ada@example.com", rapport.RoleAdmin)
		for _, tc := range []struct {
			name        string
			who         *rapport.User
			step        int
			body        string
			code, field string
		}{
			{"an agent cannot edit", r.ann, 1, "Please be kind.", rapport.EFORBIDDEN, ""},
			{"a requester cannot edit", r.pat, 1, "Please be kind.", rapport.EFORBIDDEN, ""},
			{"empty", r.sue, 1, " ", rapport.EINVALID, "body"},
			{"the old single-brace name", r.sue, 1, "Hello {name}", rapport.EINVALID, "body"},
			{"unknown variable", r.sue, 1, "Hello {{requester.first_name}}", rapport.EINVALID, "body"},
			{"malformed variable", r.sue, 1, "Hello {{requester.preferred_name}", rapport.EINVALID, "body"},
			{"no such step", r.sue, 4, "Bye", rapport.ENOTFOUND, ""},
			{"too long", r.sue, 2, strings.Repeat("a", rapport.MaxStrikeTextLen+1), rapport.EINVALID, "body"},
			{"a supervisor edits", r.sue, 1, "Hi {{requester.preferred_name}}, let us keep ticket {{ticket.number}} respectful, please. {{agent.name}}", "", ""},
			{"an admin edits", admin, 2, "Hi {{ requester.preferred_name }}, once more: respectful, please, or I will end the chat. Call me: {{agent.phone}}", "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := r.d.SetStrikeText(as(tc.who), tc.step, tc.body)
				if tc.code != "" {
					wantCode(t, err, tc.code, tc.field)
					return
				}
				if err != nil || got.Body != tc.body || got.UpdatedBy.ID != tc.who.ID {
					t.Fatalf("SetStrikeText = %+v, %v", got, err)
				}
			})
		}
		step, preview, err := r.d.NextStrike(as(r.ann), r.ticket.ID)
		want := "Hi Person, let us keep ticket " + strconv.FormatInt(r.ticket.ID, 10) + " respectful, please. " + r.ann.Name
		if err != nil || step != 1 || preview != want {
			t.Fatalf("NextStrike = %d %q %v, want %q", step, preview, err, want)
		}
		if _, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		evs, _, _ := r.d.Timeline(as(r.pat), r.ticket.ID, "", 100)
		if last := evs[len(evs)-1]; last.Type != rapport.EventStrike || last.Body != preview {
			t.Fatalf("strike sent %q, the preview said %q", last.Body, preview)
		}

		// Strike 2 now needs the agent's phone, which ann has not given:
		// the preview and the strike say so, and nothing is written.
		before, _, _ := r.d.Timeline(as(r.ann), r.ticket.ID, "", 100)
		if step, _, err := r.d.NextStrike(as(r.ann), r.ticket.ID); step != 2 || rapport.ErrorCode(err) != rapport.ECONFLICT ||
			!strings.Contains(rapport.ErrorMessage(err), "{{agent.phone}}") || !strings.Contains(rapport.ErrorMessage(err), "no phone number") {
			t.Fatalf("NextStrike without a phone = %d, %v", step, err)
		}
		_, _, err = r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[1].ID, "")
		wantCode(t, err, rapport.ECONFLICT, "")
		if !strings.Contains(rapport.ErrorMessage(err), "{{agent.phone}}") {
			t.Fatalf("refused strike says %q", rapport.ErrorMessage(err))
		}
		after, _, _ := r.d.Timeline(as(r.ann), r.ticket.ID, "", 100)
		tk, _ := r.d.Ticket(as(r.ann), r.ticket.ID)
		if len(after) != len(before) || tk.Strikes != 1 {
			t.Fatalf("a refused strike wrote: %d events (was %d), %d strikes", len(after), len(before), tk.Strikes)
		}
		if ss, _ := r.d.TicketStrikes(as(r.ann), r.ticket.ID); len(ss) != 1 {
			t.Fatalf("%d strikes stored, want 1", len(ss))
		}
	})
}

// payloads returns the notice jobs queued so far.
func payloads(t *testing.T, db *store.DB) []desk.Notice {
	t.Helper()
	js, err := db.FindJobs(context.Background(), rapport.JobFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.Notice
	for _, j := range js {
		var n desk.Notice
		if j.Kind != desk.NoticeJob.Name {
			continue
		}
		if err := json.Unmarshal(j.Payload, &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func countKind(ns []desk.Notice, k desk.NoticeKind) (n int, last desk.Notice) {
	for _, x := range ns {
		if x.Kind == k {
			n++
			last = x
		}
	}
	return n, last
}

// alerts records the live alerts the desk sends (desk.Alerter).
type alerts struct {
	mu  sync.Mutex
	got []string
}

func (a *alerts) TicketChanged(context.Context, *rapport.Ticket, bool) {}
func (a *alerts) Alert(_ context.Context, kind string, ticket, to int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.got = append(a.got, kind+":"+strconv.FormatInt(ticket, 10)+":"+strconv.FormatInt(to, 10))
}

// TestStrikeNoticesOnce: a strike queues, in its transaction, exactly one
// boundary notice to the requester and one notice to the supervisors, and
// alerts them live; a refused strike or a withdrawal queues none.
func TestStrikeNoticesOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		r.d.Notices = true
		al := &alerts{}
		r.d.Notifier = al
		before := len(payloads(t, db))
		s, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[0].ID, "Shouted at me.")
		if err != nil {
			t.Fatal(err)
		}
		ns := payloads(t, db)
		if len(ns)-before != 2 {
			t.Fatalf("%d notices queued by a strike, want 2", len(ns)-before)
		}
		n, sup := countKind(ns, desk.NoticeStrike)
		if n != 1 || sup.To != 0 || sup.Step != 1 || sup.Body != "Shouted at me." || sup.By != r.ann.Name {
			t.Fatalf("supervisor notices: %d, %+v", n, sup)
		}
		n, b := countKind(ns, desk.NoticeBoundary)
		if n != 1 || b.To != r.pat.ID || !strings.Contains(b.Body, "respectful") || strings.Contains(b.Body, "Shouted") {
			t.Fatalf("boundary notices: %d, %+v", n, b)
		}
		if _, _, err := r.d.Strike(as(r.ann), r.ticket.ID, r.msgs[0].ID, ""); err == nil {
			t.Fatal("a second strike on one message")
		}
		if _, _, err := r.d.WithdrawStrike(as(r.sue), r.ticket.ID, s.ID, "Misread."); err != nil {
			t.Fatal(err)
		}
		if got := len(payloads(t, db)); got != len(ns) {
			t.Fatalf("%d notices after a refused strike and a withdrawal, want %d", got, len(ns))
		}
		if want := "strike:" + strconv.FormatInt(r.ticket.ID, 10) + ":0"; len(al.got) != 1 || al.got[0] != want {
			t.Fatalf("alerts %v, want [%s]", al.got, want)
		}
	})
}

// TestAskAColleague: an agent invites a colleague or hands the ticket
// over with a note; disabled, non-staff and unknown colleagues are
// refused plainly; each queues one notice to the colleague and alerts
// them live.
func TestAskAColleague(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		r.d.Notices = true
		al := &alerts{}
		r.d.Notifier = al
		bob := mustAdd(t, r.d, "bob@example.com", rapport.RoleAgent)
		gone := mustAdd(t, r.d, "gone@example.com", rapport.RoleAgent)
		admin := mustAdd(t, r.d, "ada@example.com", rapport.RoleAdmin)
		disabled := true
		if _, err := r.d.UpdateUserAsAdmin(as(admin), gone.ID, desk.UserUpdate{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name      string
			who       *rapport.User
			colleague string
			handover  bool
			text      string
			code      string
			message   string
		}{
			{"a requester cannot invite", r.pat, "bob@example.com", false, "", rapport.EFORBIDDEN, ""},
			{"a requester cannot hand over", r.pat, "bob@example.com", true, "Yours", rapport.EFORBIDDEN, ""},
			{"no colleague", r.ann, "", false, "", rapport.EINVALID, "Choose a colleague"},
			{"unknown colleague", r.ann, "nobody@example.com", false, "", rapport.EINVALID, "no account"},
			{"not an address", r.ann, "bob", false, "", rapport.EINVALID, "email"},
			{"a requester as colleague", r.ann, "ray@example.com", false, "", rapport.EINVALID, "not a member of the help desk staff"},
			{"a disabled colleague", r.ann, "gone@example.com", false, "", rapport.EINVALID, "disabled"},
			{"a disabled assignee", r.ann, "gone@example.com", true, "Yours", rapport.EINVALID, "disabled"},
			{"oneself", r.ann, "ann@example.com", false, "", rapport.EINVALID, "That is you"},
			{"a handover needs a note", r.ann, "bob@example.com", true, " ", rapport.EINVALID, "handover note is required"},
			{"invite", r.ann, "bob@example.com", false, "Could you sit in? They were rude twice.", "", ""},
			{"invite without a message", r.ann, "sue@example.com", false, "", "", ""},
			{"hand over", r.ann, "bob@example.com", true, "VPN profile reinstalled; they are upset, be patient.", "", ""},
			{"hand over to who has it", r.ann, "bob@example.com", true, "Again", rapport.EINVALID, "already has"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := payloads(t, db)
				var err error
				if tc.handover {
					var tk *rapport.Ticket
					tk, err = r.d.Handover(as(tc.who), r.ticket.ID, tc.colleague, tc.text)
					if err == nil && (tk.Assignee == nil || tk.Assignee.Email != tc.colleague) {
						t.Fatalf("handed over to %+v", tk.Assignee)
					}
				} else {
					var ev *rapport.Event
					ev, err = r.d.Invite(as(tc.who), r.ticket.ID, tc.colleague, tc.text)
					if err == nil && (ev.Type != rapport.EventInvited || !ev.Internal || ev.Body != tc.text) {
						t.Fatalf("invitation %+v", ev)
					}
				}
				after := payloads(t, db)
				if tc.code != "" {
					wantCode(t, err, tc.code, "")
					if !strings.Contains(rapport.ErrorMessage(err)+firstField(err), tc.message) {
						t.Fatalf("message %q %q, want %q", rapport.ErrorMessage(err), firstField(err), tc.message)
					}
					if len(after) != len(before) {
						t.Fatal("a refused request queued a notice")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(after) != len(before)+1 {
					t.Fatalf("%d notices queued, want 1", len(after)-len(before))
				}
				n := after[0] // newest first
				wantKind := desk.NoticeInvited
				if tc.handover {
					wantKind = desk.NoticeHandover
				}
				if n.Kind != wantKind || n.Body != tc.text || n.By != r.ann.Name {
					t.Fatalf("notice %+v", n)
				}
				evs, _, _ := r.d.Timeline(as(r.sue), r.ticket.ID, "", 200)
				last := evs[len(evs)-1]
				if !last.Internal || last.Body != tc.text {
					t.Fatalf("last event %+v", last)
				}
				if tc.handover {
					if prev := evs[len(evs)-2]; prev.Type != rapport.EventAssigned || prev.Internal {
						t.Fatalf("the assignment before the handover note: %+v", prev)
					}
				}
			})
		}
		// The requester sees who has it now, never the notes.
		evs, _, _ := r.d.Timeline(as(r.pat), r.ticket.ID, "", 200)
		for _, e := range evs {
			if e.Type == rapport.EventInvited || e.Type == rapport.EventHandover {
				t.Fatalf("the requester sees %+v", e)
			}
		}
		id := strconv.FormatInt(r.ticket.ID, 10)
		want := []string{"invited:" + id + ":" + strconv.FormatInt(bob.ID, 10), "invited:" + id + ":" + strconv.FormatInt(r.sue.ID, 10),
			"handover:" + id + ":" + strconv.FormatInt(bob.ID, 10)}
		if strings.Join(al.got, ",") != strings.Join(want, ",") {
			t.Fatalf("alerts %v, want %v", al.got, want)
		}
	})
}

// TestConcurrentStrikes: agents striking the ticket's messages at once
// never give more than three strikes, nor two steps the same number.
func TestConcurrentStrikes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		var wg sync.WaitGroup
		var mu sync.Mutex
		steps := map[int]int{}
		refused := 0
		for i, m := range r.msgs {
			agent := mustAdd(t, r.d, "agent"+strconv.Itoa(i)+"@example.com", rapport.RoleAgent)
			wg.Go(func() {
				s, _, err := r.d.Strike(as(agent), r.ticket.ID, m.ID, "")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					steps[s.Step]++
				case rapport.ErrorCode(err) == rapport.ECONFLICT:
					refused++
				default:
					t.Errorf("strike: %v", err)
				}
			})
		}
		wg.Wait()
		if refused != 1 || len(steps) != 3 || steps[1] != 1 || steps[2] != 1 || steps[3] != 1 {
			t.Fatalf("steps given %v, %d refused; want 1, 2 and 3 once each and one refused", steps, refused)
		}
		tk, _ := db.FindTicketByID(context.Background(), r.ticket.ID)
		if tk.Strikes != 3 || tk.Status != rapport.StatusClosed {
			t.Fatalf("ticket after concurrent strikes: %d strikes, %s", tk.Strikes, tk.Status)
		}
	})
}

// TestStrikeAsShown: a strike confirmed on the text of one step is
// refused when the ticket moved to another meanwhile.
func TestStrikeAsShown(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newStrikeRig(t, db)
		// Both read strike 1's text; a colleague gives it first.
		if _, _, err := r.d.StrikeAsShown(as(r.ann), r.ticket.ID, r.msgs[0].ID, "", 1); err != nil {
			t.Fatal(err)
		}
		_, _, err := r.d.StrikeAsShown(as(r.sue), r.ticket.ID, r.msgs[1].ID, "", 1)
		wantCode(t, err, rapport.ECONFLICT, "")
		if !strings.Contains(rapport.ErrorMessage(err), "would now be strike 2 of 3") {
			t.Fatalf("refused with %q", rapport.ErrorMessage(err))
		}
		if s, _, err := r.d.StrikeAsShown(as(r.sue), r.ticket.ID, r.msgs[1].ID, "", 2); err != nil || s.Step != 2 {
			t.Fatalf("strike 2 as shown: %+v, %v", s, err)
		}
	})
}
