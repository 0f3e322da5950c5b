package desk_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// followRig is a desk on a fake clock with notices on, a requester (pat),
// an agent (ann) and a supervisor (sue), and pat's ticket that ann works on.
type followRig struct {
	db         *store.DB
	d          *desk.Desk
	now        time.Time
	pat, ann   *rapport.User
	sue        *rapport.User
	ticketID   int64
	resolvedAt time.Time
}

func newFollowRig(t *testing.T, db *store.DB) *followRig {
	t.Helper()
	r := &followRig{db: db, now: time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)}
	r.d, r.pat, r.ann = people(t, db, func() time.Time { return r.now })
	r.d.Notices = true
	r.sue = mustAdd(t, r.d, "sue@example.com", rapport.RoleSupervisor)
	r.ticketID = ask(t, r.d, r.pat, rapport.Impact{}).ID
	if _, err := r.d.ClaimNext(as(r.ann)); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *followRig) resolve(t *testing.T, after string) {
	t.Helper()
	if _, err := r.d.ResolveWith(as(r.ann), r.ticketID, desk.Resolution{Text: "Replaced the cable.", CheckinAfter: after}); err != nil {
		t.Fatal(err)
	}
	r.resolvedAt = r.now
}

func (r *followRig) checkins(t *testing.T) []*rapport.Checkin {
	t.Helper()
	cs, err := r.d.Checkins(as(r.ann), r.ticketID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func (r *followRig) send(t *testing.T) int {
	t.Helper()
	n, err := r.d.SendDueCheckins(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// notices returns the notice jobs queued, by kind.
func (r *followRig) notices(t *testing.T) map[desk.NoticeKind][]desk.Notice {
	t.Helper()
	js, err := r.d.Jobs(context.Background(), rapport.JobFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[desk.NoticeKind][]desk.Notice{}
	for _, j := range js {
		var n desk.Notice
		if j.Kind == desk.NoticeJob.Name && json.Unmarshal(j.Payload, &n) == nil {
			out[n.Kind] = append(out[n.Kind], n)
		}
	}
	return out
}

// TestCheckinSentOnceWhenDue: a resolve schedules the check-in at the
// site's delay; it is not sent a minute early, is sent once when due with
// its survey (naming the resolving agent) and its mail, and never again.
func TestCheckinSentOnceWhenDue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newFollowRig(t, db)
		r.d.FollowUpAfter = 48 * time.Hour
		r.resolve(t, "")
		cs := r.checkins(t)
		if len(cs) != 1 || !cs[0].DueAt.Equal(r.resolvedAt.Add(48*time.Hour)) || cs[0].State() != "scheduled" {
			t.Fatalf("check-ins after resolve: %+v", cs)
		}
		r.now = r.resolvedAt.Add(48*time.Hour - time.Minute)
		if n := r.send(t); n != 0 {
			t.Fatalf("sent %d a minute early", n)
		}
		r.now = r.now.Add(time.Minute)
		if n := r.send(t); n != 1 {
			t.Fatalf("sent %d when due, want 1", n)
		}
		if n := r.send(t); n != 0 {
			t.Fatalf("sent %d more on the second run", n)
		}
		c, err := r.d.OpenCheckin(as(r.pat), r.ticketID)
		if err != nil || c == nil || c.SentAt == nil || !c.SentAt.Equal(r.now) {
			t.Fatalf("open check-in: %+v, %v", c, err)
		}
		ss, err := r.d.Surveys(as(r.ann), r.ticketID)
		if err != nil || len(ss) != 1 || ss[0].Agent == nil || ss[0].Agent.ID != r.ann.ID || !ss[0].ExpiresAt.Equal(r.now.Add(rapport.DefaultSurveyExpiry)) {
			t.Fatalf("surveys: %+v, %v", ss, err)
		}
		mails := r.notices(t)[desk.NoticeCheckin]
		if len(mails) != 1 || mails[0].To != r.pat.ID || mails[0].CheckinToken == "" || mails[0].SurveyToken == "" {
			t.Fatalf("check-in mails: %+v", mails)
		}
	})
}

// TestCheckinChoices: the agent's choice at resolve time and on the
// ticket page, and what cancels a check-in before it is sent.
func TestCheckinChoices(t *testing.T) {
	for _, tc := range []struct {
		name      string
		after     string
		then      func(t *testing.T, r *followRig) error
		wantState []string
		wantCode  string
	}{
		{"default", "", nil, []string{"scheduled"}, ""},
		{"a day", "24h", nil, []string{"scheduled"}, ""},
		{"in days", "5d", nil, []string{"scheduled"}, ""},
		{"none at resolve", "none", nil, nil, ""},
		{"bad delay", "soon", nil, nil, rapport.EINVALID},
		{"too long", "400d", nil, nil, rapport.EINVALID},
		{"reopened before due", "", func(t *testing.T, r *followRig) error {
			_, _, err := r.d.Reopen(as(r.pat), r.ticketID, "It broke again")
			return err
		}, []string{"cancelled"}, ""},
		{"closed before due", "", func(t *testing.T, r *followRig) error {
			_, err := r.d.Close(as(r.ann), r.ticketID)
			return err
		}, []string{"cancelled"}, ""},
		{"changed on the page", "", func(t *testing.T, r *followRig) error {
			c, err := r.d.SetCheckin(as(r.ann), r.ticketID, "1h")
			if err == nil && (c == nil || !c.DueAt.Equal(r.resolvedAt.Add(time.Hour))) {
				t.Fatalf("new check-in %+v", c)
			}
			return err
		}, []string{"cancelled", "scheduled"}, ""},
		{"cancelled on the page", "", func(t *testing.T, r *followRig) error {
			c, err := r.d.SetCheckin(as(r.ann), r.ticketID, "none")
			if c != nil {
				t.Fatalf("none scheduled %+v", c)
			}
			return err
		}, []string{"cancelled"}, ""},
		{"requester cannot change it", "", func(t *testing.T, r *followRig) error {
			_, err := r.d.SetCheckin(as(r.pat), r.ticketID, "1h")
			return err
		}, []string{"scheduled"}, rapport.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := testdb.Open(t, "sqlite")
			r := newFollowRig(t, db)
			_, err := r.d.ResolveWith(as(r.ann), r.ticketID, desk.Resolution{Text: "Done.", CheckinAfter: tc.after})
			r.resolvedAt = r.now
			if err == nil && tc.then != nil {
				r.now = r.now.Add(time.Hour / 2)
				err = tc.then(t, r)
			}
			if got := rapport.ErrorCode(err); got != tc.wantCode {
				t.Fatalf("error %v, want code %q", err, tc.wantCode)
			}
			var states []string
			for _, c := range r.checkins(t) {
				states = append(states, c.State())
			}
			if strings.Join(states, ",") != strings.Join(tc.wantState, ",") {
				t.Fatalf("check-ins %v, want %v", states, tc.wantState)
			}
			if tc.wantCode == rapport.EINVALID {
				if tk, _ := r.d.Ticket(as(r.ann), r.ticketID); tk.Status == rapport.StatusResolved {
					t.Fatal("a refused resolve resolved the ticket")
				}
			}
		})
	}
}

// TestRequesterResolvesOwn: a requester who resolves their own ticket is
// not asked whether it still works.
func TestRequesterResolvesOwn(t *testing.T) {
	r := newFollowRig(t, testdb.Open(t, "sqlite"))
	if _, err := r.d.Resolve(as(r.pat), r.ticketID, "Found it myself."); err != nil {
		t.Fatal(err)
	}
	if cs := r.checkins(t); len(cs) != 0 {
		t.Fatalf("check-ins: %+v", cs)
	}
}

// sent resolves the ticket and sends its check-in, returning it.
func (r *followRig) sent(t *testing.T) *rapport.Checkin {
	t.Helper()
	r.resolve(t, "")
	r.now = r.now.Add(r.d.FollowUpAfter)
	if n := r.send(t); n != 1 {
		t.Fatalf("sent %d", n)
	}
	return r.checkins(t)[0]
}

// TestCheckinAnswers: "Yes, all good" closes the ticket; "No, it's back"
// reopens it with the person's words (a follow-up past the reopen
// window); each check-in is answered once, and a refused answer changes
// nothing.
func TestCheckinAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		t.Run("fixed", func(t *testing.T) {
			r := newFollowRig(t, testdb.Open(t, db.Dialect()))
			c := r.sent(t)
			tk, err := r.d.AnswerCheckin(as(r.pat), c.ID, rapport.CheckinFixed, "")
			if err != nil || tk.Status != rapport.StatusClosed {
				t.Fatalf("answer fixed: %v, %v", tk, err)
			}
			_, err = r.d.AnswerCheckin(as(r.pat), c.ID, rapport.CheckinBack, "Actually it broke")
			wantCode(t, err, rapport.ECONFLICT, "")
			if tk, _ := r.d.Ticket(as(r.pat), r.ticketID); tk.Status != rapport.StatusClosed {
				t.Fatalf("second answer changed the ticket to %s", tk.Status)
			}
		})
		t.Run("back", func(t *testing.T) {
			r := newFollowRig(t, testdb.Open(t, db.Dialect()))
			c := r.sent(t)
			_, err := r.d.AnswerCheckin(as(r.pat), c.ID, rapport.CheckinBack, "  ")
			wantCode(t, err, rapport.EINVALID, "words")
			if c2, _ := r.d.OpenCheckin(as(r.pat), r.ticketID); c2 == nil {
				t.Fatal("a refused answer closed the check-in")
			}
			_, err = r.d.AnswerCheckin(as(r.ann), c.ID, rapport.CheckinBack, "Not mine")
			wantCode(t, err, rapport.ENOTFOUND, "")
			tk, err := r.d.AnswerCheckin(as(r.pat), c.ID, rapport.CheckinBack, "The screen flickers again.")
			if err != nil || tk.Status != rapport.StatusOpen || tk.ID != r.ticketID {
				t.Fatalf("answer back: %+v, %v", tk, err)
			}
			ev := lastEvent(t, r.d, r.ann, r.ticketID)
			if ev.Type != rapport.EventReopened || ev.Body != "The screen flickers again." {
				t.Fatalf("last event %s %q", ev.Type, ev.Body)
			}
			if cs := r.checkins(t); cs[0].Answer != rapport.CheckinBack || cs[0].AnsweredAt == nil {
				t.Fatalf("check-in after answer: %+v", cs[0])
			}
		})
		t.Run("back past the reopen window", func(t *testing.T) {
			r := newFollowRig(t, testdb.Open(t, db.Dialect()))
			r.d.ReopenWindow = time.Hour
			c := r.sent(t)
			tk, err := r.d.AnswerCheckin(as(r.pat), c.ID, rapport.CheckinBack, "It is back.")
			if err != nil || tk.ID == r.ticketID || tk.FollowUpOf == nil || *tk.FollowUpOf != r.ticketID {
				t.Fatalf("answer back late: %+v, %v", tk, err)
			}
		})
	})
}

