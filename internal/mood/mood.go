// Package mood reads how a requester's message sounds: calm, frustrated or
// angry, with the cues behind it in plain words for the agent ("says
// 'still' and 'again'; three exclamation marks; third message in an
// hour").
//
// The sentiment is VADER's (Hutto and Gilbert, 2014), a lexicon-and-rules
// method made for short informal text, through the Go port
// github.com/jonreiter/govader. General sentiment alone misreads a help
// desk: "still" and "again" are neutral words that mean a second failure,
// a polite "any news?" after a week of silence is not calm, and "thanks
// for nothing" is not thanks. So help-desk cues are weighed beside it.
// What needs history (how often they wrote, how long they waited) comes in
// as History from the desk: the package is pure, and Read is the same for
// the same input.
package mood

import (
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/jonreiter/govader"
	"github.com/rapportdesk/rapport"
)

// History is what the desk knows around a message when it arrives. The
// zero value is a first message with no history.
type History struct {
	// Now is when the message arrived.
	Now time.Time
	// Asked is when the ticket was created; zero for the message that
	// creates it.
	Asked time.Time
	// LastStaffReply is the latest public reply from staff on the ticket;
	// zero when nobody has answered yet.
	LastStaffReply time.Time
	// RecentMessages counts the requester's other messages (on any ticket)
	// in the hour before this one.
	RecentMessages int
	// RecentTickets counts the requester's other tickets asked in the week
	// before this message.
	RecentTickets int
	// Reopen says the message reopens a ticket that was resolved or closed.
	Reopen bool
	// Location is the requester's time zone (their profile's, else the
	// site's): the days cues name ("since Monday") are theirs. nil is UTC.
	Location *time.Location
}

// Kind names a cue, so that an acknowledgement can answer it.
type Kind string

// The cues.
const (
	KindNegative  Kind = "negative"  // strongly negative wording (VADER)
	KindRepeat    Kind = "repeat"    // "still", "again", "third time", a reopen
	KindShouting  Kind = "shouting"  // capitals
	KindExclaim   Kind = "exclaim"   // "!!!", "?!"
	KindWaiting   Kind = "waiting"   // says or shows a long wait
	KindIgnored   Kind = "ignored"   // "nobody replied", "is anyone there?"
	KindContact   Kind = "contact"   // many messages or tickets lately
	KindUrgent    Kind = "urgent"    // a deadline, cannot work, lost work
	KindEscalate  Kind = "escalate"  // threatens to go over the desk's head
	KindSwearing  Kind = "swearing"  // swear words
	KindHostile   Kind = "hostile"   // insults aimed at the help desk
	KindSarcasm   Kind = "sarcasm"   // "thanks for nothing", "well done"
	KindFrustrate Kind = "frustrate" // names the feeling: "fed up", "ugh"
)

// Cue is one thing found in or around a message.
type Cue struct {
	Kind Kind
	// Words says it for the agent: "says 'still' and 'again'".
	Words string
	// Points is how much it weighs towards frustrated and angry.
	Points int
}

// Reading is what Read makes of a message.
type Reading struct {
	Mood rapport.Mood
	// Reason is the cues in plain words, "; " between them; empty when
	// the mood is calm.
	Reason string
	Cues   []Cue
	// Compound is VADER's compound sentiment, -1 (most negative) to 1.
	Compound float64
	// Points is the sum of the cues' points.
	Points int
	// WaitingSince is when the wait the waiting cue counts began; zero
	// when there is no such cue from History.
	WaitingSince time.Time
}

// Thresholds: points at or above which a message reads frustrated, angry.
const (
	frustratedAt = 2
	angryAt      = 5
)

var (
	analyzerOnce sync.Once
	analyzer     *govader.SentimentIntensityAnalyzer
)

// Warm loads VADER's lexicon (about 50 ms, once per process), so that the
// first message read does not wait for it inside its transaction.
func Warm() { vader() }

// vader returns the shared analyzer; loading its lexicon takes a moment,
// so it is done once, on first use. PolarityScores only reads it.
func vader() *govader.SentimentIntensityAnalyzer {
	analyzerOnce.Do(func() { analyzer = govader.NewSentimentIntensityAnalyzer() })
	return analyzer
}

