package coach

import (
	"math"
	"strings"
	"testing"
)

// span returns the text a finding covers, by rune offsets.
func span(text string, f Finding) string { return string([]rune(text)[f.Start:f.End]) }

// only returns the findings of one kind.
func only(fs []Finding, kind string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// apply puts f's suggestion in place of its span.
func apply(text string, f Finding) string {
	r := []rune(text)
	return string(r[:f.Start]) + f.Suggestion + string(r[f.End:])
}

const okBody = "\n\nI have looked at this for you. It is fixed now, and I will check again tomorrow.\n\nThanks,\nTom"

func TestJargon(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // spans, in order
		suggest    []string // suggestions, in order
	}{
		{"acronym", "Hi Ana,\n\nThe DNS was wrong. I fixed it and you can browse again.", []string{"DNS"}, []string{"system that finds websites by name"}},
		{"lower-case acronym", "Hi Ana,\n\nthe dns was wrong. I fixed it and you can browse again.", []string{"dns"}, nil},
		{"plural acronym", "Hi Ana,\n\nBoth VPNs are up. You can connect again now.", []string{"VPNs"}, nil},
		{"longest term wins", "Hi Ana,\n\nPlease update the VPN client today. It takes a minute.", []string{"VPN client"}, []string{"secure connection app"}},
		{"multi-word across a hyphen", "Hi Ana,\n\nTurn on two factor authentication. Then sign in again.", []string{"two factor authentication"}, nil},
		{"phrase", "Hi Ana,\n\nI have escalated to L2 for you. They will call you today.", []string{"escalated to L2"}, []string{"passed this to a specialist team"}},
		{"capital at sentence start", "Hi Ana,\n\nSSO is down for everyone. We are fixing it now.", []string{"SSO"}, []string{"Single sign-in with your work account"}},
		{"no double article", "Hi Ana,\n\nI checked the DNS for you. It works now.", []string{"DNS"}, []string{"system that finds websites by name"}},
		{"whole words only", "Hi Ana,\n\nThe cachet of the brand is high. Dnsmasq is a program name.", nil, nil},
		{"exact-case acronym skips the everyday word", "Hi Ana,\n\nI saw the ad for the new phones. It looks good.", nil, nil},
		{"exact-case acronym in capitals", "Hi Ana,\n\nYour AD account is locked. I have unlocked it.", []string{"AD account"}, nil},
		{"no match across a full stop", "Hi Ana,\n\nWe use a VPN. Client support is on the intranet.", []string{"VPN"}, nil},
		{"addresses are not words", "Hi Ana,\n\nSee https://dns.example.com/vpn for the guide. It has pictures.", nil, nil},
		{"non-ASCII before it", "Hi Zoë,\n\nDzięki! Your MFA is reset. Sign in again now.", []string{"MFA"}, nil},
		{"emoji before it counts as one character", "Hi Zoë 🙂,\n\nYour MFA is reset. Sign in again now.", []string{"MFA"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := only(Check(tc.text, Options{}).Findings, KindJargon)
			if len(fs) != len(tc.want) {
				t.Fatalf("findings=%v, want spans %q", fs, tc.want)
			}
			for i, f := range fs {
				if got := span(tc.text, f); got != tc.want[i] {
					t.Errorf("span %d=%q, want %q", i, got, tc.want[i])
				}
				if tc.suggest != nil && f.Suggestion != tc.suggest[i] {
					t.Errorf("suggestion %d=%q, want %q", i, f.Suggestion, tc.suggest[i])
				}
				if f.Message == "" {
					t.Errorf("finding %d has no message", i)
				}
			}
		})
	}
}

func TestJargonOffsetsAreRunes(t *testing.T) {
	text := "Cześć Zoë 🙂,\n\nYour MFA is reset. Sign in again now."
	fs := only(Check(text, Options{}).Findings, KindJargon)
	if len(fs) != 1 {
		t.Fatalf("findings=%v, want one", fs)
	}
	// "Cześć Zoë 🙂,\n\nYour " is 19 characters (runes) but 25 bytes.
	if fs[0].Start != 19 || fs[0].End != 22 {
		t.Fatalf("MFA at [%d,%d), want [19,22)", fs[0].Start, fs[0].End)
	}
}

