package mood

import (
	"strings"

	"github.com/rapportdesk/rapport"
)

// leads are how each cue's words begin in a Reason, so that a reason kept
// on a ticket can be read back into its kinds (see Kinds). Read writes
// every cue with one of these.
var leads = []struct {
	lead string
	kind Kind
}{
	{"sarcasm (", KindSarcasm},
	{"aims words at the help desk (", KindHostile},
	{"threatens to", KindEscalate},
	{"swears (", KindSwearing},
	{"mild swearing (", KindSwearing},
	{"says '", KindRepeat},
	{"reopens a ticket", KindRepeat},
	{"names the feeling (", KindFrustrate},
	{"mentions waiting (", KindWaiting},
	{"no reply from us since ", KindWaiting},
	{"waiting for a first reply since ", KindWaiting},
	{"feels unanswered (", KindIgnored},
	{"feels let down (", KindIgnored},
	{"sets a deadline (", KindUrgent},
	{"under pressure (", KindUrgent},
	{"strongly negative wording", KindNegative},
	{"negative wording", KindNegative},
	{"writes in capitals", KindShouting},
	{"stresses ", KindShouting},
	{"'?!'", KindExclaim},
	{"repeated question marks", KindExclaim},
}

// Kinds reads a Reason back into the kinds of its cues, in order, and the
// day a wait from History began ("Monday"), "" when it has none.
func Kinds(reason string) (kinds []Kind, since string) {
	for _, part := range strings.Split(reason, "; ") {
		k := kindOf(part)
		if k == "" {
			continue
		}
		kinds = append(kinds, k)
		if k == KindWaiting && since == "" {
			if _, rest, ok := strings.Cut(part, " since "); ok {
				since, _, _ = strings.Cut(rest, " (")
			}
		}
	}
	return kinds, since
}

func kindOf(part string) Kind {
	for _, l := range leads {
		if strings.HasPrefix(part, l.lead) {
			return l.kind
		}
	}
	switch {
	case strings.HasSuffix(part, " exclamation marks"):
		return KindExclaim
	case strings.HasSuffix(part, " message in an hour"), strings.HasSuffix(part, " ticket this week"):
		return KindContact
	}
	return ""
}

// Acknowledge suggests the words an agent may open a reply with, for a
// ticket whose latest message reads m for reason: warm, specific to the
// cues, never a script to hide behind. "" when the mood is calm.
func Acknowledge(m rapport.Mood, reason string) string {
	if m != rapport.MoodFrustrated && m != rapport.MoodAngry {
		return ""
	}
	kinds, since := Kinds(reason)
	has := func(k Kind) bool {
		for _, x := range kinds {
			if x == k {
				return true
			}
		}
		return false
	}
	var why string
	switch {
	case since == "earlier today":
		why = ", especially after waiting all day to hear from us"
	case since != "":
		why = ", especially after waiting since " + since
	case has(KindWaiting):
		why = ", especially after waiting this long"
	case has(KindIgnored):
		why = ", especially when you have not heard back from us"
	case has(KindRepeat), has(KindContact):
		why = ", especially having to come back to us about it again"
	case has(KindUrgent):
		why = ", especially with so much riding on it"
	}
	if m == rapport.MoodAngry {
		return "I am sorry. I can see why you are upset" + why +
			", and I want to put this right. I am looking into it myself now and will keep you posted at each step."
	}
	next := "Thank you for bearing with us."
	if has(KindUrgent) {
		next = "I understand this is urgent for you, and I am treating it that way."
	}
	return "I can imagine this is really frustrating" + why + ". " + next
}
