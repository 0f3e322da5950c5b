package mail

import (
	"context"
	"fmt"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// Receiver files mail that reached the help desk, from the SMTP listener
// or the IMAP poller: it reads each message and hands it to the desk,
// which stores it once with what it did.
type Receiver struct {
	Desk   *desk.Desk
	Parser Parser
}

// NewReceiver returns a Receiver for the help desk whose address is from
// (RAPPORT_MAIL_FROM). It reads the key of Rapport's signed Message-IDs
// from the store.
func NewReceiver(ctx context.Context, d *desk.Desk, s rapport.Store, from string) (*Receiver, error) {
	ids, err := SiteIDs(ctx, s, from)
	if err != nil {
		return nil, err
	}
	return &Receiver{Desk: d, Parser: Parser{IDs: ids, Own: from}}, nil
}

// Receive files one raw message. It returns the mail with its outcome,
// and dup when the same message had been filed already. An error means
// nothing was stored: the sender (SMTP) or the poller (IMAP) must try
// again later.
func (r *Receiver) Receive(ctx context.Context, raw []byte, source string) (*rapport.InboundMail, bool, error) {
	m := r.Parser.Parse(raw)
	m.Source = source
	dup, err := r.Desk.ReceiveMail(ctx, m)
	if err != nil {
		return nil, false, fmt.Errorf("file mail %s: %w", m.DedupeKey, err)
	}
	return m, dup, nil
}
