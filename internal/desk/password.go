package desk

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's costs. Hashes carry the parameters they
// were made with (the PHC string format), so the costs can be raised later:
// old hashes still verify, and a sign-in rehashes them with the new costs.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultPasswordParams follow OWASP's first argon2id choice (19 MiB, two
// passes, one thread): about 30 ms a hash on one core, cheap for one
// sign-in and costly for someone guessing a stolen database.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

var b64 = base64.RawStdEncoding

// hashPassword returns pw's argon2id hash in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH.
func hashPassword(pw string, p PasswordParams) string {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// verifyPassword reports whether pw matches encoded, comparing in constant
// time, and whether encoded was made with other parameters than p (so it
// should be rehashed). A hash it cannot read is an error.
func verifyPassword(encoded, pw string, p PasswordParams) (ok, stale bool, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, false, fmt.Errorf("password hash: not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, false, fmt.Errorf("password hash: unsupported argon2 version %q", parts[2])
	}
	var h PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.Memory, &h.Time, &h.Threads); err != nil || h.Memory == 0 || h.Time == 0 || h.Threads == 0 {
		return false, false, fmt.Errorf("password hash: bad parameters %q", parts[3])
	}
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, false, fmt.Errorf("password hash: bad salt or key encoding")
	}
	got := argon2.IDKey([]byte(pw), salt, h.Time, h.Memory, h.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, h != p || len(salt) != saltLen || len(want) != keyLen, nil
}
