package mood

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdesk/rapport"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC) // a Friday

func TestReadCues(t *testing.T) {
	for _, tc := range []struct {
		name    string
		text    string
		h       History
		want    rapport.Mood
		kinds   []Kind // each must be among the cues
		without []Kind // none may be
		reason  string // must be in Reason
	}{
		{name: "polite", text: "Could you please reset my password? Thanks.", want: rapport.MoodCalm},
		{name: "happy exclamations are joy", text: "Thanks!!! That fixed it.", want: rapport.MoodCalm, without: []Kind{KindExclaim}},
		{name: "happy capitals are joy", text: "THANK YOU SO MUCH, IT WORKS", want: rapport.MoodCalm, without: []Kind{KindShouting}},
		{name: "negated anger", text: "I'm not angry, just confused about the form.", want: rapport.MoodCalm, without: []Kind{KindFrustrate}},
		{name: "not urgent", text: "Not urgent: the projector flickers a little.", want: rapport.MoodCalm, without: []Kind{KindUrgent}},
		{name: "hello again is not a repeat", text: "Hello again, one more question about Teams.", want: rapport.MoodCalm, without: []Kind{KindRepeat}},
		{name: "still and again", text: "It is still broken and the drive vanished again.", want: rapport.MoodFrustrated,
			kinds: []Kind{KindRepeat}, reason: "says 'still' and 'again'"},
		{name: "nth time", text: "For the third time, my name is spelled wrong.", want: rapport.MoodFrustrated,
			kinds: []Kind{KindRepeat}, reason: "'third time'"},
		{name: "stressed capitals", text: "The wifi is down AGAIN and I need it.", kinds: []Kind{KindShouting}, reason: "stresses 'AGAIN' in capitals"},
		{name: "acronyms are not shouting", text: "The VPN and the CRM fail with an SSO error again.", without: []Kind{KindShouting}},
		{name: "shouting", text: "WHY IS NOTHING WORKING, I HAVE ASKED BEFORE", want: rapport.MoodAngry,
			kinds: []Kind{KindShouting}, reason: "writes in capitals"},
		{name: "exclamations amplify a complaint", text: "It crashed again!!!", kinds: []Kind{KindExclaim}, reason: "three exclamation marks"},
		{name: "interrobang", text: "Another week?! Seriously?", kinds: []Kind{KindExclaim, KindWaiting}, reason: "'?!'"},
		{name: "escalation", text: "If this is not fixed I'm escalating to your manager.", kinds: []Kind{KindEscalate}, reason: "threatens to escalate"},
		{name: "my manager approved is no threat", text: "My manager Sarah has approved the request.", want: rapport.MoodCalm, without: []Kind{KindEscalate}},
		{name: "formal threat", text: "I will take legal action over my lost data.", kinds: []Kind{KindEscalate}, reason: "'legal action'"},
		{name: "strong swearing", text: "Fix this fucking laptop.", want: rapport.MoodFrustrated, kinds: []Kind{KindSwearing}, reason: "swears ('fucking')"},
		{name: "mild swearing", text: "This bloody printer jams.", kinds: []Kind{KindSwearing}, reason: "mild swearing ('bloody')"},
		{name: "insults", text: "You people are useless.", want: rapport.MoodAngry, kinds: []Kind{KindHostile}},
		{name: "sarcasm", text: "Thanks for nothing.", kinds: []Kind{KindSarcasm}},
		{name: "praise alone is praise", text: "Well done, it works perfectly now.", want: rapport.MoodCalm, without: []Kind{KindSarcasm}},
		{name: "praise after a complaint is sarcasm", text: "Closed again without a fix. Well done.", kinds: []Kind{KindSarcasm, KindIgnored}},
		{name: "waiting in words", text: "I've been waiting since Monday and cannot print.", want: rapport.MoodFrustrated,
			kinds: []Kind{KindWaiting, KindUrgent}},
		{name: "ignored", text: "Is anyone there? Nobody has replied.", kinds: []Kind{KindIgnored}},
		{name: "deadline", text: "My presentation is in an hour and the laptop won't start.", kinds: []Kind{KindUrgent}},
		{name: "ultimatum keeps its negation", text: "Restore my data by tomorrow.", kinds: []Kind{KindUrgent}, reason: "sets a deadline ('by tomorrow')"},
		{name: "reopen", text: "It broke once more.", h: History{Now: now, Reopen: true}, kinds: []Kind{KindRepeat},
			reason: "reopens a ticket we thought was fixed"},
		{name: "many messages in an hour", text: "Any news on this?", h: History{Now: now, RecentMessages: 2},
			kinds: []Kind{KindContact}, reason: "third message in an hour"},
		{name: "many tickets this week", text: "The laptop is slow.", h: History{Now: now, RecentTickets: 3},
			kinds: []Kind{KindContact}, reason: "fourth ticket this week"},
		{name: "no reply for days", text: "Any update please?",
			h:     History{Now: now, Asked: now.Add(-6 * 24 * time.Hour), LastStaffReply: now.Add(-4 * 24 * time.Hour)},
			kinds: []Kind{KindWaiting}, reason: "no reply from us since Monday (4 days)"},
		{name: "never answered", text: "Hello, is there any news?", h: History{Now: now, Asked: now.Add(-30 * time.Hour)},
			kinds: []Kind{KindWaiting}, reason: "waiting for a first reply since yesterday (1 day)"},
		{name: "a recent reply is no wait", text: "Thanks, trying it now.",
			h: History{Now: now, Asked: now.Add(-10 * 24 * time.Hour), LastStaffReply: now.Add(-time.Hour)}, want: rapport.MoodCalm,
			without: []Kind{KindWaiting}},
		{name: "a week of silence and more weighs double", text: "Still nothing.",
			h: History{Now: now, Asked: now.Add(-9 * 24 * time.Hour)}, want: rapport.MoodFrustrated, reason: "(9 days)"},
		{name: "empty", text: "", want: rapport.MoodCalm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Read(tc.text, tc.h)
			if tc.want != "" && r.Mood != tc.want {
				t.Errorf("Mood=%v, want %v (%d points: %s)", r.Mood, tc.want, r.Points, cueWords(r))
			}
			for _, k := range tc.kinds {
				if !hasKind(r, k) {
					t.Errorf("no %s cue in %s", k, cueWords(r))
				}
			}
			for _, k := range tc.without {
				if hasKind(r, k) {
					t.Errorf("a %s cue in %s", k, cueWords(r))
				}
			}
			if tc.reason != "" && !strings.Contains(cueWords(r), tc.reason) {
				t.Errorf("cues %q, want them to say %q", cueWords(r), tc.reason)
			}
			if r.Mood == rapport.MoodCalm && r.Reason != "" || r.Mood != rapport.MoodCalm && r.Reason == "" {
				t.Errorf("Mood %v with Reason %q", r.Mood, r.Reason)
			}
		})
	}
}

