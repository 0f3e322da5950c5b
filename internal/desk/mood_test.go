package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

const (
	angryText      = "THIS IS RIDICULOUS. I HAVE BEEN WAITING FOR A WEEK AND NOBODY HAS DONE ANYTHING."
	frustratedText = "This is still not working and the drive vanished again. I can't print anything."
	calmText       = "Thank you, I will try that after lunch."
)

// moodClock is a desk clock tests move by hand.
type moodClock struct{ t time.Time }

func (c *moodClock) now() time.Time      { return c.t }
func (c *moodClock) add(d time.Duration) { c.t = c.t.Add(d) }

// lastEvent returns the latest event of ticket id as u sees it.
func lastEvent(t *testing.T, d *desk.Desk, u *rapport.User, id int64) *rapport.Event {
	t.Helper()
	evs, _, err := d.Timeline(as(u), id, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	return evs[len(evs)-1]
}

// checkMood checks ticket id's mood as staff see it, that the latest
// requester event carries it, and that the requester sees neither.
func checkMood(t *testing.T, d *desk.Desk, staff, requester *rapport.User, id int64, ev *rapport.Event, want rapport.Mood, reason string) {
	t.Helper()
	tk, err := d.Ticket(as(staff), id)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Mood != want || !strings.Contains(tk.MoodReason, reason) {
		t.Errorf("ticket %d: Mood=%v (%q), want %v with %q", id, tk.Mood, tk.MoodReason, want, reason)
	}
	if want != rapport.MoodCalm && tk.MoodReason == "" {
		t.Errorf("ticket %d is %v with no reason", id, want)
	}
	if ev != nil {
		if ev.Data[desk.DataMood] != string(want) || ev.Data[desk.DataMoodReason] != tk.MoodReason {
			t.Errorf("event %d data %v, want mood %v and reason %q", ev.ID, ev.Data, want, tk.MoodReason)
		}
	}
	checkHidden(t, d, requester, id)
}

// checkHidden checks that requester sees no mood on ticket id's timeline.
func checkHidden(t *testing.T, d *desk.Desk, requester *rapport.User, id int64) {
	t.Helper()
	evs, _, err := d.Timeline(as(requester), id, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if _, ok := e.Data[desk.DataMood]; ok {
			t.Errorf("the requester sees the mood of event %d: %v", e.ID, e.Data)
		}
		if _, ok := e.Data[desk.DataMoodReason]; ok {
			t.Errorf("the requester sees the mood reason of event %d: %v", e.ID, e.Data)
		}
	}
}

// eventByID finds event id on ticket tid, as staff see it.
func eventByID(t *testing.T, d *desk.Desk, staff *rapport.User, tid, id int64) *rapport.Event {
	t.Helper()
	evs, _, err := d.Timeline(as(staff), tid, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no event %d on ticket %d", id, tid)
	return nil
}

func TestMoodFromPortalAPIAndStaff(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := &moodClock{t: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)} // a Monday
		d, pat, ann := people(t, db, clock.now)
		ctx := as(pat)

		// A request made by the requester.
		tk, err := d.CreateTicket(ctx, desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Printer", Body: angryText}})
		if err != nil {
			t.Fatal(err)
		}
		checkMood(t, d, ann, pat, tk.ID, lastEvent(t, d, ann, tk.ID), rapport.MoodAngry, "writes in capitals")

		// Logged by an agent on someone's behalf (a phone call).
		logged, err := d.CreateTicket(as(ann), desk.NewTicket{RequesterEmail: "sam@example.com",
			TicketInput: rapport.TicketInput{Subject: "Call", Body: frustratedText}})
		if err != nil {
			t.Fatal(err)
		}
		sam, err := db.FindUserByEmail(context.Background(), "sam@example.com")
		if err != nil {
			t.Fatal(err)
		}
		checkMood(t, d, ann, sam, logged.ID, lastEvent(t, d, ann, logged.ID), rapport.MoodFrustrated, "says 'still' and 'again'")

		// The requester's calm reply makes the ticket calm: the mood is
		// the latest message's. The event the requester gets back has
		// none of it.
		clock.add(time.Minute)
		ev, err := d.AddMessage(ctx, tk.ID, calmText, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.Data) != 0 {
			t.Errorf("the requester's own reply comes back with %v", ev.Data)
		}
		checkMood(t, d, ann, pat, tk.ID, eventByID(t, d, ann, tk.ID, ev.ID), rapport.MoodCalm, "")

		// A staff reply and an internal note leave the mood alone.
		clock.add(time.Minute)
		if _, err := d.AddMessage(ctx, tk.ID, frustratedText, false); err != nil {
			t.Fatal(err)
		}
		for _, internal := range []bool{false, true} {
			clock.add(time.Minute)
			sev, err := d.AddMessage(as(ann), tk.ID, angryText, internal)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := sev.Data[desk.DataMood]; ok {
				t.Errorf("a staff message has a mood: %v", sev.Data)
			}
		}
		checkMood(t, d, ann, pat, tk.ID, nil, rapport.MoodFrustrated, "says 'still' and 'again'")

		// Four days without a reply from staff count, with the day.
		clock.add(4 * 24 * time.Hour)
		ev, err = d.AddMessage(ctx, tk.ID, "Any news on this? I still can't print.", false)
		if err != nil {
			t.Fatal(err)
		}
		checkMood(t, d, ann, pat, tk.ID, eventByID(t, d, ann, tk.ID, ev.ID), rapport.MoodFrustrated, "no reply from us since Monday (4 days)")

		// Three messages within the hour.
		for i := 0; i < 2; i++ {
			clock.add(10 * time.Minute)
			if _, err = d.AddMessage(ctx, tk.ID, "Any news?", false); err != nil {
				t.Fatal(err)
			}
		}
		checkMood(t, d, ann, pat, tk.ID, nil, rapport.MoodFrustrated, "third message in an hour")
		if got := desk.Acknowledgement(mustTicket(t, d, ann, tk.ID)); !strings.HasPrefix(got, "I can imagine this is really frustrating, especially after waiting since Monday") {
			t.Errorf("Acknowledgement = %q", got)
		}
	})
}

