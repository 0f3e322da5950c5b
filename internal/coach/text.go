package coach

import (
	"strings"
	"unicode"
)

// token is one word of a draft. start and end are offsets in runes.
type token struct {
	text, low  string
	start, end int
	// joined: only spaces or one hyphen stand between this token and the
	// one before, on the same line, so a phrase may run across them.
	joined bool
	// skip marks a web or mail address: never jargon, never counted.
	skip bool
	// marker is a list number ("1." at the start of a line).
	marker bool
}

// sentence is a run of tokens ended by . ! ? or a line break.
type sentence struct {
	start, end int  // runes, trimmed of spaces
	first, n   int  // tokens[first : first+n]
	line       bool // on a line of its own, with no end punctuation
}

// doc is a draft split into tokens and sentences.
type doc struct {
	runes     []rune
	tokens    []token
	sentences []sentence
	sentence  []int // the sentence of each token
}

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "mr": true, "mrs": true, "ms": true,
	"dr": true, "vs": true, "approx": true, "ext": true, "tel": true, "no": true,
	"st": true, "jan": true, "feb": true, "aug": true, "sept": true, "oct": true,
	"nov": true, "dec": true,
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// parse splits text into tokens and sentences.
func parse(text string) *doc {
	d := &doc{runes: []rune(text)}
	rs := d.runes
	n := len(rs)
	sepStart := 0 // where the gap before the next token began
	lineStart := true
	for i := 0; i < n; {
		r := rs[i]
		if !isWordRune(r) {
			if r == '\n' {
				lineStart = true
			}
			i++
			continue
		}
		// An address (URL or mail) runs to the next space.
		if j, ok := address(rs, i); ok {
			d.add(token{start: i, end: j, skip: true}, sepStart, lineStart)
			i, sepStart, lineStart = j, j, false
			continue
		}
		j := i + 1
		for j < n {
			if isWordRune(rs[j]) {
				j++
				continue
			}
			// Apostrophes and inner dots stay inside a word: don't, e.g, 10.4.
			if (rs[j] == '\'' || rs[j] == '’' || rs[j] == '.') && j+1 < n && isWordRune(rs[j+1]) {
				j += 2
				continue
			}
			break
		}
		t := token{start: i, end: j}
		if lineStart && j < n && rs[j] == '.' && allDigits(rs[i:j]) {
			t.marker = true
		}
		d.add(t, sepStart, lineStart)
		i, sepStart, lineStart = j, j, false
	}
	d.split()
	return d
}

func (d *doc) add(t token, sepStart int, lineStart bool) {
	t.text = string(d.runes[t.start:t.end])
	t.low = strings.ReplaceAll(strings.ToLower(t.text), "’", "'")
	if len(d.tokens) > 0 && !lineStart {
		gap := d.runes[sepStart:t.start]
		hyphens, ok := 0, true
		for _, r := range gap {
			switch {
			case r == '-' || r == '‑':
				hyphens++
			case r == ' ' || r == '\t' || r == '\u00a0':
			default:
				ok = false
			}
		}
		t.joined = ok && hyphens <= 1
	}
	d.tokens = append(d.tokens, t)
}

// address reports whether a URL or mail address starts at i, and where it ends.
func address(rs []rune, i int) (int, bool) {
	j := i
	for j < len(rs) && !unicode.IsSpace(rs[j]) {
		j++
	}
	chunk := strings.ToLower(string(rs[i:j]))
	if !strings.Contains(chunk, "://") && !strings.HasPrefix(chunk, "www.") && !strings.Contains(chunk, "@") {
		return 0, false
	}
	for j > i && strings.ContainsRune(".,;:!?)]'\"”’", rs[j-1]) {
		j--
	}
	return j, true
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return len(rs) > 0
}

// split groups the tokens into sentences: a sentence ends at . ! or ? (not
// after an abbreviation or a list number) or at a line break.
func (d *doc) split() {
	rs := d.runes
	cur := -1 // index of the first token of the open sentence
	closeAt := func(last int) {
		s := sentence{start: d.tokens[cur].start, end: d.tokens[last].end, first: cur, n: last - cur + 1}
		// Take in the end punctuation and closing quotes.
		punct := false
		for s.end < len(rs) && strings.ContainsRune(".!?)\"”’'", rs[s.end]) {
			punct = punct || strings.ContainsRune(".!?", rs[s.end])
			s.end++
		}
		s.line = !punct && lineAlone(rs, s.start)
		for range s.n {
			d.sentence = append(d.sentence, len(d.sentences))
		}
		d.sentences = append(d.sentences, s)
		cur = -1
	}
	for k, t := range d.tokens {
		if cur < 0 {
			cur = k
		}
		// Look at what follows the token up to the next one.
		next := len(rs)
		if k+1 < len(d.tokens) {
			next = d.tokens[k+1].start
		}
		gap := rs[t.end:next]
		stop := strings.IndexAny(string(gap), ".!?") >= 0 && !t.marker && !(len(gap) > 0 && gap[0] == '.' && abbreviations[t.low])
		newline := strings.ContainsRune(string(gap), '\n')
		if stop || newline || k == len(d.tokens)-1 {
			closeAt(k)
		}
	}
}

// lineAlone reports whether the text from the start of i's line is all
// that is on it (the last line of a draft).
func lineAlone(rs []rune, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if rs[j] == '\n' {
			return true
		}
		if !unicode.IsSpace(rs[j]) {
			return false
		}
	}
	return true
}

// words returns the countable word tokens of s: no addresses, no list numbers.
func (d *doc) words(s sentence) []token {
	var out []token
	for _, t := range d.tokens[s.first : s.first+s.n] {
		if !t.skip && !t.marker {
			out = append(out, t)
		}
	}
	return out
}

// textOf returns the text between two rune offsets.
func (d *doc) textOf(start, end int) string { return string(d.runes[start:end]) }
