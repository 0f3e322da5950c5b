package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"

	"github.com/jhillyerd/enmime/v2"
	"github.com/microcosm-cc/bluemonday"

	"github.com/rapportdesk/rapport"
)

// maxMessageIDLen bounds a Message-ID used as a dedupe key; a longer one
// (never seen from a real client) is deduplicated by content instead.
const maxMessageIDLen = 500

// Parser reads inbound mail into what the desk needs: who sent it, the
// text for the timeline, the tickets it names, and whether it is
// automatic mail that must never make a ticket.
type Parser struct {
	IDs IDs
	// Own is the help desk's own address (RAPPORT_MAIL_FROM): mail from it
	// is our own, looping back.
	Own string
}

// enmime copes with broken charsets and structure; it keeps what it can
// and lists the rest in Envelope.Errors. Its HTML-to-text conversion is
// off: text is derived from the sanitized HTML here (see html.go).
var mimeParser = enmime.NewParser(enmime.DisableTextConversion(true), enmime.SkipMalformedParts(true))

// ugc sanitizes HTML mail before anyone sees it: no scripts, styles,
// event handlers, forms or frames.
var ugc = bluemonday.UGCPolicy()

// Parse reads raw. It never fails: a message it cannot read comes back
// with Unreadable set (the desk quarantines it), and the raw bytes are
// kept either way.
func (p Parser) Parse(raw []byte) *rapport.InboundMail {
	sum := sha256.Sum256(raw)
	m := &rapport.InboundMail{Raw: raw, Hash: hex.EncodeToString(sum[:])}
	m.DedupeKey = "sha256:" + m.Hash
	env, err := mimeParser.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		m.Unreadable = "The message could not be read as email: " + safeText(firstLine(err.Error()))
		p.salvageHeaders(m, raw)
		m.Subject, m.FromName = safeText(m.Subject), safeText(m.FromName)
		return m
	}
	h := header{env}
	m.Subject = cleanSubject(env.GetHeader("Subject"))
	from, err := env.AddressList("From")
	if err != nil || len(from) == 0 {
		m.Unreadable = "The sender's address (From) is missing or could not be read."
		m.Subject = safeText(m.Subject)
		return m
	}
	addr, why := rapport.NormalizeEmail(from[0].Address)
	if why != "" {
		m.Unreadable = safeText(fmt.Sprintf("The sender's address %q is not usable: %s", from[0].Address, why))
		m.Subject = safeText(m.Subject)
		return m
	}
	m.FromAddr, m.FromName = addr, strings.TrimSpace(from[0].Name)
	if id := messageID(env.GetHeader("Message-ID")); id != "" {
		m.MessageID = id
		// The sender is part of the key: a client that reuses a
		// Message-ID (or someone forging one) cannot make another
		// person's mail vanish as a "duplicate".
		m.DedupeKey = "mid:" + addr + " " + id
	}
	refs := env.GetHeader("References") + " " + env.GetHeader("In-Reply-To")
	m.RefTickets = p.IDs.Tickets(refs)
	m.TagTicket = TicketFromSubject(m.Subject)

	if env.HTML != "" {
		m.HTML = ugc.Sanitize(env.HTML)
	}
	m.Text = normalizeText(plainText(env))
	if strings.TrimSpace(m.Text) == "" && m.HTML != "" {
		m.Text = htmlText(m.HTML)
	}
	m.Body = TrimReply(m.Text, isForward(m.Subject))
	for _, list := range [][]*enmime.Part{env.Attachments, env.Inlines, env.OtherParts} {
		for _, part := range list {
			m.Attachments = append(m.Attachments, rapport.MailAttachment{Name: part.FileName,
				ContentType: part.ContentType, Size: len(part.Content), Inline: part.Disposition == "inline",
				Content: part.Content})
		}
	}
	m.Noise = p.noise(h, m)
	m.Subject, m.FromName, m.Text, m.Body, m.HTML = safeText(m.Subject), safeText(m.FromName), safeText(m.Text), safeText(m.Body), safeText(m.HTML)
	for i := range m.Attachments {
		m.Attachments[i].Name = safeText(m.Attachments[i].Name)
	}
	return m
}