// TestSurveyLinks: a signed link opens its survey without signing in; a
// changed one, one for another kind of thing, and an expired one are
// refused with plain words; a complaint tells the supervisors once and
// thanks the person; the answer may change until the survey expires.
func TestSurveyLinks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newFollowRig(t, db)
		c := r.sent(t)
		ss, _ := r.d.Surveys(as(r.ann), r.ticketID)
		links, err := r.d.FollowUpLinks(context.Background(), c.ID, ss[0].ID, ss[0].ExpiresAt)
		if err != nil {
			t.Fatal(err)
		}
		bg := context.Background()
		if s, tk, err := r.d.SurveyByLink(bg, links.Survey); err != nil || s.ID != ss[0].ID || tk.ID != r.ticketID {
			t.Fatalf("survey by link: %v, %v, %v", s, tk, err)
		}
		tampered := []string{
			links.Survey[:len(links.Survey)-1] + "x",
			strings.Replace(links.Survey, "s.", "s.1", 1),
			links.Checkin, // a check-in's link is no survey's
			"", "s.1.2", "nonsense",
		}
		for _, tok := range tampered {
			_, err := r.d.AnswerSurveyByLink(bg, tok, rapport.SurveyAnswer{Score: 5})
			if expired, bad := desk.LinkErr(err); !bad || expired {
				t.Fatalf("link %q: %v, want a bad link", tok, err)
			}
		}
		_, err = r.d.AnswerSurveyByLink(bg, links.Survey, rapport.SurveyAnswer{Score: 0})
		wantCode(t, err, rapport.EINVALID, "score")
		_, err = r.d.AnswerSurveyByLink(bg, links.Survey, rapport.SurveyAnswer{Score: 3, Comment: strings.Repeat("x", rapport.MaxSurveyCommentLen+1)})
		wantCode(t, err, rapport.EINVALID, "comment")

		s, err := r.d.AnswerSurveyByLink(bg, links.Survey, rapport.SurveyAnswer{Score: 2, Comment: "Took a week."})
		if err != nil || s.Score == nil || *s.Score != 2 || s.Comment != "Took a week." {
			t.Fatalf("answer: %+v, %v", s, err)
		}
		if _, err := r.d.AnswerSurvey(as(r.pat), s.ID, rapport.SurveyAnswer{Score: 1, Comment: "Took a week!"}); err != nil {
			t.Fatal(err)
		}
		n := r.notices(t)
		if len(n[desk.NoticeComplaint]) != 1 || n[desk.NoticeComplaint][0].To != 0 || len(n[desk.NoticeFeedbackThanks]) != 1 {
			t.Fatalf("complaint notices %+v, thanks %+v; want one each", n[desk.NoticeComplaint], n[desk.NoticeFeedbackThanks])
		}
		_, err = r.d.AnswerSurvey(as(r.ann), s.ID, rapport.SurveyAnswer{Score: 5})
		wantCode(t, err, rapport.ENOTFOUND, "")

		r.now = ss[0].ExpiresAt
		_, err = r.d.AnswerSurveyByLink(bg, links.Survey, rapport.SurveyAnswer{Score: 5})
		if expired, _ := desk.LinkErr(err); !expired {
			t.Fatalf("expired link: %v", err)
		}
		_, err = r.d.AnswerSurvey(as(r.pat), s.ID, rapport.SurveyAnswer{Score: 5})
		wantCode(t, err, rapport.ECONFLICT, "")
		if got, _ := r.d.Surveys(as(r.ann), r.ticketID); *got[0].Score != 1 {
			t.Fatalf("score after expiry %d", *got[0].Score)
		}
	})
}