func TestJargonList(t *testing.T) {
	if n := Terms(); n < 150 {
		t.Fatalf("the jargon list has %d terms, want at least 150", n)
	}
	for _, bad := range []string{"DNS", "DNS |", "| plain", "DNS | a\nDNS | b"} {
		if _, err := parseLexicon(bad, false); err == nil {
			t.Errorf("parseLexicon(%q) took it, want an error", bad)
		}
	}
	if _, err := parseLexicon("obviously |", true); err != nil {
		t.Errorf("a blame word with no alternative: %v", err)
	}
}

func TestBlame(t *testing.T) {
	for _, tc := range []struct {
		name, text    string
		span, suggest string // "" span: no blame finding
		after         string // the text with the suggestion used; "" not checked
	}{
		{"you should have", "Hi Dana,\n\nYou should have saved the file first. I found a copy for you.", "You should have", "Next time, it helps to have", "Hi Dana,\n\nNext time, it helps to have saved the file first. I found a copy for you."},
		{"user error", "Hi Leo,\n\nThis was user error on your side. The printer is fine.", "user error", "an easy mix-up", ""},
		{"PEBKAC any case", "Hi Leo,\n\nIt was a Pebkac. The keyboard was off.", "a Pebkac", "a mix-up", ""},
		{"as I already said", "Hi Omar,\n\nAs I already said, the drive needs the app. Open it and try again.", "As I already said", "To recap", ""},
		{"as previously stated", "Hi Greg,\n\nAs previously stated, we need approval. I have asked for it.", "As previously stated", "To recap", ""},
		{"curly apostrophe", "Hi Theo,\n\nIt’s not that hard to add a printer. Go to Settings.", "It’s not that hard to", "Here is how to", ""},
		{"you failed to", "Hi Greg,\n\nIt stopped because you failed to restart. I have started it again.", "you failed to", "you weren't able to", ""},
		{"obviously at the start drops cleanly", "Hi Chloé,\n\nObviously the screen needs the cable. I plugged it in.", "Obviously the", "The", "Hi Chloé,\n\nThe screen needs the cable. I plugged it in."},
		{"obviously mid-sentence", "Hi Kwame,\n\nThe laptop obviously could not connect. It works now.", "obviously could", "could", "Hi Kwame,\n\nThe laptop could not connect. It works now."},
		{"obviously at the end", "Hi Kwame,\n\nIt was unplugged, obviously. It works now.", "unplugged, obviously", "unplugged", ""},
		{"non-ASCII before it", "Dzień dobry Małgorzata,\n\nYou were supposed to book it. I found one anyway.", "You were supposed to", "The usual way is to", ""},
		{"kind words are left alone", "Hi Ana,\n\nYou did everything right. The fault was on our side, and it is fixed now.", "", "", ""},
		{"should have on our side is fine", "Hi Ana,\n\nWe should have told you sooner. I am sorry about that.", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := only(Check(tc.text, Options{}).Findings, KindBlame)
			if tc.span == "" {
				if len(fs) != 0 {
					t.Fatalf("findings=%v, want none", fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("findings=%v, want one", fs)
			}
			if got := span(tc.text, fs[0]); got != tc.span {
				t.Errorf("span=%q, want %q", got, tc.span)
			}
			if fs[0].Suggestion != tc.suggest {
				t.Errorf("suggestion=%q, want %q", fs[0].Suggestion, tc.suggest)
			}
			if tc.after != "" {
				if got := apply(tc.text, fs[0]); got != tc.after {
					t.Errorf("with the suggestion:\n%s\nwant:\n%s", got, tc.after)
				}
			}
		})
	}
}

func TestBrusque(t *testing.T) {
	for _, tc := range []struct {
		name, text, who string
		want            []string // the spans of brusque findings
		suggest         []string // their suggestions; nil: not checked
	}{
		{"warm reply", "Hi Priya," + okBody, "Priya", nil, nil},
		{"one sentence", "Password reset, try again.", "Priya", []string{"Password reset, try again.", "Password reset, try again."},
			[]string{"Hi Priya,\n\nPassword reset, try again.", "Password reset, try again. " + nextStep}},
		{"one sentence with greeting and name", "Hi Ingrid, your access is now set up.", "Ingrid", []string{"Hi Ingrid, your access is now set up."}, nil},
		{"one long sentence is not brusque", "Hi Malik,\n\nWe looked into the calendar problem you described and found that the permissions for your assistant were overwritten during the move last week, and we have put them back now.\n\nIvy", "Malik", nil, nil},
		{"no greeting", "Your laptop is ready. Bring the old one along. It takes twenty minutes.\n\nJo", "Aisha", []string{"Your laptop is ready."}, []string{"Hi Aisha,\n\nYour laptop is ready."}},
		{"no greeting, unknown ticket", "Your laptop is ready. Bring the old one along.", "", []string{"Your laptop is ready."}, []string{"Hello,\n\nYour laptop is ready."}},
		{"greeting without the name", "Hello," + okBody, "Aisha", []string{"Hello"}, []string{"Hello Aisha"}},
		{"hi there without the name", "Hi there," + okBody, "Søren", []string{"Hi there"}, []string{"Hi Søren"}},
		{"hi there on an unknown ticket", "Hi there," + okBody, "", nil, nil},
		{"name later in the reply", "Good afternoon,\n\nThanks for waiting, Ruth. It is fixed now, and I will check again tomorrow.", "Ruth", nil, nil},
		{"name without its accent", "Hi Zoe," + okBody, "Zoë", nil, nil},
		{"two-word greeting", "Good morning Ingrid," + okBody, "Ingrid", nil, nil},
		{"greeting in another language", "Hej Søren," + okBody, "Søren", nil, nil},
		{"addressed by name", "Ingrid, thanks for waiting. It is fixed now, and I will check again tomorrow.", "Ingrid", nil, nil},
		{"GreetingName with no name", "Hello," + okBody, "there", nil, nil},
		{"preferred name of two words", "Hi Mary Ann," + okBody, "Mary Ann", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := only(Check(tc.text, Options{Name: tc.who}).Findings, KindBrusque)
			if len(fs) != len(tc.want) {
				t.Fatalf("findings=%v, want spans %q", fs, tc.want)
			}
			for i, f := range fs {
				if got := span(tc.text, f); got != tc.want[i] {
					t.Errorf("span %d=%q, want %q", i, got, tc.want[i])
				}
				if tc.suggest != nil && f.Suggestion != tc.suggest[i] {
					t.Errorf("suggestion %d=%q, want %q", i, f.Suggestion, tc.suggest[i])
				}
			}
		})
	}
}

