package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Size is a number of bytes, written in settings as people write sizes:
// 25MB, 500 KB, 1GB or a plain number of bytes. KB, MB and GB are powers
// of 1024 (KiB, MiB and GiB are taken too), as file sizes are shown.
type Size int64

var sizeUnits = map[string]int64{"": 1, "b": 1, "kb": 1 << 10, "kib": 1 << 10, "k": 1 << 10,
	"mb": 1 << 20, "mib": 1 << 20, "m": 1 << 20, "gb": 1 << 30, "gib": 1 << 30, "g": 1 << 30}

// parseSize reads text as a Size, or says what is wrong with it.
func parseSize(text string) (int64, string) {
	t := strings.TrimSpace(text)
	i := strings.IndexFunc(t, func(r rune) bool { return !unicode.IsDigit(r) })
	if i < 0 {
		i = len(t)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(t[i:]))]
	if err != nil || !ok || n <= 0 {
		return 0, fmt.Sprintf("%q is not a size; write it like 25MB, 500KB or 1GB", text)
	}
	if n > (1<<62)/unit {
		return 0, fmt.Sprintf("%q is too large a size", text)
	}
	return n * unit, ""
}

// String writes s the way it is read back: in the largest unit it is a
// whole number of.
func (s Size) String() string {
	for _, u := range []struct {
		n    int64
		name string
	}{{1 << 30, "GB"}, {1 << 20, "MB"}, {1 << 10, "KB"}} {
		if int64(s) >= u.n && int64(s)%u.n == 0 {
			return strconv.FormatInt(int64(s)/u.n, 10) + u.name
		}
	}
	return strconv.FormatInt(int64(s), 10)
}
