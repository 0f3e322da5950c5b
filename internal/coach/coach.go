// Package coach reads an agent's draft reply and suggests how to make it
// warmer and clearer: IT jargon with plain words instead, brusque replies
// (one sentence, no greeting, no name), words that blame, and a reading
// grade that is too high. It only ever suggests: nothing refuses a reply
// because of it.
//
// Offsets (Finding.Start, Finding.End) count characters as Unicode code
// points (Go runes) from the start of the text, end exclusive: "Zoë" is 3
// characters, not 4 bytes. Browsers count UTF-16 units, so a page must
// convert (static/coach.js does) for characters outside the BMP, such as
// emoji.
package coach

import (
	"math"
	"sort"
)

// The kinds of finding.
const (
	KindJargon  = "jargon"  // an IT term, with a plain alternative
	KindBrusque = "brusque" // one sentence, no greeting, or no name
	KindBlame   = "blame"   // words that blame or talk down
	KindGrade   = "grade"   // a sentence that makes the reply hard to read
)

// MaxGrade is the highest reading grade the coach leaves alone; plain
// language guides aim at 8 or below for the public.
const MaxGrade = 9.0

// Finding is one suggestion about a span of the draft. The JSON names are
// those of POST /api/v1/coach.
type Finding struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"` // in characters (runes)
	End   int    `json:"end"`   // exclusive
	// Message says what the matter is, in plain words.
	Message string `json:"message"`
	// Suggestion is text to put in place of the span; "" when the coach has
	// no wording to offer and the message says what to do instead.
	Suggestion string `json:"suggestion"`
}

// Report is what the coach says about one draft.
type Report struct {
	// ReadingGrade is the Flesch-Kincaid grade of the reply's body (the
	// greeting and sign-off left out), rounded to one decimal.
	ReadingGrade float64 `json:"reading_grade"`
	// Findings are in order of where they start; never nil.
	Findings []Finding `json:"findings"`
}

// Options describe the reply's context.
type Options struct {
	// Name is what to call the requester (their greeting name) when the
	// reply is for a known ticket; "" when it is not known, and then the
	// reply is not checked for the name.
	Name string
}

// Check reads text and returns the reading grade and the findings.
func Check(text string, opt Options) Report {
	d := parse(text)
	p := shape(d, opt.Name)
	out := []Finding{}
	out = append(out, findJargon(d, jargon)...)
	out = append(out, findBlame(d, blame)...)
	out = append(out, findBrusque(d, p, opt.Name)...)
	grade, hard := findGrade(d, p)
	out = append(out, hard...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End < out[j].End
	})
	return Report{ReadingGrade: math.Round(grade*10) / 10, Findings: out}
}
