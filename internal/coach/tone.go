package coach

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

//go:embed blame.txt
var blameText string

// blame is the built-in list of blaming words, read once from blame.txt.
var blame = mustLexicon("blame.txt", blameText, true)

// findBlame lists every blaming phrase in d.
func findBlame(d *doc, l lexicon) []Finding {
	return l.walk(d, func(t *term, i, n int, said string) Finding {
		start, end := d.tokens[i].start, d.tokens[i+n-1].end
		f := Finding{Kind: KindBlame, Start: start, End: end}
		upper := unicode.IsUpper([]rune(said)[0])
		if t.plain == "" {
			// Leave the word out: replace it and the next word by the next
			// word, so the sentence stays whole ("Obviously the" → "The").
			f.Message = fmt.Sprintf("“%s” can sound as if the person should have known. Leave it out.", said)
			last := i + n - 1
			switch {
			case last+1 < len(d.tokens) && sameSentence(d, last, last+1):
				next := d.tokens[last+1]
				f.End, f.Suggestion = next.end, next.text
				if upper {
					f.Suggestion = capitalise(next.text)
				}
			case i > 0 && sameSentence(d, i-1, i):
				prev := d.tokens[i-1]
				f.Start, f.Suggestion = prev.start, prev.text
			}
			return f
		}
		f.Message = fmt.Sprintf("“%s” can sound like blame, and the person may already feel bad about it. Try “%s”.", said, t.plain)
		f.Suggestion = t.plain
		if upper && startsSentence(d, i) {
			f.Suggestion = capitalise(t.plain)
		}
		return f
	})
}

// sameSentence reports whether tokens i and j are in one sentence.
func sameSentence(d *doc, i, j int) bool { return d.sentence[i] == d.sentence[j] }

// greetings open a reply: "Hi", "Good morning", and a few in other
// languages that help desks often use.
var greetings = map[string]bool{
	"hi": true, "hello": true, "hey": true, "hiya": true, "dear": true,
	"greetings": true, "morning": true, "afternoon": true, "evening": true,
	"hej": true, "hallo": true, "hola": true, "bonjour": true, "ciao": true,
	"salut": true, "howdy": true, "hei": true, "moin": true, "olá": true,
	"good morning": true, "good afternoon": true, "good evening": true,
	"good day": true, "dzień dobry": true, "buenos días": true,
	"buenas tardes": true, "guten tag": true, "guten morgen": true,
	"bom dia": true, "god morgen": true, "goedemorgen": true, "goedemiddag": true,
}

// placeholders stand where a name could go: "Hi there", "Hello all".
var placeholders = map[string]bool{"there": true, "all": true, "team": true, "everyone": true, "folks": true, "both": true}

// layout is how a reply is built: its greeting, body and sign-off.
type layout struct {
	greeted  bool
	greetEnd int // tokens of the greeting phrase: tokens[first : greetEnd]
	named    bool
	body     []sentence // sentences between the greeting line and the sign-off
}

// shape finds the greeting, the body and the sign-off of d.
func shape(d *doc, name string) layout {
	var p layout
	if len(d.sentences) == 0 {
		return p
	}
	nameWords := nameTokens(name)
	p.named = len(nameWords) > 0 && findName(d, nameWords) >= 0
	first := d.sentences[0]
	toks := d.tokens[first.first : first.first+first.n]
	switch {
	case len(toks) >= 2 && toks[1].joined && greetings[toks[0].low+" "+toks[1].low]:
		p.greeted, p.greetEnd = true, first.first+2
	case greetings[toks[0].low]:
		p.greeted, p.greetEnd = true, first.first+1
	case len(nameWords) > 0 && findName(d, nameWords) == first.first:
		// "Anna, ..." addresses the person by name.
		p.greeted, p.greetEnd = true, first.first
	}
	// "Hi there": the placeholder belongs to the greeting phrase.
	if p.greeted && p.greetEnd < first.first+first.n && p.greetEnd > first.first && placeholders[d.tokens[p.greetEnd].low] {
		p.greetEnd++
	}
	body := d.sentences
	if p.greeted && first.line && first.n <= 5 {
		body = body[1:]
	}
	// The sign-off: short lines with no end punctuation at the end.
	for len(body) > 0 {
		s := body[len(body)-1]
		if !s.line || len(d.words(s)) > 4 {
			break
		}
		body = body[:len(body)-1]
	}
	p.body = body
	return p
}

// nameTokens splits a greeting name into folded words; "there" (what
// GreetingName says when it knows no name) is no name.
func nameTokens(name string) []string {
	var out []string
	for _, t := range parse(name).tokens {
		out = append(out, fold(t.low))
	}
	if len(out) == 1 && out[0] == "there" {
		return nil
	}
	return out
}

// findName returns the first token where the name's words appear, or -1.
func findName(d *doc, words []string) int {
	for i := range d.tokens {
		ok := i+len(words) <= len(d.tokens)
		for k := 0; ok && k < len(words); k++ {
			tok := d.tokens[i+k]
			ok = fold(tok.low) == words[k] || fold(strings.TrimSuffix(tok.low, "'s")) == words[k]
		}
		if ok {
			return i
		}
	}
	return -1
}

// fold drops accents so "Zoe" finds "Zoë".
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return s
	}
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	return out
}

// nextStep is the sentence a one-sentence reply is offered, so that the
// person knows how to come back.
const nextStep = "If anything is still not right, reply here and I will help."

