package rapport_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapportdesk/rapport"
)

// Subjects at the limit in scripts whose characters take 2, 3 and 4 bytes,
// and characters drawn from several code points.
var multiByteSeeds = []string{
	strings.Repeat("Ж", 95), strings.Repeat("Ж", 200),
	strings.Repeat("漢", 63), strings.Repeat("漢", 200),
	strings.Repeat("😀", 48), strings.Repeat("😀", 200),
	strings.Repeat("e\u0301", 100),                           // e + combining acute
	strings.Repeat("👩\u200d👩\u200d👧", 40),                    // family: one character of five code points
	strings.Repeat("🇫🇷", 100),                                // flags: pairs of regional indicators
	"a" + strings.Repeat("🇫🇷", 99) + "🇩",                     // an odd indicator out
	strings.Repeat("👍🏽", 100),                                // skin tone modifier
	strings.Repeat("x", 187) + " " + strings.Repeat("y", 12), // a space where the cut falls
	"\xff\xfe bad bytes", "a\x00b", "  padded  ", "",
}

// TestFollowUpSubjectMultiByte: reopening past the window makes a follow-up
// whose subject NewTicket accepts, whatever script the subject is in.
func TestFollowUpSubjectMultiByte(t *testing.T) {
	for _, tc := range []struct {
		name    string
		subject string
		want    string // the follow-up's subject; "" to check only validity
	}{
		{"short", "VPN drops", "Follow-up: VPN drops"},
		{"cyrillic 95", strings.Repeat("Ж", 95), "Follow-up: " + strings.Repeat("Ж", 95)},
		{"cyrillic 200", strings.Repeat("Ж", 200), "Follow-up: " + strings.Repeat("Ж", 188) + "…"},
		{"cjk 63", strings.Repeat("漢", 63), "Follow-up: " + strings.Repeat("漢", 63)},
		{"emoji 48", strings.Repeat("😀", 48), "Follow-up: " + strings.Repeat("😀", 48)},
		{"emoji 200", strings.Repeat("😀", 200), "Follow-up: " + strings.Repeat("😀", 188) + "…"},
		{"ascii 189", strings.Repeat("a", 189), "Follow-up: " + strings.Repeat("a", 189)},
		{"ascii 190", strings.Repeat("a", 190), "Follow-up: " + strings.Repeat("a", 188) + "…"},
		{"accent kept whole", strings.Repeat("e\u0301", 100), "Follow-up: " + strings.Repeat("e\u0301", 94) + "…"},
		{"flag kept whole", strings.Repeat("🇫🇷", 100), "Follow-up: " + strings.Repeat("🇫🇷", 94) + "…"},
		{"space before the cut", strings.Repeat("x", 187) + " " + strings.Repeat("y", 12), "Follow-up: " + strings.Repeat("x", 187) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig, _, err := rapport.NewTicket(rapport.TicketInput{Subject: tc.subject, Body: "x", Channel: rapport.ChannelAPI}, requester, nil, t0)
			if err != nil {
				t.Fatalf("NewTicket: %v", err)
			}
			orig.ID, orig.Status = 7, rapport.StatusClosed
			f, _ := orig.FollowUp(requester, "Still broken", t0)
			if f.Subject != tc.want {
				t.Fatalf("subject=%q (%d characters), want %q", f.Subject, utf8.RuneCountInString(f.Subject), tc.want)
			}
			if _, _, err := rapport.NewTicket(rapport.TicketInput{Subject: f.Subject, Body: f.Body, Channel: f.Channel}, requester, nil, t0); err != nil {
				t.Fatalf("the follow-up's subject is refused: %v", err)
			}
		})
	}
}

func TestCleanTextRefusesInvalidUTF8(t *testing.T) {
	var p rapport.Problems
	rapport.CleanText(&p, "subject", "The subject", "caf\xe9", true, 10)
	if len(p) != 1 || p[0].Field != "subject" {
		t.Fatalf("problems=%v, want one on subject", p)
	}
}