// safeText makes s storable and showable: valid UTF-8 (a broken byte
// becomes U+FFFD) without NUL characters, which PostgreSQL text refuses.
func safeText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// plainText is the mail's plain text. enmime joins the text parts of a
// mixed message (Apple Mail splits text around an inline picture) with a
// "--" line, which reads as a signature delimiter; here they are joined
// by a blank line.
func plainText(env *enmime.Envelope) string {
	root := env.Root
	if root == nil || !strings.HasPrefix(root.ContentType, "multipart/") || root.ContentType == "multipart/alternative" {
		return env.Text
	}
	var parts []string
	for _, p := range root.DepthMatchAll(func(p *enmime.Part) bool {
		return p.ContentType == "text/plain" && p.Disposition != "attachment"
	}) {
		parts = append(parts, strings.TrimRight(string(p.Content), "\r\n"))
	}
	if len(parts) == 0 {
		return env.Text
	}
	return strings.Join(parts, "\n\n")
}

// salvageHeaders reads what it can of a message enmime refused, so the
// quarantine list says who sent it and about what.
func (p Parser) salvageHeaders(m *rapport.InboundMail, raw []byte) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return
	}
	m.Subject = cleanSubject(decodeWords(msg.Header.Get("Subject")))
	if a, err := enmime.ParseAddressList(msg.Header.Get("From")); err == nil && len(a) > 0 {
		a := a[0]
		if addr, why := rapport.NormalizeEmail(a.Address); why == "" {
			m.FromAddr, m.FromName = addr, a.Name
		}
	}
}

func decodeWords(s string) string { return enmime.DecodeRFC2047(s) }

// messageID returns the <id> of a Message-ID header, "" when there is none
// usable.
func messageID(h string) string {
	h = strings.TrimSpace(h)
	if i := strings.IndexByte(h, '<'); i >= 0 {
		if j := strings.IndexByte(h[i:], '>'); j > 1 {
			h = h[i : i+j+1]
		}
	}
	h = strings.Trim(h, "<>")
	if h == "" || len(h) > maxMessageIDLen || strings.ContainsAny(h, " \t\r\n<>") {
		return ""
	}
	return "<" + h + ">"
}

var spaces = regexp.MustCompile(`\s+`)

// cleanSubject puts a subject on one line, cut to the ticket subject limit.
func cleanSubject(s string) string {
	return rapport.Cut(strings.TrimSpace(spaces.ReplaceAllString(s, " ")), rapport.MaxSubjectLen)
}

// SubjectTag is the tag Rapport's mail puts in its subject lines to name
// a ticket ("[#123]"); a reply that keeps it threads onto the ticket when
// it comes from the ticket's requester or from staff.
func SubjectTag(ticket int64) string { return "[#" + strconv.FormatInt(ticket, 10) + "]" }

var subjectTag = regexp.MustCompile(`\[#([1-9][0-9]{0,17})\]`)

// TicketFromSubject returns the ticket a subject's tag names (the first
// tag), 0 when there is none.
func TicketFromSubject(subject string) int64 {
	m := subjectTag.FindStringSubmatch(subject)
	if m == nil {
		return 0
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

var forwardPrefix = regexp.MustCompile(`(?i)^\s*((re|aw|sv|antw)\s*:\s*)*(fwd?|wg|tr|rv|fw)\s*:`)

// isForward reports whether a subject says the mail forwards another: its
// quoted part is then the request itself, not history to trim.
func isForward(subject string) bool { return forwardPrefix.MatchString(subject) }

// normalizeText turns line ends into \n and drops trailing spaces, except
// the one in a "-- " signature line.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "-- " {
			lines[i] = strings.TrimRight(l, " \t\u00a0")
		}
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