// Read reads text, a requester's message, in the light of h.
func Read(text string, h History) Reading {
	text = strings.TrimSpace(text)
	lower := strings.ToLower(text)
	words := wordsOf(text)
	s := vader().PolarityScores(text)
	r := Reading{Compound: s.Compound}
	add := func(k Kind, points int, words string) {
		r.Cues = append(r.Cues, Cue{Kind: k, Words: words, Points: points})
		r.Points += points
	}

	// Words and phrases.
	sarcasm := found(sarcasmRE, lower)
	if len(sarcasm) > 0 {
		add(KindSarcasm, 2, "sarcasm ("+quoteList(sarcasm)+")")
	}
	if hostile := found(hostileRE, lower); len(hostile) > 0 {
		// One insult may slip out; more are meant.
		add(KindHostile, 2+min(len(hostile), 2), "aims words at the help desk ("+quoteList(hostile)+")")
	}
	if formal := found(formalRE, lower); len(formal) > 0 {
		add(KindEscalate, 4, "threatens to take it further ("+quoteList(formal)+")")
	} else if esc := found(escalateRE, lower); len(esc) > 0 {
		add(KindEscalate, 3, "threatens to escalate ("+quoteList(esc)+")")
	}
	if strong := found(strongSwearRE, lower); len(strong) > 0 {
		add(KindSwearing, 3, "swears ("+quoteList(strong)+")")
	} else if mild := found(mildSwearRE, lower); len(mild) > 0 {
		add(KindSwearing, 1, "mild swearing ("+quoteList(mild)+")")
	}
	if nth := found(nthTimeRE, lower); len(nth) > 0 {
		add(KindRepeat, 2, "says "+quoteList(nth))
	} else if rep := found(repeatRE, lower); len(rep) > 0 {
		add(KindRepeat, 1, "says "+quoteList(dedupe(rep)))
	}
	// VADER scores most of these words too: a feeling named counts one
	// point here, anger two.
	if anger := found(angerRE, lower); len(anger) > 0 {
		add(KindFrustrate, 2, "names the feeling ("+quoteList(anger)+")")
	} else if feel := found(feelingRE, lower); len(feel) > 0 {
		add(KindFrustrate, 1, "names the feeling ("+quoteList(feel)+")")
	}
	if wait := found(waitRE, lower); len(wait) > 0 {
		add(KindWaiting, 1, "mentions waiting ("+quoteList(wait)+")")
	}
	if ign := found(ignoredRE, lower); len(ign) > 0 {
		add(KindIgnored, 1, "feels unanswered ("+quoteList(ign)+")")
	}
	if let := found(letDownRE, lower); len(let) > 0 {
		add(KindIgnored, 1, "feels let down ("+quoteList(let)+")")
	}
	if ult := found(ultimatumRE, lower); len(ult) > 0 {
		add(KindUrgent, 1, "sets a deadline ("+quoteList(ult)+")")
	} else if urg := found(urgentRE, lower); len(urg) > 0 {
		add(KindUrgent, 1, "under pressure ("+quoteList(urg)+")")
	}
	if len(sarcasm) == 0 && r.Points > 0 {
		if praise := found(praiseRE, lower); len(praise) > 0 {
			sarcasm = praise
			add(KindSarcasm, 2, "sarcasm ("+quoteList(praise)+")")
		}
	}
	calmed := found(calmRE, lower)

	// VADER's reading. Sarcasm turns praise into its opposite.
	c := s.Compound
	if len(sarcasm) > 0 && c > 0 {
		c = -c
	}
	switch {
	case c <= -0.7:
		add(KindNegative, 2, "strongly negative wording"+negWords(words))
	case c <= -0.3 && len(calmed) == 0:
		add(KindNegative, 1, "negative wording"+negWords(words))
	case c >= 0.5:
		r.Points--
	}

	// History.
	if h.Reopen {
		add(KindRepeat, 1, "reopens a ticket we thought was fixed")
	}
	if h.RecentMessages >= 2 {
		p := 1
		if h.RecentMessages >= 4 {
			p = 2
		}
		add(KindContact, p, ordinal(h.RecentMessages+1)+" message in an hour")
	}
	if h.RecentTickets >= 2 {
		add(KindContact, 1, ordinal(h.RecentTickets+1)+" ticket this week")
	}
	if since, what := waited(h); !since.IsZero() {
		d := h.Now.Sub(since)
		p := 1
		if d >= 7*24*time.Hour {
			p = 2
		}
		r.WaitingSince = since
		add(KindWaiting, p, what+" since "+Day(since, h.Now, h.Location)+" ("+Span(d)+")")
	}
	if len(calmed) > 0 {
		r.Points--
	}

	// Capitals and exclamation marks amplify what is already there: in
	// "THANK YOU!!" they are joy, not anger.
	shout, caps := shouting(words)
	marks := exclaims(text)
	if r.Points > 0 || c < -0.05 {
		if shout {
			add(KindShouting, 3, "writes in capitals")
		} else if len(caps) > 0 {
			add(KindShouting, 1, "stresses "+quoteList(caps)+" in capitals")
		}
		if marks != "" {
			add(KindExclaim, 1, marks)
		}
	}

	switch {
	case r.Points >= angryAt:
		r.Mood = rapport.MoodAngry
	case r.Points >= frustratedAt:
		r.Mood = rapport.MoodFrustrated
	default:
		r.Mood = rapport.MoodCalm
	}
	if r.Mood != rapport.MoodCalm {
		parts := make([]string, 0, len(r.Cues))
		for _, c := range r.Cues {
			parts = append(parts, c.Words)
		}
		r.Reason = strings.Join(parts, "; ")
	}
	return r
}