// FuzzFollowUpSubject: any subject NewTicket accepts gives a follow-up whose
// subject NewTicket accepts unchanged, within the limit, with no character
// cut in half.
func FuzzFollowUpSubject(f *testing.F) {
	for _, s := range multiByteSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, subject string) {
		orig, _, err := rapport.NewTicket(rapport.TicketInput{Subject: subject, Body: "x", Channel: rapport.ChannelAPI}, requester, nil, t0)
		if err != nil {
			return
		}
		orig.ID, orig.Status = 7, rapport.StatusClosed
		fu, _ := orig.FollowUp(requester, "again", t0.Add(time.Hour))
		if !utf8.ValidString(fu.Subject) {
			t.Fatalf("subject %q is not valid UTF-8", fu.Subject)
		}
		if n := utf8.RuneCountInString(fu.Subject); n > rapport.MaxSubjectLen {
			t.Fatalf("subject has %d characters, limit %d", n, rapport.MaxSubjectLen)
		}
		again, _, err := rapport.NewTicket(rapport.TicketInput{Subject: fu.Subject, Body: "again", Channel: rapport.ChannelPortal}, requester, nil, t0)
		if err != nil {
			t.Fatalf("follow-up subject %q refused: %v", fu.Subject, err)
		}
		if again.Subject != fu.Subject {
			t.Fatalf("NewTicket changed the follow-up subject %q to %q", fu.Subject, again.Subject)
		}
		body, ok := strings.CutSuffix(strings.TrimPrefix(fu.Subject, "Follow-up: "), rapport.Ellipsis)
		if ok && !strings.HasPrefix(orig.Subject, body) {
			t.Fatalf("cut subject %q is not a prefix of %q", body, orig.Subject)
		}
	})
}

// FuzzCut: Cut keeps to n characters, gives valid UTF-8, keeps what fits
// and cuts only to a prefix of the input.
func FuzzCut(f *testing.F) {
	for _, s := range multiByteSeeds {
		f.Add(s, 10)
		f.Add(s, 189)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 {
			return
		}
		got := rapport.Cut(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("Cut(%q, %d)=%q: not valid UTF-8", s, n, got)
		}
		if c := utf8.RuneCountInString(got); c > n {
			t.Fatalf("Cut(%q, %d) has %d characters", s, n, c)
		}
		valid := strings.ToValidUTF8(s, "\uFFFD")
		if utf8.ValidString(s) && utf8.RuneCountInString(s) <= n && got != s {
			t.Fatalf("Cut(%q, %d)=%q: cut what fits", s, n, got)
		}
		if body, ok := strings.CutSuffix(got, rapport.Ellipsis); ok && got != valid && !strings.HasPrefix(string([]rune(s)), body) {
			t.Fatalf("Cut(%q, %d)=%q: not a prefix", s, n, got)
		}
	})
}

// FuzzCleanText: whatever CleanText accepts is trimmed, valid UTF-8, free of
// NUL and within the limit; and it is stable (cleaning it again changes
// nothing and is accepted).
func FuzzCleanText(f *testing.F) {
	for _, s := range multiByteSeeds {
		f.Add(s, 200)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 100_000 {
			return
		}
		var p rapport.Problems
		got := rapport.CleanText(&p, "f", "The field", s, true, max)
		if len(p) > 0 {
			if len(p) != 1 || p[0].Field != "f" || p[0].Message == "" {
				t.Fatalf("problems %v", p)
			}
			return
		}
		if got == "" || got != strings.TrimSpace(got) || !utf8.ValidString(got) ||
			strings.ContainsRune(got, 0) || utf8.RuneCountInString(got) > max {
			t.Fatalf("CleanText(%q)=%q accepted", s, got)
		}
		var p2 rapport.Problems
		if again := rapport.CleanText(&p2, "f", "The field", got, true, max); again != got || len(p2) > 0 {
			t.Fatalf("cleaning %q again gave %q, %v", got, again, p2)
		}
	})
}
