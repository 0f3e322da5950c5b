package mood

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The help-desk cues, matched on the lower-cased message. They are what a
// help desk lead listens for and general sentiment misses or underrates.
var (
	// sarcasmRE is praise that is never meant in a help desk message.
	sarcasmRE = regexp.MustCompile(`\b(thanks for nothing|thanks a lot for nothing|just what i needed|just what we needed|really impressive|oh great|what a surprise|shocking,? i know)\b`)
	// praiseRE is praise that is sarcastic only next to a complaint:
	// "Closed again without a fix. Well done."
	praiseRE = regexp.MustCompile(`\b(well done|great job|good job|nice work|bravo|brilliant|fantastic)\b`)
	// hostileRE is aimed at the people of the help desk.
	hostileRE = regexp.MustCompile(`\b(you people|you lot|useless|incompetent|pathetic|hopeless|idiots?|clowns|morons?|this is a joke|what a joke|worst (support|service|help ?desk|it)|disgrace(ful)?|shambles|nobody cares|no one cares|(nobody|no one) gives a damn|read the (ticket|email|message)|(are you|you're|you are) (even )?(reading|listening|ignoring)|ignoring me)\b`)
	// escalateRE threatens to go over the desk's head.
	escalateRE = regexp.MustCompile(`\b(escalat\w*|(speak|talk) to (a|your|the) (manager|supervisor|boss|director)|to your (manager|boss|supervisor|director)|complain\w*|report(ing)? (this|you)|send you the bill|buy my own|i'?ll make sure (everyone|everybody|people))\b`)
	// formalRE threatens to take it outside the service altogether.
	formalRE = regexp.MustCompile(`\b(the ceo|to the director|to hr|hr and legal|legal action|legal team|lawyers?|solicitors?|the press|the board)\b`)
	// strongSwearRE and mildSwearRE: swearing, rude and less so.
	strongSwearRE = regexp.MustCompile(`(\bf+u+c+k+\w*|\bf\*+\w*|\bshit\w*|\bbullshit|\bwtf\b|\bffs\b|\bbastards?\b|\bpiss(ed)? off\b|\bass?hole|\barsehole)`)
	mildSwearRE   = regexp.MustCompile(`\b(damn\w*|bloody|crap\w*|the hell|bugger\w*|sodding|freaking|frigging|effing)\b`)
	// nthTimeRE is a repeat said with weight.
	nthTimeRE = regexp.MustCompile(`\b((second|third|fourth|fifth|sixth|2nd|3rd|\d+th|nth|umpteenth) (time|ticket|email|call)|how many times|every (single )?time|yet again|once again|twice already|twice now|(several|multiple|many|three|four|five) times( already)?|happening again|reopen\w*|keeps? (happening|crashing|dropping|failing|popping|timing|freezing|breaking|disconnecting)|same (issue|problem|error|story|thing)|(explained|asked|told you|reported|said) (this |it )?(twice|already|before))\b`)
	// repeatRE is the plain repeat words, after politeAgainRE is removed.
	repeatRE      = regexp.MustCompile(`\b(still|again)\b`)
	politeAgainRE = regexp.MustCompile(`\b(hello|hi|thanks|thank you|sorry to bother you|bother you) again\b`)
	// feelingRE names the feeling, or an outraged verdict.
	feelingRE = regexp.MustCompile(`\b(frustrat\w*|fed up|ugh+|argh+|annoy\w*|ridiculous|unbelievable|absurd|upset|disappointed|seriously\?|seriously!|so stressed|stressed out|at my wits'? end|i don'?t understand why|how hard can it be|why does (this|it) keep|what is going on|what'?s going on)`)
	// angerRE names anger, or a verdict past frustration.
	angerRE = regexp.MustCompile(`\b(furious|livid|angry|fuming|outrageous|unacceptable|sick (and tired )?of|had enough|disgusted|appalled)\b`)
	// waitRE says the wait in words.
	waitRE = regexp.MustCompile(`\b((been |still )?waiting (since|for) \w+|still waiting|it'?s been (\w+ )?(days?|weeks?|months?)|been (\w+ )?(days?|weeks?|months?)|for (days|weeks|months|ages)|(two|three|four|five|six|\d+|a|one|another) (days?|weeks?|months?)|all (morning|day|week)|on hold for|since (monday|tuesday|wednesday|thursday|friday|last week|last month|yesterday))\b`)
	// ignoredRE feels unanswered.
	ignoredRE = regexp.MustCompile(`(\b(nobody|no one) (has )?(replied|answered|responded|told|answers|got back|has done|did anything|done anything)|\b(is )?anyone (there|listening|reading)|\bhello\?|\bnot (one|a single) (reply|response|answer)|\bno (reply|response|answer)\b|\bwithout (asking|telling) me|\bheard nothing|\bhaven'?t heard|\bclosed (it |my ticket |the ticket )?(again )?without|\bstop closing|\bclosed again|\bnot fixed)`)
	// urgentRE is pressure: a deadline, no way to work, work lost.
	urgentRE = regexp.MustCompile(`\b(deadline|in an hour|in (\d+|ten|five|fifteen|twenty|thirty) minutes|(client|customer|board) (presentation|meeting|call|demo)|presentation|(can'?t|cannot|can not|unable to) (do my job|work|print|log ?in|sign in|access|get in|open|send)|lost (\w+ )?(work|email|emails|file|files|data|half a day|a day)|need (this|it) (fixed |sorted |done )?(today|now|urgently)|asap|urgent(ly)?|right now|whole team|can'?t lose)\b`)
	// ultimatumRE sets a deadline for the desk; a negation inside it
	// ("if it is not fixed by tomorrow") is part of the threat.
	ultimatumRE = regexp.MustCompile(`\b(by tomorrow|by (the )?end of (the )?day|by today|or i'?ll|or i'?m|or else)\b`)
	// letDownRE recalls a promise not kept.
	letDownRE = regexp.MustCompile(`\b(i was told|we were told|you (said|promised|told me)|was (supposed|meant) to|promised)\b`)
	// calmRE is the requester saying it can wait.
	calmRE = regexp.MustCompile(`\b(no rush|not urgent|no panic|no hurry|when you (have|get) a (moment|chance|minute)|when (it'?s )?convenient|not a (big )?(deal|problem)|no problem|(it'?s|that'?s|is) (fine|ok)|just letting you know|no worries|take your time|not a problem|sorry to bother|apologies|my mistake|my bad|my fault)\b`)
	// negatedRE ends in a negation: what follows it is denied ("not
	// angry", "not urgent").
	negatedRE = regexp.MustCompile(`\b(not|never|no|isn'?t|wasn'?t|i'?m not|am not)\s+(\w+\s+)?$`)
)