func hasKind(r Reading, k Kind) bool {
	for _, c := range r.Cues {
		if c.Kind == k {
			return true
		}
	}
	return false
}

func cueWords(r Reading) string {
	var s []string
	for _, c := range r.Cues {
		s = append(s, c.Words)
	}
	return strings.Join(s, "; ")
}

// TestKindsReadsBackEveryReason checks that every reason Read writes on the
// labelled sets reads back into its cues' kinds, in order: the suggested
// acknowledgement depends on it.
func TestKindsReadsBackEveryReason(t *testing.T) {
	for _, ls := range labelledSets {
		for _, m := range loadLabelled(t, ls.file) {
			r := Read(m.Text, m.history())
			if r.Reason == "" {
				continue
			}
			got, _ := Kinds(r.Reason)
			var want []Kind
			for _, c := range r.Cues {
				want = append(want, c.Kind)
			}
			if strings.Join(kindStrings(got), ",") != strings.Join(kindStrings(want), ",") {
				t.Errorf("Kinds(%q) = %v, want %v", r.Reason, got, want)
			}
		}
	}
}

func kindStrings(ks []Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

func TestAcknowledge(t *testing.T) {
	for _, tc := range []struct {
		mood   rapport.Mood
		reason string
		want   string // "" for none
	}{
		{rapport.MoodCalm, "", ""},
		{rapport.MoodFrustrated, "no reply from us since Monday (4 days)",
			"I can imagine this is really frustrating, especially after waiting since Monday. Thank you for bearing with us."},
		{rapport.MoodFrustrated, "says 'still' and 'again'",
			"I can imagine this is really frustrating, especially having to come back to us about it again. Thank you for bearing with us."},
		{rapport.MoodFrustrated, "third message in an hour; under pressure ('deadline')",
			"I can imagine this is really frustrating, especially having to come back to us about it again. I understand this is urgent for you, and I am treating it that way."},
		{rapport.MoodFrustrated, "under pressure ('in an hour')",
			"I can imagine this is really frustrating, especially with so much riding on it. I understand this is urgent for you, and I am treating it that way."},
		{rapport.MoodFrustrated, "feels unanswered ('is anyone there')",
			"I can imagine this is really frustrating, especially when you have not heard back from us. Thank you for bearing with us."},
		{rapport.MoodAngry, "writes in capitals; waiting for a first reply since 2 November (18 days)",
			"I am sorry. I can see why you are upset, especially after waiting since 2 November, and I want to put this right. I am looking into it myself now and will keep you posted at each step."},
		{rapport.MoodAngry, "aims words at the help desk ('useless')",
			"I am sorry. I can see why you are upset, and I want to put this right. I am looking into it myself now and will keep you posted at each step."},
	} {
		if got := Acknowledge(tc.mood, tc.reason); got != tc.want {
			t.Errorf("Acknowledge(%v, %q)\n = %q\nwant %q", tc.mood, tc.reason, got, tc.want)
		}
	}
}

func TestDayAndSpan(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{now.Add(-time.Hour), "earlier today"},
		{now.Add(-24 * time.Hour), "yesterday"},
		{now.Add(-4 * 24 * time.Hour), "Monday"},
		{now.Add(-18 * 24 * time.Hour), "2 November"},
		{time.Date(2025, 12, 30, 9, 0, 0, 0, time.UTC), "30 December 2025"},
	} {
		if got := Day(tc.t, now, nil); got != tc.want {
			t.Errorf("Day(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "1 minute"},
		{90 * time.Minute, "1 hour"},
		{50 * time.Hour, "2 days"},
		{24 * time.Hour, "1 day"},
		{15 * 24 * time.Hour, "2 weeks"},
	} {
		if got := Span(tc.d); got != tc.want {
			t.Errorf("Span(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	text := "I've been waiting since Monday for someone to look at this and I still can't print anything!!"
	h := History{Now: now, Asked: now.Add(-4 * 24 * time.Hour), RecentMessages: 2}
	Read(text, h)
	b.ResetTimer()
	for b.Loop() {
		Read(text, h)
	}
}

// TestDayInZone: days are counted where the requester is; near midnight
// the day there differs from UTC's. now is Friday 20 November, 10:00 UTC.
func TestDayInZone(t *testing.T) {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	tokyo, la, kiritimati := zone("Asia/Tokyo"), zone("America/Los_Angeles"), zone("Pacific/Kiritimati")
	for _, tc := range []struct {
		name    string
		t       time.Time
		loc     *time.Location
		want    string
		wantUTC string
	}{
		{"Tokyo: Thursday evening UTC is Friday morning", time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC), tokyo, "earlier today", "yesterday"},
		{"Los Angeles: Friday morning UTC is Thursday night", time.Date(2026, 11, 20, 7, 0, 0, 0, time.UTC), la, "yesterday", "earlier today"},
		{"Kiritimati: it is already Saturday", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), kiritimati, "yesterday", "earlier today"},
		{"Tokyo: a weekday", time.Date(2026, 11, 16, 22, 0, 0, 0, time.UTC), tokyo, "Tuesday", "Monday"},
		{"Tokyo: a date", time.Date(2026, 11, 1, 23, 30, 0, 0, time.UTC), tokyo, "2 November", "1 November"},
		{"Tokyo: the new year came", time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC), tokyo, "1 January", "31 December 2025"},
		{"nil is UTC", time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC), nil, "yesterday", "yesterday"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Day(tc.t, now, tc.loc); got != tc.want {
				t.Errorf("Day in %v = %q, want %q", tc.loc, got, tc.want)
			}
			if got := Day(tc.t, now, time.UTC); got != tc.wantUTC {
				t.Errorf("Day in UTC = %q, want %q", got, tc.wantUTC)
			}
		})
	}
	// The waiting cue names the requester's day.
	h := History{Now: now, Asked: time.Date(2026, 11, 16, 22, 0, 0, 0, time.UTC), Location: tokyo}
	if r := Read("Hello, is there any news?", h); !strings.Contains(cueWords(r), "since Tuesday") {
		t.Errorf("cues %q, want them to say since Tuesday (Tokyo)", cueWords(r))
	}
}