func mustTicket(t *testing.T, d *desk.Desk, u *rapport.User, id int64) *rapport.Ticket {
	t.Helper()
	tk, err := d.Ticket(as(u), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestMoodOnHoldIsNoWait(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := &moodClock{t: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)}
		d, pat, ann := people(t, db, clock.now)
		tk := ask(t, d, pat, rapport.Impact{})
		if _, err := d.Wait(as(ann), tk.ID, "Waiting for your screenshot", nil); err != nil {
			t.Fatal(err)
		}
		clock.add(5 * 24 * time.Hour)
		if _, err := d.AddMessage(as(pat), tk.ID, "Here is the screenshot.", false); err != nil {
			t.Fatal(err)
		}
		checkMood(t, d, ann, pat, tk.ID, nil, rapport.MoodCalm, "")
	})
}

func TestMoodFromReopenAndFollowUp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := &moodClock{t: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)}
		d, pat, ann := people(t, db, clock.now)
		tk := ask(t, d, pat, rapport.Impact{})
		if _, err := d.Resolve(as(ann), tk.ID, "Replaced the toner."); err != nil {
			t.Fatal(err)
		}
		clock.add(time.Hour)
		re, _, err := d.Reopen(as(pat), tk.ID, "It is jamming again, this is so annoying.")
		if err != nil {
			t.Fatal(err)
		}
		checkMood(t, d, ann, pat, re.ID, lastEvent(t, d, ann, re.ID), rapport.MoodFrustrated, "reopens a ticket we thought was fixed")

		// Past the window: the follow-up carries the mood of its reason.
		if _, err := d.Resolve(as(ann), tk.ID, "Cleaned the rollers."); err != nil {
			t.Fatal(err)
		}
		clock.add(d.ReopenWindow + time.Hour)
		f, followUp, err := d.Reopen(as(pat), tk.ID, "You people are useless, the printer is broken AGAIN!!!")
		if err != nil || !followUp {
			t.Fatalf("Reopen = %v, %v", followUp, err)
		}
		checkMood(t, d, ann, pat, f.ID, lastEvent(t, d, ann, f.ID), rapport.MoodAngry, "aims words at the help desk")
	})
}

