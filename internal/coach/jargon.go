package coach

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

//go:embed jargon.txt
var jargonText string

// term is one entry of the jargon list.
type term struct {
	words   []string // lower-case, as tokens
	display string   // as written in the list
	plain   string   // the plain-language alternative
	exact   bool     // match only in the list's case
	acronym bool     // also matches a plural "s"
}

// lexicon finds terms by their first word.
type lexicon map[string][]*term

// jargon is the built-in list, read once from jargon.txt.
var jargon = mustLexicon("jargon.txt", jargonText, false)

// Terms returns how many terms the built-in jargon list holds.
func Terms() int {
	seen := map[*term]bool{}
	for _, ts := range jargon {
		for _, t := range ts {
			seen[t] = true
		}
	}
	return len(seen)
}

func mustLexicon(name, src string, mayDrop bool) lexicon {
	l, err := parseLexicon(src, mayDrop)
	if err != nil {
		panic("coach: " + name + ": " + err.Error())
	}
	return l
}

// parseLexicon reads "term | plain" lines; # starts a comment. With
// mayDrop, an empty alternative means "leave the term out".
func parseLexicon(src string, mayDrop bool) (lexicon, error) {
	l := lexicon{}
	seen := map[string]bool{}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, plain, ok := strings.Cut(line, "|")
		name, plain = strings.TrimSpace(name), strings.TrimSpace(plain)
		if !ok || name == "" || (plain == "" && !mayDrop) {
			return nil, fmt.Errorf("line %d: want \"term | plain alternative\", got %q", n+1, line)
		}
		t := &term{plain: plain}
		if t.exact = strings.HasPrefix(name, "="); t.exact {
			name = name[1:]
		}
		t.display = name
		d := parse(name)
		for _, tok := range d.tokens {
			t.words = append(t.words, tok.low)
		}
		if len(t.words) == 0 {
			return nil, fmt.Errorf("line %d: %q has no words", n+1, name)
		}
		t.acronym = len(t.words) == 1 && isAcronym(name)
		key := strings.Join(t.words, " ")
		if seen[key] {
			return nil, fmt.Errorf("line %d: %q is listed twice", n+1, name)
		}
		seen[key] = true
		l[t.words[0]] = append(l[t.words[0]], t)
		if t.acronym {
			l[t.words[0]+"s"] = append(l[t.words[0]+"s"], t)
		}
	}
	for _, ts := range l {
		// Longest first, so "VPN client" wins over "VPN".
		sort.SliceStable(ts, func(i, j int) bool { return len(ts[i].words) > len(ts[j].words) })
	}
	return l, nil
}

// isAcronym: two or more capitals and no spaces ("DNS", "IdP", "2FA").
func isAcronym(s string) bool {
	caps := 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			return false
		}
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return caps >= 2
}

// match returns the term that starts at token i and how many tokens it
// spans, or nil.
func (l lexicon) match(d *doc, i int) (*term, int) {
	first := d.tokens[i]
	if first.skip {
		return nil, 0
	}
	for _, t := range l[first.low] {
		if n := t.matchAt(d, i); n > 0 {
			return t, n
		}
	}
	return nil, 0
}

func (t *term) matchAt(d *doc, i int) int {
	if i+len(t.words) > len(d.tokens) {
		return 0
	}
	for k, w := range t.words {
		tok := d.tokens[i+k]
		if k > 0 && !tok.joined {
			return 0
		}
		if tok.low == w {
			if t.exact && tok.text != strings.Fields(strings.ReplaceAll(t.display, "-", " "))[k] {
				return 0
			}
			continue
		}
		// An acronym's plural: "VMs", "VPNs".
		if t.acronym && tok.low == w+"s" && strings.HasSuffix(tok.text, "s") {
			if t.exact && tok.text != t.display+"s" {
				return 0
			}
			continue
		}
		return 0
	}
	return len(t.words)
}

// findJargon lists every jargon term in d, left to right, none overlapping.
func findJargon(d *doc, l lexicon) []Finding {
	return l.walk(d, func(t *term, i, n int, said string) Finding {
		start, end := d.tokens[i].start, d.tokens[i+n-1].end
		plain := t.plain
		// "the DNS" → "the system that…", not "the the system that…".
		if i > 0 && d.tokens[i].joined && determiners[d.tokens[i-1].low] {
			if _, rest, ok := strings.Cut(plain, " "); ok && determiners[strings.ToLower(plain[:len(plain)-len(rest)-1])] {
				plain = rest
			}
		}
		if startsSentence(d, i) && unicode.IsUpper([]rune(said)[0]) {
			plain = capitalise(plain)
		}
		return Finding{
			Kind:       KindJargon,
			Start:      start,
			End:        end,
			Message:    fmt.Sprintf("“%s” is IT jargon that the person may not know. Say what it means in everyday words.", said),
			Suggestion: plain,
		}
	})
}

// walk scans d left to right for the lexicon's terms and turns each match
// into a Finding with found; a match consumes its tokens, so terms never
// overlap. found gets the term, its first token, its length in tokens and
// the words as written.
func (l lexicon) walk(d *doc, found func(t *term, i, n int, said string) Finding) []Finding {
	var out []Finding
	for i := 0; i < len(d.tokens); {
		t, n := l.match(d, i)
		if t == nil {
			i++
			continue
		}
		said := d.textOf(d.tokens[i].start, d.tokens[i+n-1].end)
		out = append(out, found(t, i, n, said))
		i += n
	}
	return out
}

// determiners stand before a noun; an alternative that starts with one
// drops it after another.
var determiners = map[string]bool{
	"the": true, "a": true, "an": true, "your": true, "our": true, "my": true,
	"this": true, "that": true, "their": true, "his": true, "her": true,
}

// startsSentence reports whether token i opens its sentence.
func startsSentence(d *doc, i int) bool { return d.sentences[d.sentence[i]].first == i }

func capitalise(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
