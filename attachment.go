package rapport

import (
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Attachment is a file on a ticket, belonging to one event of its
// timeline (a message, a note, the request itself). The bytes live in blob
// storage under their SHA-256 (content-addressed: the same file sent twice
// is stored once); the row says who may see them, through the event.
type Attachment struct {
	ID       int64
	TicketID int64
	EventID  int64
	// Name is the file's name as sent, cleaned (see CleanFileName).
	Name string
	// Type is the content type sniffed from the bytes, never the one the
	// sender declared.
	Type   string
	Size   int64
	SHA256 string // hex, lower case: the blob's key
	// Internal is the event's: an attachment on an internal note is
	// staff-only, like the note.
	Internal  bool
	CreatedAt time.Time
}

// MaxFileNameLen is the longest file name kept, in characters.
const MaxFileNameLen = 255

// MaxAttachmentsPerEvent is how many files one message may carry.
const MaxAttachmentsPerEvent = 10

// CleanFileName returns the last element of name (a browser or mail client
// may send a whole path), without control characters, cut to
// MaxFileNameLen, or "file" when nothing is left. The name is only ever
// shown and offered as the download's name: it never names anything on
// disk.
func CleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimRight(name, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." || name == "/" {
		return "file"
	}
	if utf8.RuneCountInString(name) > MaxFileNameLen {
		// Keep the extension: it says what the file is.
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		name = string([]rune(name)[:MaxFileNameLen-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}
