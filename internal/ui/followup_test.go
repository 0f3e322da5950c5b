package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestFollowUpLinks: the links of a check-in mail, opened without signing
// in. Opening one (as a mail scanner does) changes nothing; only the
// page's button answers; a mistake keeps the words; a changed or expired
// link gets a kind page, never a 500. The requester also answers on the
// ticket page, and thanks the agent there; staff see the kudos.
func TestFollowUpLinks(t *testing.T) {
	f := newFixture(t, testdb.Open(t, "sqlite"))
	now := time.Date(2030, 4, 1, 9, 0, 0, 0, time.UTC)
	f.desk.Now = func() time.Time { return now }
	ann := f.as(t, "ann@example.com")
	staff := f.client(t)
	f.signIn(t, staff, "ann@example.com")
	tk := f.ask(t, "Wi-Fi drops", "Every hour.")
	other := f.ask(t, "Mouse", "Sticky.")
	for _, id := range []int64{tk.ID, other.ID} {
		if _, err := f.desk.ClaimNext(ann); err != nil {
			t.Fatal(err)
		}
		f.post(t, staff, "/tickets/"+itoa(id)+"/reply", url.Values{"body": {"Replaced the access point."}, "action": {"resolve"}, "checkin_after": {"24h"}}, "/tickets/"+itoa(id))
	}
	now = now.Add(24 * time.Hour)
	if n, err := f.desk.SendDueCheckins(context.Background()); err != nil || n != 2 {
		t.Fatalf("SendDueCheckins = %d, %v", n, err)
	}
	cs, _ := f.desk.Checkins(ann, tk.ID)
	ss, _ := f.desk.Surveys(ann, tk.ID)
	links, err := f.desk.FollowUpLinks(context.Background(), cs[0].ID, ss[0].ID, ss[0].ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	anon := f.client(t)

	body := page(t, f, anon, "/checkin/"+links.Checkin+"?answer=back")
	if !strings.Contains(body, `value="back" checked`) || !strings.Contains(body, "Wi-Fi drops") {
		t.Fatalf("check-in page:\n%s", body)
	}
	if got, _ := f.desk.Ticket(ann, tk.ID); got.Status != rapport.StatusResolved {
		t.Fatalf("opening the link changed the ticket to %s", got.Status)
	}
	res, body := f.do(t, anon, "POST", "/checkin/"+links.Checkin, url.Values{"answer": {"back"}, "words": {""}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="words-error"`) {
		t.Fatalf("empty words: %v\n%s", res.StatusCode, body)
	}
	res, body = f.do(t, anon, "POST", "/checkin/"+links.Checkin, url.Values{"answer": {"back"}, "words": {"Dropped twice this morning."}}, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "open again") {
		t.Fatalf("answer back: %v\n%s", res.StatusCode, body)
	}
	if got, _ := f.desk.Ticket(ann, tk.ID); got.Status != rapport.StatusOpen {
		t.Fatalf("after No, it's back: %s", got.Status)
	}
	if body := page(t, f, anon, "/checkin/"+links.Checkin+"?answer=fixed"); !strings.Contains(body, "You answered already") {
		t.Fatalf("answered check-in page:\n%s", body)
	}

	body = page(t, f, anon, "/survey/"+links.Survey+"?score=2")
	if !strings.Contains(body, `value="2" checked`) {
		t.Fatalf("survey page:\n%s", body)
	}
	if got, _ := f.desk.Surveys(ann, tk.ID); got[0].AnsweredAt != nil {
		t.Fatal("opening the survey link answered it")
	}
	res, body = f.do(t, anon, "POST", "/survey/"+links.Survey, url.Values{"comment": {"Slow."}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="score-error"`) || !strings.Contains(body, "Slow.") {
		t.Fatalf("no score: %v\n%s", res.StatusCode, body)
	}
	res, body = f.do(t, anon, "POST", "/survey/"+links.Survey, url.Values{"score": {"2"}, "comment": {"Slow."}}, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Thank you for your feedback") || !strings.Contains(body, "What happens next") {
		t.Fatalf("survey answer: %v\n%s", res.StatusCode, body)
	}

	for path, want := range map[string]int{
		"/survey/" + links.Survey + "x":  http.StatusNotFound,
		"/checkin/" + links.Survey:       http.StatusNotFound,
		"/survey/nonsense":               http.StatusNotFound,
		"/checkin/c.1.2." + "AAAAAAAAAA": http.StatusNotFound,
	} {
		res, body := f.do(t, anon, "GET", path, nil, nil)
		if res.StatusCode != want || !strings.Contains(body, "This link does not work") {
			t.Fatalf("GET %s: %v, want %v\n%s", path, res.StatusCode, want, body)
		}
	}

	// The second ticket: answered on its page by the signed-in requester.
	pat := f.client(t)
	f.signIn(t, pat, "pat@example.com")
	body = page(t, f, pat, "/tickets/"+itoa(other.ID))
	if !strings.Contains(body, "Is everything still working?") {
		t.Fatalf("portal page lacks the check-in:\n%s", body)
	}
	oc, _ := f.desk.OpenCheckin(ann, other.ID)
	f.post(t, pat, "/tickets/"+itoa(other.ID)+"/checkin/answer", url.Values{"checkin": {itoa(oc.ID)}, "answer": {"fixed"}}, "/tickets/"+itoa(other.ID))
	if got, _ := f.desk.Ticket(ann, other.ID); got.Status != rapport.StatusClosed {
		t.Fatalf("after Yes, all good: %s", got.Status)
	}
	f.post(t, pat, "/tickets/"+itoa(other.ID)+"/kudos", url.Values{"message": {"Thanks for the quick fix!"}}, "/tickets/"+itoa(other.ID))
	annID := rapport.UserFromContext(ann).ID
	f.signIn(t, staff, "ann@example.com") // the clock moved past the first session's idle limit
	if body := page(t, f, staff, "/people/"+itoa(annID)); !strings.Contains(body, "Thanks for the quick fix!") {
		t.Fatalf("kudos missing from the profile:\n%s", body)
	}
	res, body = f.do(t, staff, "POST", "/people/"+itoa(annID)+"/kudos", url.Values{"message": {"Well done me"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot thank yourself") {
		t.Fatalf("thanking oneself: %v\n%s", res.StatusCode, body)
	}

	now = ss[0].ExpiresAt
	res, body = f.do(t, anon, "GET", "/survey/"+links.Survey, nil, nil)
	if res.StatusCode != http.StatusGone || !strings.Contains(body, "This link has expired") {
		t.Fatalf("expired link: %v\n%s", res.StatusCode, body)
	}
}
