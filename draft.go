package rapport

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"
)

// Forms whose drafts are kept.
const (
	// DraftNewRequest is the "Ask for help" form.
	DraftNewRequest = "new_request"
)

// Draft is what someone has typed into a form and not sent yet, kept on the
// server as they type, so that a closed tab, a crash or an expired session
// loses nothing. There is one per person per form.
//
// Token names one sitting at the form (a page load). Sending the form
// clears the draft and remembers the token (Sent): a save from that same
// sitting arriving late, such as the one a browser sends as the page goes
// away, cannot bring the sent words back.
type Draft struct {
	UserID      int64
	Form        string
	Token       string
	Subject     string
	Description string
	Impact      Impact
	// Sent is set once the form was sent with Token; the words are gone.
	Sent      bool
	UpdatedAt time.Time
}

// Draft sizes: twice what a ticket takes, so that someone who typed too
// much keeps it all and can shorten it; beyond that it is abuse.
const (
	MaxDraftSubjectLen     = 2 * MaxSubjectLen
	MaxDraftDescriptionLen = 2 * MaxBodyLen
	maxDraftTokenLen       = 64
)

// Empty reports whether the draft holds nothing worth restoring.
func (d *Draft) Empty() bool {
	return d.Sent || (strings.TrimSpace(d.Subject) == "" && strings.TrimSpace(d.Description) == "" && d.Impact == Impact{})
}

// Validate checks a draft as it arrives. Words are kept exactly as typed
// (no trimming: the person is mid-sentence), so only what no database
// stores, or abuse, is refused.
func (d *Draft) Validate() error {
	var p Problems
	if d.Form != DraftNewRequest {
		p.Add("form", "There is no form %q whose draft could be kept.", Cut(d.Form, 40))
	}
	if !ValidDraftToken(d.Token) {
		p.Add("draft", "The draft's token is missing or malformed; reload the page to get a new one.")
	}
	draftText(&p, "subject", "The subject", d.Subject, MaxDraftSubjectLen)
	draftText(&p, "description", "The description", d.Description, MaxDraftDescriptionLen)
	return p.Err()
}

func draftText(p *Problems, field, label, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		p.Add(field, "%s contains bytes that are not valid text (UTF-8).", label)
	case strings.ContainsRune(s, 0):
		p.Add(field, "%s contains a NUL character; please remove it.", label)
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "%s is too long to keep as a draft: %d characters, the limit is %d.", label, utf8.RuneCountInString(s), max)
	}
}

// NewDraftToken returns a fresh random token for one sitting at a form.
func NewDraftToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ValidDraftToken reports whether s can be a draft token: 1 to 64 letters,
// digits, '-' or '_'.
func ValidDraftToken(s string) bool {
	if s == "" || len(s) > maxDraftTokenLen {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
