package rapport

import (
	"strings"
	"time"
	_ "time/tzdata" // time zones validate the same on every host, with or without /usr/share/zoneinfo
	"unicode"
	"unicode/utf8"
)

// Limits of the profile's fields, in characters.
const (
	MaxPronunciationLen = 100
	MaxPhoneLen         = 40
	MaxLanguageLen      = 35 // the longest BCP 47 tag in common use, with room
	MaxNotesLen         = 5_000
)

// ProfileChannels are the ways a person may prefer to be reached. Phone
// means "call me": staff see a cue to call them.
var ProfileChannels = []Channel{ChannelEmail, ChannelPhone, ChannelPortal}

// ProfileUpdate holds the profile fields to change; nil leaves one as it
// is, "" clears it. Who may change Notes is the desk's rule: staff only.
type ProfileUpdate struct {
	PreferredName    *string
	Pronunciation    *string
	Phone            *string
	PreferredChannel *string
	TimeZone         *string
	Language         *string
	Notes            *string
}

// LanguageTags checks a BCP 47 language tag and returns its canonical
// form ("EN-gb" gives "en-GB"), or false when it is not a tag of a known
// language. internal/desk gives one built on golang.org/x/text/language,
// which keeps the registry; the domain stays on the standard library.
type LanguageTags func(tag string) (canonical string, ok bool)

// ApplyProfile checks up and copies it onto u, all or nothing: on any
// problem u is left as it was and the error lists every field at fault.
// A preference for phone needs a phone number, so that "call me" can be
// honoured.
func (u *User) ApplyProfile(up ProfileUpdate, lang LanguageTags) error {
	var p Problems
	next := *u
	if up.PreferredName != nil {
		next.PreferredName = cleanLine(&p, "preferred_name", "The preferred name", *up.PreferredName, MaxNameLen)
	}
	if up.Pronunciation != nil {
		next.Pronunciation = cleanLine(&p, "pronunciation", "The pronunciation", *up.Pronunciation, MaxPronunciationLen)
	}
	if up.Phone != nil {
		next.Phone = cleanPhone(&p, *up.Phone)
	}
	if up.PreferredChannel != nil {
		c := Channel(strings.ToLower(strings.TrimSpace(*up.PreferredChannel)))
		if c != "" && !isProfileChannel(c) {
			p.Add("preferred_channel", "The preferred way to reach you must be email, phone or portal (or left empty).")
		}
		next.PreferredChannel = c
	}
	if up.TimeZone != nil {
		next.TimeZone = cleanTimeZone(&p, *up.TimeZone)
	}
	if up.Language != nil {
		next.Language = cleanLanguage(&p, *up.Language, lang)
	}
	if up.Notes != nil {
		next.Notes = CleanText(&p, "notes", "The notes", *up.Notes, false, MaxNotesLen)
	}
	if next.PreferredChannel == ChannelPhone && next.Phone == "" && !p.has("phone") {
		p.Add("phone", "To be called, please give a phone number.")
	}
	if err := p.Err(); err != nil {
		return err
	}
	*u = next
	return nil
}

func (p Problems) has(field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

func isProfileChannel(c Channel) bool {
	for _, x := range ProfileChannels {
		if c == x {
			return true
		}
	}
	return false
}

// cleanLine is CleanText for a one-line field: a line break is a mistake
// (a paste), said plainly rather than kept.
func cleanLine(p *Problems, field, label, s string, max int) string {
	n := len(*p)
	s = CleanText(p, field, label, s, false, max)
	if len(*p) == n && strings.ContainsAny(s, "\r\n\t") {
		p.Add(field, "%s must be on one line.", label)
	}
	return s
}

// cleanPhone accepts a phone number as people write it: digits, an
// optional leading +, spaces, dashes, dots, brackets and slashes, and an
// extension ("ext 12" or "x12"). It keeps what was typed, trimmed, since
// people read their number back in their own layout.
func cleanPhone(p *Problems, s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	const example = "for example +44 20 7946 0958 or 020 7946 0958 ext 12"
	if utf8.RuneCountInString(s) > MaxPhoneLen {
		p.Add("phone", "The phone number is too long: %d characters, the limit is %d.", utf8.RuneCountInString(s), MaxPhoneLen)
		return s
	}
	main, ext := splitExtension(s)
	digits := 0
	for i, r := range main {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" -.()/", r):
		default:
			p.Add("phone", "A phone number has only digits, with + at the start if you like, and spaces, dashes or brackets (%s).", example)
			return s
		}
	}
	if digits < 3 || digits > 15 { // E.164 allows at most 15; short internal extensions have 3
		p.Add("phone", "A phone number has from 3 to 15 digits before any extension (%s).", example)
		return s
	}
	if ext == "bad" {
		p.Add("phone", "An extension is written \"ext\" or \"x\" and its digits (%s).", example)
	}
	return s
}

// splitExtension splits "020 7946 0958 ext 12" into the number and "12";
// ext is "bad" when an extension marker has no digits after it.
func splitExtension(s string) (main, ext string) {
	lower := strings.ToLower(s)
	for _, mark := range []string{"extension", "ext.", "ext", "x"} {
		i := strings.LastIndex(lower, mark)
		if i <= 0 {
			continue
		}
		rest := strings.TrimSpace(s[i+len(mark):])
		if rest == "" || strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			return strings.TrimSpace(s[:i]), "bad"
		}
		return strings.TrimSpace(s[:i]), rest
	}
	return s, ""
}

// TelURI returns the tel: address of a phone number as ApplyProfile keeps
// it ("tel:+442079460958;ext=12"), for a link that starts a call; "" for
// no number. A number without + is local to the caller's dialling plan.
func TelURI(phone string) string {
	if phone == "" {
		return ""
	}
	main, ext := splitExtension(phone)
	var b strings.Builder
	b.WriteString("tel:")
	for i, r := range main {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if ext != "" && ext != "bad" {
		b.WriteString(";ext=" + ext)
	}
	return b.String()
}

func cleanTimeZone(p *Problems, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	// "Local" is the server's own zone, not a place; LoadLocation takes it.
	if _, err := time.LoadLocation(s); err != nil || s == "Local" || utf8.RuneCountInString(s) > 64 {
		p.Add("time_zone", "We do not know the time zone %q. Use a name such as Europe/London or America/New_York.", Cut(s, 64))
	}
	return s
}

func cleanLanguage(p *Problems, s string, lang LanguageTags) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if utf8.RuneCountInString(s) > MaxLanguageLen || strings.IndexFunc(s, func(r rune) bool {
		return r > unicode.MaxASCII || !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) >= 0 {
		p.Add("language", "A language is a short code such as en, fr or pt-BR.")
		return s
	}
	canon, ok := lang(s)
	if !ok {
		p.Add("language", "We do not know the language %q. Use a code such as en, fr or pt-BR.", s)
		return s
	}
	return canon
}

// Location returns the time zone u chose, or fallback when they chose none.
func (u *User) Location(fallback *time.Location) *time.Location {
	if u != nil && u.TimeZone != "" {
		if loc, err := time.LoadLocation(u.TimeZone); err == nil {
			return loc
		}
	}
	if fallback == nil {
		return time.UTC
	}
	return fallback
}

// PrefersCall reports whether u asked to be called, and can be.
func (u *User) PrefersCall() bool {
	return u != nil && u.PreferredChannel == ChannelPhone && u.Phone != ""
}
