package rapport

import "time"

// MailOutcome is what became of a mail that reached the help desk.
type MailOutcome string

// The outcomes of inbound mail. Every mail is kept with its outcome, so
// an administrator can always see why one made no ticket.
const (
	MailTicket      MailOutcome = "ticket"      // it made a new ticket
	MailReply       MailOutcome = "reply"       // it was added to a ticket (or reopened it)
	MailIgnored     MailOutcome = "ignored"     // automatic mail: an auto-reply, a bounce, our own
	MailQuarantined MailOutcome = "quarantined" // kept for an administrator: unreadable, or over the limit
)

// Valid reports whether o is a known outcome.
func (o MailOutcome) Valid() bool {
	switch o {
	case MailTicket, MailReply, MailIgnored, MailQuarantined:
		return true
	}
	return false
}

// InboundMail is one mail received by the SMTP listener or read from the
// polled mailbox. The raw message is kept whole whatever its outcome;
// the rest is what was read from it.
type InboundMail struct {
	ID int64
	// DedupeKey identifies the message: its Message-ID, or the SHA-256 of
	// its bytes when it has none. A message is stored once per key.
	DedupeKey string
	MessageID string // "<…>", or "" when it had none
	Hash      string // hex SHA-256 of Raw
	Source    string // "smtp" or "imap"
	FromAddr  string // normalized address; "" when unreadable
	FromName  string
	Subject   string
	// Body is the text the timeline shows: quoted history and signatures
	// trimmed. Text is the whole plain text; HTML the sanitized HTML part.
	Body, Text, HTML string
	Attachments      []MailAttachment
	// RefTickets are the tickets named by Rapport's own signed Message-IDs
	// in In-Reply-To and References, most recent last; TagTicket is the
	// ticket named by a subject tag ("[#123]"), 0 when none.
	RefTickets []int64
	TagTicket  int64
	// Noise, when set, says why this is automatic mail that must never
	// make a ticket nor be answered (see the mail package).
	Noise string
	// Unreadable, when set, says why the message could not be read; it is
	// quarantined.
	Unreadable string
	Raw        []byte

	Outcome  MailOutcome
	Reason   string // why: the noise, the quarantine, how it threaded
	TicketID *int64
	// ReceivedAt is when Rapport received it.
	ReceivedAt time.Time
}

// MailAttachment names a file that came with a mail. Its bytes stay in
// the raw message.
type MailAttachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	Inline      bool   `json:"inline,omitempty"`
	// Content is the decoded bytes, kept with the ticket as a file; the
	// stored record lists the rest (the bytes stay in the raw message).
	Content []byte `json:"-"`
}

// MailFilter selects a page of inbound mail, newest first.
type MailFilter struct {
	Outcome MailOutcome // "" for all
	// After is the cursor a previous page returned; empty for the first page.
	After string
	Limit int
}

// MailCursor is how far the IMAP poller has read a mailbox: the mailbox's
// UIDVALIDITY and the last UID stored. A new UIDVALIDITY means the UIDs
// were renumbered and the mailbox is read again from the start (the
// Message-ID dedupe keeps that from storing anything twice).
type MailCursor struct {
	Mailbox     string
	UIDValidity uint32
	LastUID     uint32
}
