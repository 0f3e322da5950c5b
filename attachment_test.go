package rapport

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanFileName(t *testing.T) {
	long := strings.Repeat("é", 300) + ".png"
	for _, tc := range []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{`C:\Users\pat\Desktop\screen shot.png`, "screen shot.png"},
		{"/etc/passwd", "passwd"},
		{"../../x.html", "x.html"},
		{"a\x00b\r\n.txt", "ab.txt"},
		{`say "hi".txt`, "say hi.txt"},
		{"", "file"},
		{"..", "file"},
		{"  /  ", "file"},
		{"\xffname.txt", "\uFFFDname.txt"},
		{long, strings.Repeat("é", 251) + ".png"},
	} {
		got := CleanFileName(tc.in)
		if got != tc.want {
			t.Errorf("CleanFileName(%q)=%q, want %q", tc.in, got, tc.want)
		}
		if utf8.RuneCountInString(got) > MaxFileNameLen {
			t.Errorf("CleanFileName(%q) is %d characters long", tc.in, utf8.RuneCountInString(got))
		}
	}
}
