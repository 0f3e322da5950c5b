package mail

import (
	"regexp"
	"strings"
)

// The lines where quoted history begins in replies from common clients.
var (
	// "On Mon, 2 Jun 2025 at 10:04, Pat Lee <pat@example.com> wrote:"
	// (Gmail, Apple Mail, Thunderbird), and its common translations. The
	// attribution may wrap onto a second line; see quoteHeaderAt.
	attribution = regexp.MustCompile(`(?i)^(on\s.+\swrote:|on\s.+|am\s.+\sschrieb.*:|le\s.+\sa écrit\s?:|el\s.+\sescribió:|op\s.+\sschreef.*:)$`)
	wroteEnd    = regexp.MustCompile(`(?i)(wrote|schrieb|a écrit|escribió|schreef)[^:]{0,40}:$`)
	// Outlook's "-----Original Message-----" and its underscore rule.
	originalMessage = regexp.MustCompile(`(?i)^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{2,}$`)
	underscores     = regexp.MustCompile(`^_{10,}$`)
	// Outlook's quoted header block: "From: …" then, within a few lines,
	// "Sent: …" or "Date: …".
	headerFrom = regexp.MustCompile(`(?i)^\*?(from|von|de|van)\s?:\*?\s`)
	headerSent = regexp.MustCompile(`(?i)^\*?(sent|date|gesendet|envoyé|enviado|verzonden)\s?:\*?\s`)
	// Mobile and app signatures on a line of their own.
	mobileSignature = regexp.MustCompile(`(?i)^(sent from my (iphone|ipad|android|samsung|galaxy|mobile|phone|blackberry)[^\n]*|sent from (mail|outlook) for [a-z0-9 ]+|get outlook for (ios|android)[^\n]*|sent from yahoo mail[^\n]*|von meinem iphone gesendet|envoyé de mon iphone)$`)
)

// TrimReply returns the new part of a reply's text, for the timeline:
// everything from the first line that starts quoted history (an
// attribution such as "On … wrote:", Outlook's "-----Original
// Message-----" or its From:/Sent: header block) or a signature ("-- ",
// "Sent from my iPhone") is cut, and ">" quoted lines are dropped. A
// forwarded mail keeps its forwarded part, which is the request itself.
// The whole text is kept beside it; this is only what the timeline shows.
func TrimReply(text string, forwarded bool) string {
	lines := strings.Split(text, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if l == "-- " || t == "--" || mobileSignature.MatchString(t) {
			break
		}
		if !forwarded {
			if quoteHeaderAt(lines, i) {
				break
			}
			if strings.HasPrefix(t, ">") {
				continue
			}
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// quoteHeaderAt reports whether quoted history starts at lines[i].
func quoteHeaderAt(lines []string, i int) bool {
	t := strings.TrimSpace(lines[i])
	switch {
	case originalMessage.MatchString(t):
		return true
	case attribution.MatchString(t):
		if wroteEnd.MatchString(t) {
			return true
		}
		// An attribution wrapped onto the next line or two: "On …, Pat
		// Lee <pat@example.com>" / "wrote:".
		for j := i + 1; j < len(lines) && j <= i+2; j++ {
			if wroteEnd.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
	case underscores.MatchString(t):
		return i+1 < len(lines) && headerFrom.MatchString(strings.TrimSpace(lines[i+1]))
	case headerFrom.MatchString(t):
		for j := i + 1; j < len(lines) && j <= i+3; j++ {
			if headerSent.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
	}
	return false
}