// TestKudos: thanks from a requester on their ticket and between staff,
// and the plain refusals.
func TestKudos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		r := newFollowRig(t, db)
		ray := mustAdd(t, r.d, "ray@example.com", rapport.RoleRequester)
		for _, tc := range []struct {
			name     string
			from     *rapport.User
			in       desk.KudosInput
			code     string
			field    string
			wantToID int64
		}{
			{"requester on their ticket", r.pat, desk.KudosInput{TicketID: r.ticketID, Message: "Thank you, Ann!"}, "", "", r.ann.ID},
			{"staff to staff", r.sue, desk.KudosInput{To: r.ann.ID, Message: "Great handling of a hard call."}, "", "", r.ann.ID},
			{"staff to staff on a ticket", r.ann, desk.KudosInput{To: r.sue.ID, TicketID: r.ticketID, Message: "Thanks for stepping in."}, "", "", r.sue.ID},
			{"yourself", r.ann, desk.KudosInput{To: r.ann.ID, Message: "Me!"}, rapport.EINVALID, "to", 0},
			{"empty", r.sue, desk.KudosInput{To: r.ann.ID, Message: "  "}, rapport.EINVALID, "message", 0},
			{"too long", r.sue, desk.KudosInput{To: r.ann.ID, Message: strings.Repeat("a", rapport.MaxKudosLen+1)}, rapport.EINVALID, "message", 0},
			{"to a requester", r.ann, desk.KudosInput{To: r.pat.ID, Message: "Thanks"}, rapport.EINVALID, "to", 0},
			{"requester without ticket", r.pat, desk.KudosInput{To: r.ann.ID, Message: "Thanks"}, rapport.EINVALID, "ticket_id", 0},
			{"someone else's ticket", ray, desk.KudosInput{TicketID: r.ticketID, Message: "Thanks"}, rapport.EINVALID, "ticket_id", 0},
			{"requester to other staff", r.pat, desk.KudosInput{To: r.sue.ID, TicketID: r.ticketID, Message: "Thanks"}, rapport.EINVALID, "to", 0},
			{"nobody", r.sue, desk.KudosInput{To: 9999, Message: "Thanks"}, rapport.EINVALID, "to", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				k, err := r.d.GiveKudos(as(tc.from), tc.in)
				wantCode(t, err, tc.code, tc.field)
				if tc.code == "" && (k.To.ID != tc.wantToID || k.From.ID != tc.from.ID) {
					t.Fatalf("kudos %+v", k)
				}
			})
		}
		ks, err := r.d.Kudos(as(r.ann), r.ann.ID, 10)
		if err != nil || len(ks) != 2 || ks[0].Message != "Great handling of a hard call." || ks[1].TicketID == nil {
			t.Fatalf("ann's kudos: %+v, %v", ks, err)
		}
		_, err = r.d.Kudos(as(r.pat), r.ann.ID, 10)
		wantCode(t, err, rapport.EFORBIDDEN, "")
	})
}