// Long waits: without a reply from staff this long, a message counts the
// wait as a cue.
const (
	noReplyWait    = 48 * time.Hour // since the last reply from staff
	neverReplyWait = 24 * time.Hour // since asking, when nobody replied
)

// waited returns when the wait h shows began, and what it is, or zero.
func waited(h History) (time.Time, string) {
	switch {
	case h.Now.IsZero() || h.Asked.IsZero():
		return time.Time{}, ""
	case !h.LastStaffReply.IsZero():
		if h.Now.Sub(h.LastStaffReply) >= noReplyWait {
			return h.LastStaffReply, "no reply from us"
		}
	case h.Now.Sub(h.Asked) >= neverReplyWait:
		return h.Asked, "waiting for a first reply"
	}
	return time.Time{}, ""
}

// wordsOf splits text into words: letters, digits and apostrophes.
func wordsOf(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
}

// acronyms are capitalised words that are names, not shouting.
var acronyms = map[string]bool{
	"IT": true, "PC": true, "VPN": true, "MFA": true, "2FA": true, "CRM": true, "ERP": true, "SAP": true,
	"HR": true, "CEO": true, "CFO": true, "PDF": true, "USB": true, "OK": true, "IP": true, "SSO": true,
	"ID": true, "TV": true, "HDMI": true, "OS": true, "DNS": true, "URL": true, "LAN": true, "WAN": true,
	"RAM": true, "CPU": true, "SSD": true, "GPU": true, "UK": true, "US": true, "EU": true, "AD": true,
	"SMS": true, "PIN": true, "AM": true, "PM": true, "IMAP": true, "SMTP": true, "HTTP": true,
	"HTTPS": true, "API": true, "SQL": true, "WIFI": true, "AV": true, "QR": true, "CD": true, "DVD": true,
	"MAC": true, "IOS": true, "FAQ": true, "ETA": true, "PO": true, "FYI": true, "N/A": true, "I": true, "A": true,
}

// shouting reports whether words are mostly capitals (three or more such
// words making at least half the message) and lists the capitalised words
// otherwise.
func shouting(words []string) (bool, []string) {
	var caps []string
	letters := 0
	for _, w := range words {
		if !hasLetter(w) {
			continue
		}
		letters++
		if len([]rune(w)) >= 2 && strings.ToUpper(w) == w && strings.ToLower(w) != w && !acronyms[w] {
			caps = append(caps, w)
		}
	}
	if len(caps) >= 3 && 2*len(caps) >= letters {
		return true, caps
	}
	return false, dedupe(caps)
}

func hasLetter(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// exclaims says how the message uses exclamation and question marks, when
// it does so heavily: "three exclamation marks", "'?!'"; "" otherwise.
func exclaims(text string) string {
	n := strings.Count(text, "!")
	switch {
	case strings.Contains(text, "?!") || strings.Contains(text, "!?"):
		return "'?!'"
	case n >= 3:
		return count(n) + " exclamation marks"
	case strings.Contains(text, "!!"):
		return "two exclamation marks"
	case strings.Contains(text, "???") || strings.Contains(text, "??"):
		return "repeated question marks"
	}
	return ""
}

// negWords lists the message's most negative words in VADER's lexicon, as
// ": 'ridiculous', 'useless'", or "" when none stands out.
func negWords(words []string) string {
	lex := vader().Lexicon
	var out []string
	for _, w := range words {
		l := strings.ToLower(w)
		if v, ok := lex[l]; ok && v <= -1.5 {
			out = append(out, l)
		}
	}
	out = dedupe(out)
	if len(out) == 0 {
		return ""
	}
	if len(out) > 3 {
		out = out[:3]
	}
	return " (" + quoteList(out) + ")"
}