func TestGrade(t *testing.T) {
	hard := "Following a comprehensive investigation of the circumstances surrounding the intermittent unavailability of the departmental document management application, we have determined that the underlying cause was attributable to a configuration inconsistency."
	for _, tc := range []struct {
		name, text   string
		min, max     float64 // the reading grade
		spans        []string
		splitSuggest bool
	}{
		{"plain", "Hi Fiona,\n\nThe system is back. A setting was changed by mistake. We put it back this morning.\n\nDev", 0, 6, nil, false},
		{"hard", "Hi Fiona,\n\n" + hard + "\n\nThe system is back now.\n\nDev", 9.01, 30, []string{hard}, false},
		{"long sentence is split in the suggestion", "Hi Malik,\n\nThe delegation permissions configured for your assistant were inadvertently overwritten during the recent migration of mailboxes, and we have now reinstated the appropriate permissions and verified everything.\n\nIvy", 9.01, 40, nil, true},
		{"greeting and sign-off are not counted", "Dear Camille,\n\nWe can get it for you. I will set it up with you.\n\nKind regards,\nSam", 0, 3, nil, false},
		{"empty", "", 0, 0, nil, false},
		{"non-ASCII", "Cześć Łukasz,\n\nTwój laptop jest gotowy. Możesz go odebrać.", 0, 20, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := Check(tc.text, Options{})
			if rep.ReadingGrade < tc.min || rep.ReadingGrade > tc.max || math.IsNaN(rep.ReadingGrade) {
				t.Fatalf("ReadingGrade=%v, want %v to %v", rep.ReadingGrade, tc.min, tc.max)
			}
			fs := only(rep.Findings, KindGrade)
			if rep.ReadingGrade > MaxGrade && len(fs) == 0 {
				t.Fatalf("grade %v with no grade finding", rep.ReadingGrade)
			}
			if rep.ReadingGrade <= MaxGrade && len(fs) != 0 {
				t.Fatalf("grade %v with grade findings %v", rep.ReadingGrade, fs)
			}
			for i, s := range tc.spans {
				if got := span(tc.text, fs[i]); got != s {
					t.Errorf("span %d=%q, want %q", i, got, s)
				}
			}
			if tc.splitSuggest {
				s := fs[0].Suggestion
				if !strings.Contains(s, "mailboxes. We have now reinstated") {
					t.Errorf("suggestion=%q, want it split at \", and\"", s)
				}
			}
		})
	}
}

