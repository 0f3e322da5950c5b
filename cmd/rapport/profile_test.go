package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUserUpdateProfile: user update sets and clears profile fields, and
// a bad one stops it with the field named and nothing changed.
func TestUserUpdateProfile(t *testing.T) {
	t.Setenv("RAPPORT_DB", filepath.Join(t.TempDir(), "r.db"))
	if _, err := runCmd(t, "user", "add", "--email", "bob@example.com", "--name", "Robert Smith", "--role", "requester"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string // in the output, or in the error when bad
		bad  bool
	}{
		{"set", []string{"--preferred-name", "Bob", "--phone", "+44 20 7946 0958", "--channel", "phone", "--time-zone", "Europe/London", "--language", "en-gb"},
			"Profile: preferred name Bob, phone +44 20 7946 0958, prefers phone, time zone Europe/London, language en-GB.", false},
		{"clear one", []string{"--channel", ""}, "Profile: preferred name Bob, phone +44 20 7946 0958, time zone Europe/London, language en-GB.", false},
		{"bad zone", []string{"--time-zone", "Mars/Base", "--preferred-name", "Robbie"}, "We do not know the time zone", true},
		{"unchanged after the bad one", []string{"--notes", "Likes mornings."}, "preferred name Bob,", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCmd(t, append([]string{"user", "update", "--email", "bob@example.com"}, tc.args...)...)
			if tc.bad {
				if err == nil || !strings.Contains(describe(err), tc.want) {
					t.Fatalf("error %q, want it to mention %q", describe(err), tc.want)
				}
				return
			}
			if err != nil || !strings.Contains(out, tc.want) {
				t.Fatalf("out %q, err %v; want %q", out, err, tc.want)
			}
		})
	}
}
