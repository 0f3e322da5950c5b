package rapport

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password rules. Length is what makes a password hard to guess, so that is
// the rule; there are no demands for digits or symbols, which push people
// towards "Password1!" and sticky notes. A passphrase of a few ordinary
// words is welcome. The upper bound only refuses abuse.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 500
)

// CheckPassword returns an EINVALID error on the field "password" when pw
// does not meet the rules for the account with email, in plain language.
// The password is never repeated in the message.
func CheckPassword(pw, email string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case pw == "":
		return Invalid("password", "A password is required.")
	case !utf8.ValidString(pw):
		return Invalid("password", "The password contains bytes that are not valid text (UTF-8).")
	case strings.ContainsFunc(pw, unicode.IsControl):
		return Invalid("password", "The password contains a control character (such as a tab or NUL); please use only characters you can type.")
	case n < MinPasswordLen:
		return Invalid("password", "The password is too short: %d characters, at least %d are needed. A few words you will remember make a good one.", n, MinPasswordLen)
	case n > MaxPasswordLen:
		return Invalid("password", "The password is too long: %d characters, the limit is %d.", n, MaxPasswordLen)
	case email != "" && utf8.RuneCountInString(withoutEmail(pw, email)) < minOtherChars:
		return Invalid("password", "The password is mostly your email address; please choose something others cannot guess.")
	case distinctRunes(pw) < 3:
		return Invalid("password", "The password repeats one or two characters; please choose something others cannot guess.")
	}
	return nil
}

// minOtherChars is how much of a password must be left once the owner's
// email address and its name part are taken out.
const minOtherChars = 6

// withoutEmail returns pw in lower case without the email address and the
// name part before its @ (when that is 3 characters or more, so that a
// short name does not cut ordinary words apart).
func withoutEmail(pw, email string) string {
	pw, email = strings.ToLower(pw), strings.ToLower(email)
	pw = strings.ReplaceAll(pw, email, "")
	if local, _, _ := strings.Cut(email, "@"); utf8.RuneCountInString(local) >= 3 {
		pw = strings.ReplaceAll(pw, local, "")
	}
	return pw
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}