func TestSyllables(t *testing.T) {
	for _, tc := range []struct {
		word string
		want int
	}{
		{"the", 1}, {"cat", 1}, {"make", 1}, {"file", 1}, {"files", 1}, {"saved", 1},
		{"wanted", 2}, {"simple", 2}, {"table", 2}, {"changes", 2}, {"laptop", 2},
		{"password", 2}, {"printer", 2}, {"system", 2}, {"easy", 2}, {"today", 2},
		{"computer", 3}, {"another", 3}, {"period", 3}, {"easier", 3}, {"usual", 3},
		{"application", 4}, {"information", 4}, {"organisation", 5},
		{"comprehensive", 4}, {"investigation", 5}, {"intermittent", 4},
		{"unavailability", 7}, {"Zoë", 1}, {"don't", 1}, {"2026", 1},
	} {
		if got := syllables(tc.word); got != tc.want {
			t.Errorf("syllables(%q)=%d, want %d", tc.word, got, tc.want)
		}
	}
}

func TestFindingsInOrder(t *testing.T) {
	rep := Check("Obviously the DNS was down, as I already said.", Options{Name: "Ana"})
	for i := 1; i < len(rep.Findings); i++ {
		if rep.Findings[i].Start < rep.Findings[i-1].Start {
			t.Fatalf("findings out of order: %v", rep.Findings)
		}
	}
	if len(only(rep.Findings, KindJargon)) != 1 || len(only(rep.Findings, KindBlame)) != 2 || len(only(rep.Findings, KindBrusque)) != 2 {
		t.Fatalf("findings=%v, want 1 jargon, 2 blame, 2 brusque", rep.Findings)
	}
}

// FuzzCheck: whatever the text, the coach does not panic, every span lies
// inside the text in order, and every finding has a known kind and a
// message.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", " ", "Hi", "Hi Ana,\n\nThe DNS.", "1.\n2.", "e.g. DNS.", "🙂", "Zoë, obviously", "a\r\nb", "..!?", "https://x.example/DNS", "-DNS-", "\u0301DNS"} {
		f.Add(s, "Ana")
	}
	kinds := map[string]bool{KindJargon: true, KindBrusque: true, KindBlame: true, KindGrade: true}
	f.Fuzz(func(t *testing.T, text, name string) {
		rep := Check(text, Options{Name: name})
		n := len([]rune(text))
		if math.IsNaN(rep.ReadingGrade) || rep.ReadingGrade < 0 || rep.Findings == nil {
			t.Fatalf("report %+v", rep)
		}
		for _, f := range rep.Findings {
			if f.Start < 0 || f.End < f.Start || f.End > n || !kinds[f.Kind] || f.Message == "" {
				t.Fatalf("finding %+v in a text of %d characters", f, n)
			}
		}
	})
}

// BenchmarkCheck: the coach on a typical reply, as it runs a moment after
// each pause in typing.
func BenchmarkCheck(b *testing.B) {
	text := "Hi Marcus,\n\nThanks for your patience. The problem was with DNS on your laptop, and I will flush it remotely now. You should have told us sooner, obviously.\n\n" +
		"Following a comprehensive investigation of the circumstances surrounding the intermittent unavailability of the application, we determined the cause.\n\nTom"
	for b.Loop() {
		Check(text, Options{Name: "Marcus"})
	}
}

// BenchmarkCheckLongest: the longest draft the desk accepts.
func BenchmarkCheckLongest(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 49_000 {
		sb.WriteString("The VPN client was reimaged, as I already said. Please try again and let me know. ")
	}
	text := sb.String()
	for b.Loop() {
		Check(text, Options{Name: "Marcus"})
	}
}
