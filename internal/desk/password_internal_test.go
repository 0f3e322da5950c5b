package desk

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	cheap := PasswordParams{Memory: 64, Time: 1, Threads: 1}
	h := hashPassword("correct horse battery", cheap)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(h, "correct") {
		t.Fatalf("hash=%q, want a PHC argon2id string", h)
	}
	if h2 := hashPassword("correct horse battery", cheap); h2 == h {
		t.Fatalf("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		name      string
		pw        string
		params    PasswordParams
		ok, stale bool
	}{
		{"right", "correct horse battery", cheap, true, false},
		{"wrong", "correct horse batterY", cheap, false, false},
		{"right, costs raised since", "correct horse battery", DefaultPasswordParams, true, true},
	} {
		ok, stale, err := verifyPassword(h, tc.pw, tc.params)
		if err != nil || ok != tc.ok || stale != tc.stale {
			t.Errorf("%s: ok=%v stale=%v err=%v, want ok=%v stale=%v", tc.name, ok, stale, err, tc.ok, tc.stale)
		}
	}
	for _, bad := range []string{"", "plain", "$2a$10$bcrypt", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$"} {
		if ok, _, err := verifyPassword(bad, "x", cheap); ok || err == nil {
			t.Errorf("verifyPassword(%q)=%v,%v; want an error", bad, ok, err)
		}
	}
}