// found returns what re matches in s, leaving out matches denied by a
// negation just before them ("not angry, just confused").
func found(re *regexp.Regexp, s string) []string {
	if re == repeatRE {
		s = politeAgainRE.ReplaceAllString(s, "")
	}
	var out []string
	for _, m := range re.FindAllStringIndex(s, -1) {
		start := max(0, m[0]-24)
		if re != calmRE && re != ultimatumRE && negatedRE.MatchString(s[start:m[0]]) {
			continue
		}
		out = append(out, strings.TrimRight(s[m[0]:m[1]], " "))
	}
	return dedupe(out)
}

// dedupe keeps the first of each string, in order.
func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// quoteList says ss as "'a'", "'a' and 'b'" or "'a', 'b' and 'c'".
func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + s + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

var smallNumbers = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// count says n in words up to ten.
func count(n int) string {
	if n >= 0 && n < len(smallNumbers) {
		return smallNumbers[n]
	}
	return strconv.Itoa(n)
}

var ordinals = []string{"zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}

// ordinal says n as "third", "11th".
func ordinal(n int) string {
	if n >= 0 && n < len(ordinals) {
		return ordinals[n]
	}
	return strconv.Itoa(n) + "th"
}

// Day names the day of t as someone at now says it: "earlier today",
// "yesterday", "Monday" within the week, else "2 November" (with the year
// when it is not this year's). Days are counted in loc, the zone of the
// person the words are about (nil is UTC): at 01:00 in Tokyo, 20:00 UTC
// the evening before is "yesterday" there, not "earlier today".
func Day(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t, now = t.In(loc), now.In(loc)
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	// Count calendar days on UTC midnights, so a daylight-saving change
	// in loc does not make a day 23 or 25 hours long.
	days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	switch {
	case days <= 0:
		return "earlier today"
	case days == 1:
		return "yesterday"
	case days < 7:
		return t.Weekday().String()
	case y1 == y2:
		return t.Format("2 January")
	}
	return t.Format("2 January 2006")
}

// Span says a wait in the largest whole unit: "5 hours", "3 days",
// "2 weeks".
func Span(d time.Duration) string {
	unit := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + one + "s"
	}
	switch {
	case d >= 14*24*time.Hour:
		return unit(int(d/(7*24*time.Hour)), "week")
	case d >= 24*time.Hour:
		return unit(int(d/(24*time.Hour)), "day")
	case d >= time.Hour:
		return unit(int(d/time.Hour), "hour")
	}
	return unit(max(1, int(d/time.Minute)), "minute")
}
