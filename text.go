package rapport

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis ends text that was cut short.
const Ellipsis = "…"

// Cut returns s cut to at most n characters (code points, the unit every
// limit here counts in), ending with Ellipsis when it was cut. It avoids
// cutting inside a character drawn from several code points (a letter and
// its accent, an emoji sequence, a flag) unless one such character alone is
// longer than n. Invalid UTF-8 comes out as U+FFFD.
func Cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n && utf8.ValidString(s) {
		return s
	}
	rs := []rune(s) // invalid bytes become U+FFFD
	if len(rs) <= n {
		return string(rs)
	}
	k := n - 1 // leave room for the ellipsis
	for k > 0 && !graphemeBoundary(rs, k) {
		k--
	}
	if k == 0 {
		k = n - 1
	}
	return strings.TrimRightFunc(string(rs[:k]), unicode.IsSpace) + Ellipsis
}

// graphemeBoundary reports whether a cut between rs[k-1] and rs[k] keeps
// every user-perceived character whole. It covers the common cases of
// Unicode's grapheme rules (UAX #29), not all of them: enough that a cut
// subject never shows a stray accent or half a family emoji.
func graphemeBoundary(rs []rune, k int) bool {
	prev, next := rs[k-1], rs[k]
	switch {
	case prev == '\r' && next == '\n':
		return false
	case prev == zwj || extends(next):
		return false
	case isRegional(prev) && isRegional(next):
		// Flags are pairs of regional indicators: cut only between pairs.
		run := 0
		for i := k - 1; i >= 0 && isRegional(rs[i]); i-- {
			run++
		}
		return run%2 == 0
	}
	return true
}

const zwj = '\u200d' // zero width joiner: glues emoji into one

// extends reports whether r belongs to the character before it.
func extends(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || r == zwj ||
		r >= 0xFE00 && r <= 0xFE0F || // variation selectors
		r >= 0x1F3FB && r <= 0x1F3FF || // skin tones
		r >= 0xE0020 && r <= 0xE007F || // tags (subdivision flags)
		r >= 0xE0100 && r <= 0xE01EF // more variation selectors
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