// briefWords is the most words a one-sentence reply has to be brusque.
const briefWords = 20

// findBrusque flags a reply of one sentence, with no greeting, or without
// the person's name when it is known.
func findBrusque(d *doc, p layout, name string) []Finding {
	if len(d.sentences) == 0 {
		return nil
	}
	var out []Finding
	nameWords := nameTokens(name)
	first := d.sentences[0]
	if len(p.body) > 0 {
		first = p.body[0]
	}
	switch {
	case !p.greeted:
		hello, msg := "Hello,", "There is no greeting: opening with “Hello,” makes the reply sound like it comes from a person."
		if len(nameWords) > 0 {
			hello = "Hi " + name + ","
			msg = fmt.Sprintf("There is no greeting: open with their name, “%s”, so that the reply feels personal.", hello)
		}
		s := d.sentences[0]
		out = append(out, Finding{Kind: KindBrusque, Start: s.start, End: s.end, Message: msg,
			Suggestion: hello + "\n\n" + d.textOf(s.start, s.end)})
	case len(nameWords) > 0 && !p.named:
		s := d.sentences[0]
		start, end := d.tokens[s.first].start, d.tokens[p.greetEnd-1].end
		words := d.tokens[s.first:p.greetEnd]
		if placeholders[words[len(words)-1].low] {
			words = words[:len(words)-1]
		}
		var b strings.Builder
		for _, w := range words {
			b.WriteString(w.text + " ")
		}
		hello := b.String() + name
		out = append(out, Finding{Kind: KindBrusque, Start: start, End: end,
			Message:    fmt.Sprintf("Use their name: “%s” reads warmer than a greeting to nobody in particular.", hello),
			Suggestion: hello})
	}
	// One short sentence: a long one is hard to read (the grade says so),
	// but not a brush-off.
	if len(p.body) == 0 || len(p.body) == 1 && len(d.words(p.body[0])) <= briefWords {
		s := first
		text := d.textOf(s.start, s.end)
		if !strings.ContainsAny(text[len(text)-1:], ".!?") {
			text += "."
		}
		out = append(out, Finding{Kind: KindBrusque, Start: s.start, End: s.end,
			Message:    "A one-sentence reply can read as a brush-off. Say what you did, what happens next, and how to get more help.",
			Suggestion: text + " " + nextStep})
	}
	return out
}

// findGrade returns the reading grade of the body and, when it is above
// MaxGrade, a finding on each of the hardest sentences (at most three).
func findGrade(d *doc, p layout) (float64, []Finding) {
	body := p.body
	if len(body) == 0 {
		body = d.sentences
	}
	type scored struct {
		s     sentence
		words []token
		grade float64
	}
	var all []scored
	words, syl := 0, 0
	for _, s := range body {
		ws := d.words(s)
		n := 0
		for _, w := range ws {
			n += syllables(w.text)
		}
		words += len(ws)
		syl += n
		all = append(all, scored{s, ws, gradeFor(len(ws), n, 1)})
	}
	grade := gradeFor(words, syl, len(body))
	if grade <= MaxGrade {
		return grade, nil
	}
	var hard []scored
	for _, sc := range all {
		if sc.grade > MaxGrade && len(sc.words) >= 8 {
			hard = append(hard, sc)
		}
	}
	if len(hard) == 0 {
		// No one sentence stands out: point at the longest.
		for _, sc := range all {
			if len(hard) == 0 || len(sc.words) > len(hard[0].words) {
				hard = []scored{sc}
			}
		}
	}
	sortDesc(hard, func(a scored) float64 { return a.grade })
	if len(hard) > 3 {
		hard = hard[:3]
	}
	var out []Finding
	for _, sc := range hard {
		var long []string
		for _, w := range sc.words {
			if syllables(w.text) >= 4 && len(long) < 3 {
				long = append(long, "“"+w.text+"”")
			}
		}
		msg := fmt.Sprintf("This sentence reads at grade %.0f (%d words); the reply as a whole reads at grade %.0f. Aim for 8 or below: shorter sentences and everyday words.", sc.grade, len(sc.words), grade)
		if len(long) > 0 {
			msg += " Long words here: " + strings.Join(long, ", ") + "."
		}
		out = append(out, Finding{Kind: KindGrade, Start: sc.s.start, End: sc.s.end, Message: msg, Suggestion: splitSentence(d.textOf(sc.s.start, sc.s.end))})
	}
	return grade, out
}

func sortDesc[T any](xs []T, key func(T) float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && key(xs[j]) > key(xs[j-1]); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// splitSentence cuts a long sentence in two at the joint nearest its
// middle (", and", ", but", ", so", "; "), leaving at least five words
// each side; "" when there is no such joint.
func splitSentence(s string) string {
	best, bestAt, bestLen := "", -1, 0
	mid := len(s) / 2
	for _, j := range []struct{ at, then string }{{", and ", ""}, {", but ", "but "}, {", so ", "so "}, {"; ", ""}, {", which means ", "this means "}} {
		for k := 0; ; {
			i := strings.Index(s[k:], j.at)
			if i < 0 {
				break
			}
			i += k
			k = i + 1
			left, right := s[:i], s[i+len(j.at):]
			if len(strings.Fields(left)) < 5 || len(strings.Fields(right)) < 5 {
				continue
			}
			if d := abs(i - mid); bestAt < 0 || d < bestLen {
				bestAt, bestLen = i, d
				best = left + ". " + capitalise(j.then+right)
			}
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