func TestMoodFromMail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := &moodClock{t: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)}
		d, pat, ann := people(t, db, clock.now)
		ctx := context.Background()
		n := 0
		mail := func(from, subject, body string, tag int64) *rapport.InboundMail {
			n++
			m := &rapport.InboundMail{DedupeKey: "<m" + string(rune('a'+n)) + "@example.com>", Source: "smtp",
				FromAddr: from, Subject: subject, Body: body, Text: body, TagTicket: tag, Raw: []byte(body)}
			if _, err := d.ReceiveMail(ctx, m); err != nil {
				t.Fatal(err)
			}
			if m.TicketID == nil {
				t.Fatalf("mail %q made no ticket: %s %s", subject, m.Outcome, m.Reason)
			}
			return m
		}
		// A new request by mail, from someone new.
		m := mail("kim@example.com", "Laptop", angryText, 0)
		kim, err := db.FindUserByEmail(ctx, "kim@example.com")
		if err != nil {
			t.Fatal(err)
		}
		id := *m.TicketID
		checkMood(t, d, ann, kim, id, lastEvent(t, d, ann, id), rapport.MoodAngry, "writes in capitals")

		// The requester's reply by mail.
		clock.add(time.Minute)
		mail("kim@example.com", "Re: Laptop", calmText, id)
		checkMood(t, d, ann, kim, id, lastEvent(t, d, ann, id), rapport.MoodCalm, "")

		// Staff replying by mail leave it as it is.
		clock.add(time.Minute)
		mail("pat@example.com", "Re: Laptop", "Unrelated", 0) // pat's own new ticket
		mail("ann@example.com", "Re: Laptop", angryText, id)
		if ev := lastEvent(t, d, ann, id); ev.Data[desk.DataMood] != "" {
			t.Errorf("a staff mail has a mood: %v", ev.Data)
		}
		checkMood(t, d, ann, kim, id, nil, rapport.MoodCalm, "")

		// A reply by mail to a resolved ticket reopens it, read.
		if _, err := d.Resolve(as(ann), id, "New battery."); err != nil {
			t.Fatal(err)
		}
		clock.add(time.Hour)
		mail("kim@example.com", "Re: Laptop", frustratedText, id)
		checkMood(t, d, ann, kim, id, lastEvent(t, d, ann, id), rapport.MoodFrustrated, "reopens a ticket we thought was fixed")
		_ = pat
	})
}

func TestMoodCountsTicketsThisWeek(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := &moodClock{t: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)}
		d, pat, ann := people(t, db, clock.now)
		var last *rapport.Ticket
		for i := 0; i < 3; i++ {
			clock.add(26 * time.Hour) // apart: no two in the same hour
			tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Laptop", Body: "My laptop is still slow."}})
			if err != nil {
				t.Fatal(err)
			}
			last = tk
		}
		checkMood(t, d, ann, pat, last.ID, lastEvent(t, d, ann, last.ID), rapport.MoodFrustrated, "third ticket this week")
		// A week later the old ones no longer count.
		clock.add(8 * 24 * time.Hour)
		tk, err := d.CreateTicket(as(pat), desk.NewTicket{TicketInput: rapport.TicketInput{Subject: "Laptop", Body: "My laptop is still slow."}})
		if err != nil {
			t.Fatal(err)
		}
		checkMood(t, d, ann, pat, tk.ID, nil, rapport.MoodCalm, "")
	})
}

// TestMoodDaysInRequesterZone: the day a mood cue names is the
// requester's: their profile's zone, else the site's, else UTC. Asked
// Monday 23:00 UTC, written again Wednesday 01:00 UTC: in UTC that wait
// began on Monday, in Tokyo (Tuesday 08:00 to Wednesday 10:00) yesterday.
func TestMoodDaysInRequesterZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		profile string
		site    *time.Location
		want    string
	}{
		{"no zone anywhere: UTC", "", nil, "waiting for a first reply since Monday (1 day)"},
		{"the requester's zone", "Asia/Tokyo", nil, "waiting for a first reply since yesterday (1 day)"},
		{"the site's zone", "", tokyo, "waiting for a first reply since yesterday (1 day)"},
		{"the requester's zone before the site's", "Europe/London", tokyo, "waiting for a first reply since Monday (1 day)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *store.DB) {
				clock := &moodClock{t: time.Date(2026, 11, 16, 23, 0, 0, 0, time.UTC)} // a Monday
				d, pat, ann := people(t, db, clock.now)
				d.Location = tc.site
				if tc.profile != "" {
					zone := tc.profile
					if _, err := d.UpdateMyProfile(as(pat), rapport.ProfileUpdate{TimeZone: &zone}); err != nil {
						t.Fatal(err)
					}
				}
				tk := ask(t, d, pat, rapport.Impact{})
				clock.add(26 * time.Hour)
				ev, err := d.AddMessage(as(pat), tk.ID, "Any news on this? I still can't print.", false)
				if err != nil {
					t.Fatal(err)
				}
				checkMood(t, d, ann, pat, tk.ID, eventByID(t, d, ann, tk.ID, ev.ID), rapport.MoodFrustrated, tc.want)
			})
		})
	}
}
