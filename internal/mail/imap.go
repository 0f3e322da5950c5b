package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/rapportdesk/rapport"
)

// Poller reads new mail from a mailbox (RAPPORT_IMAP_URL) into the help
// desk. It never loses or duplicates mail:
//
//   - it remembers, per mailbox, the UIDVALIDITY and the last UID stored;
//   - it fetches each new message without marking it read (BODY.PEEK),
//     stores it, and only after that commit marks it \Seen and moves the
//     last UID on, so a failure to store leaves the message unseen and
//     the next poll starts again from it;
//   - a crash between the commit and the mark makes the next poll read the
//     message again, and the store's Message-ID dedupe turns that into
//     nothing; a changed UIDVALIDITY (the server renumbered) reads the
//     mailbox again from the start the same way.
//
// Several nodes polling at once are safe for the same reason; the job
// runner runs one poll at a time across nodes to save the work.
type Poller struct {
	Receiver *Receiver
	// URL is imap://user:pass@host:port/MAILBOX (plain TCP: loopback or a
	// trusted network only) or imaps://… (TLS); MAILBOX defaults to INBOX.
	URL string
	Log *slog.Logger
	// Timeout bounds each IMAP command's network wait (default one minute).
	Timeout time.Duration
}

// Poll runs one pass: it stores every message that arrived since the last
// pass, oldest first, and stops at the first one it cannot store.
func (p *Poller) Poll(ctx context.Context) error {
	u, err := url.Parse(p.URL)
	if err != nil {
		return fmt.Errorf("imap url: %w", err)
	}
	mailbox := strings.TrimPrefix(u.Path, "/")
	if mailbox == "" {
		mailbox = "INBOX"
	}
	pass, _ := u.User.Password()
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	opts := &imapclient.Options{Dialer: &net.Dialer{Timeout: timeout}}
	host := u.Host
	var c *imapclient.Client
	switch u.Scheme {
	case "imaps":
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), "993")
		}
		c, err = imapclient.DialTLS(host, opts)
	case "imap":
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), "143")
		}
		c, err = imapclient.DialInsecure(host, opts)
	default:
		return fmt.Errorf("imap url: scheme %q is not imap or imaps", u.Scheme)
	}
	if err != nil {
		return fmt.Errorf("imap connect %s: %w", host, err)
	}
	defer c.Close()
	// The connection is closed when ctx ends, which ends any command
	// waiting on it.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(u.User.Username(), pass).Wait(); err != nil {
		return fmt.Errorf("imap login: %w", err)
	}
	sel, err := c.Select(mailbox, nil).Wait()
	if err != nil {
		return fmt.Errorf("imap select %s: %w", mailbox, err)
	}
	// The cursor belongs to this mailbox on this server for this user.
	key := u.User.Username() + "@" + host + "/" + mailbox
	cur, err := p.Receiver.Desk.MailCursor(ctx, key)
	if err != nil {
		return err
	}
	// The first poll of a mailbox takes only its unread mail: what people
	// read there before Rapport was set up is not new requests. The
	// cursor is saved once that pass is through (a failure part-way
	// leaves the rest unread, for the next first pass); later passes take
	// every UID past the cursor, read or not.
	first := cur.UIDValidity == 0
	if cur.UIDValidity != sel.UIDValidity {
		if !first {
			p.log().Warn("IMAP mailbox UIDVALIDITY changed: reading it again from the start (duplicates are skipped)",
				"mailbox", key, "was", cur.UIDValidity, "now", sel.UIDValidity)
		}
		cur = &rapport.MailCursor{Mailbox: key, UIDValidity: sel.UIDValidity}
		if !first {
			if err := p.Receiver.Desk.SaveMailCursor(ctx, cur); err != nil {
				return err
			}
		}
	}
	done := func() error {
		if first {
			if sel.UIDNext > 0 {
				cur.LastUID = max(cur.LastUID, uint32(sel.UIDNext)-1)
			}
			if err := p.Receiver.Desk.SaveMailCursor(ctx, cur); err != nil {
				return err
			}
		}
		logout(c)
		return nil
	}
	if sel.NumMessages == 0 || sel.UIDNext != 0 && uint32(sel.UIDNext) <= cur.LastUID+1 {
		return done()
	}
	var set imap.UIDSet
	set.AddRange(imap.UID(cur.LastUID+1), 0) // 0 is "*"
	criteria := &imap.SearchCriteria{UID: []imap.UIDSet{set}}
	if first {
		criteria.NotFlag = []imap.Flag{imap.FlagSeen}
	}
	found, err := c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return fmt.Errorf("imap search: %w", err)
	}
	// "n:*" always matches the last message, even below n: keep new ones.
	uids := slices.DeleteFunc(found.AllUIDs(), func(u imap.UID) bool { return uint32(u) <= cur.LastUID })
	slices.Sort(uids)
	for _, uid := range uids {
		if err := p.one(ctx, c, cur, uid, !first); err != nil {
			return err
		}
	}
	return done()
}

// logout says goodbye; the work is done, so a failure here changes
// nothing (the connection is closed either way).
func logout(c *imapclient.Client) { c.Logout().Wait() }

var bodyPeek = &imap.FetchItemBodySection{Peek: true}

// one stores the message uid, then marks it \Seen and moves the cursor
// (saving it when save is set).
func (p *Poller) one(ctx context.Context, c *imapclient.Client, cur *rapport.MailCursor, uid imap.UID, save bool) error {
	msgs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{bodyPeek}}).Collect()
	if err != nil {
		return fmt.Errorf("imap fetch %d: %w", uid, err)
	}
	if len(msgs) == 0 { // expunged meanwhile: nothing to store
		return p.advance(ctx, cur, uid, save)
	}
	raw := msgs[0].FindBodySection(bodyPeek)
	m, dup, err := p.Receiver.Receive(ctx, raw, "imap")
	if err != nil {
		return fmt.Errorf("imap message %d left unseen: %w", uid, err)
	}
	p.log().Info("inbound mail", "uid", uid, "id", m.ID, "outcome", m.Outcome, "reason", m.Reason, "duplicate", dup)
	store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}
	if err := c.Store(imap.UIDSetNum(uid), store, nil).Close(); err != nil {
		return fmt.Errorf("imap mark %d seen: %w", uid, err)
	}
	return p.advance(ctx, cur, uid, save)
}

func (p *Poller) advance(ctx context.Context, cur *rapport.MailCursor, uid imap.UID, save bool) error {
	next := *cur
	next.LastUID = uint32(uid)
	if save {
		if err := p.Receiver.Desk.SaveMailCursor(ctx, &next); err != nil {
			return err
		}
	}
	*cur = next
	return nil
}

func (p *Poller) log() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}
