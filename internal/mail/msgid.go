// Package mail is Rapport's email channel: Message-IDs it signs, and (in
// later files) reading mail in and sending notices out.
package mail

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"

	"github.com/rapportdesk/rapport"
)

// SecretName is the store secret (rapport.Store.Secret) that signs
// Message-IDs.
const SecretName = "mail-message-id"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// IDs makes and checks the Message-IDs of the mail Rapport sends. Each
// carries the ticket it is about and a signature, so a reply that names it
// in In-Reply-To or References is threaded onto that ticket, and nobody
// can forge one to write onto another person's ticket.
type IDs struct {
	Key    []byte // the store secret named SecretName
	Domain string // the domain of RAPPORT_MAIL_FROM
}

// SiteIDs returns the site's IDs: the store's secret named SecretName and
// the domain of from (RAPPORT_MAIL_FROM). Mail out and mail in both take
// them from here: IDs made with any other key or domain would not thread.
func SiteIDs(ctx context.Context, s rapport.Store, from string) (IDs, error) {
	key, err := s.Secret(ctx, SecretName)
	if err != nil {
		return IDs{}, err
	}
	_, domain, _ := strings.Cut(from, "@")
	return IDs{Key: key, Domain: domain}, nil
}

// New returns a Message-ID (with its angle brackets) for a mail about
// ticket. key makes it stable: the same ticket and key give the same ID,
// so a notice retried after a crash is recognised as one message by the
// receiving side; an empty key makes a fresh one.
func (ids IDs) New(ticket int64, key string) string {
	nonce := key
	if nonce == "" {
		b := make([]byte, 10)
		rand.Read(b)
		nonce = b32.EncodeToString(b)
	} else {
		sum := sha256.Sum256([]byte(key))
		nonce = b32.EncodeToString(sum[:10])
	}
	body := "rapport." + strconv.FormatInt(ticket, 10) + "." + strings.ToLower(nonce)
	return "<" + body + "." + ids.sign(body) + "@" + ids.domain() + ">"
}

// Ticket returns the ticket a Message-ID Rapport made is about; ok is false
// for any other ID, or one whose signature does not check.
func (ids IDs) Ticket(messageID string) (ticket int64, ok bool) {
	id := strings.TrimSpace(messageID)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	local, _, found := strings.Cut(id, "@")
	if !found {
		return 0, false
	}
	parts := strings.Split(local, ".")
	if len(parts) != 4 || parts[0] != "rapport" {
		return 0, false
	}
	body := strings.Join(parts[:3], ".")
	if !hmac.Equal([]byte(parts[3]), []byte(ids.sign(body))) {
		return 0, false
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// Tickets returns the tickets named by Rapport's Message-IDs in a
// References or In-Reply-To header, most recent last, each once.
func (ids IDs) Tickets(header string) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, f := range strings.FieldsFunc(header, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == ',' }) {
		if t, ok := ids.Ticket(f); ok && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func (ids IDs) sign(body string) string {
	m := hmac.New(sha256.New, ids.Key)
	m.Write([]byte(body))
	return strings.ToLower(b32.EncodeToString(m.Sum(nil)[:10]))
}

func (ids IDs) domain() string {
	if ids.Domain == "" {
		return "rapport.invalid"
	}
	return ids.Domain
}
