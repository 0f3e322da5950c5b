package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
)

// CreateInboundMail stores m unless its DedupeKey is stored already; see
// rapport.Tx. ON CONFLICT DO NOTHING rather than a failing insert keeps
// the transaction usable on PostgreSQL, where any error aborts it.
func (tx *Tx) CreateInboundMail(ctx context.Context, m *rapport.InboundMail) (bool, error) {
	atts, err := json.Marshal(m.Attachments)
	if err != nil {
		return false, fmt.Errorf("create inbound mail: %w", err)
	}
	if m.Attachments == nil {
		atts = []byte("[]")
	}
	args := []any{m.DedupeKey, m.MessageID, m.Hash, m.Source, m.FromAddr, m.FromName, m.Subject, m.Body, m.Text,
		m.HTML, string(atts), string(m.Outcome), m.Reason, m.TicketID, m.Raw, m.ReceivedAt.UTC()}
	if tx.db.dialect.name == "sqlite" {
		res, err := tx.q.ExecContext(ctx, tx.db.q.CreateInboundMail, args...)
		if err != nil {
			return false, fmt.Errorf("create inbound mail: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return false, err
		}
		m.ID, err = res.LastInsertId()
		return err == nil, err
	}
	err = tx.q.QueryRowContext(ctx, tx.db.q.CreateInboundMail, args...).Scan(&m.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("create inbound mail: %w", err)
	}
	return true, nil
}

// SetMailOutcome saves what became of m.
func (tx *Tx) SetMailOutcome(ctx context.Context, m *rapport.InboundMail) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.SetMailOutcome, string(m.Outcome), m.Reason, m.TicketID, m.ID); err != nil {
		return fmt.Errorf("set mail outcome: %w", err)
	}
	return nil
}

// CountMailTickets counts the tickets mail from addr made since then.
func (tx *Tx) CountMailTickets(ctx context.Context, addr string, since time.Time) (int, error) {
	var n int
	if err := tx.q.QueryRowContext(ctx, tx.db.q.CountMailTickets, addr, since.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count mail tickets: %w", err)
	}
	return n, nil
}

// SaveMailCursor records how far a mailbox has been polled.
func (tx *Tx) SaveMailCursor(ctx context.Context, c *rapport.MailCursor) error {
	if _, err := tx.q.ExecContext(ctx, tx.db.q.SaveMailCursor, c.Mailbox, int64(c.UIDValidity), int64(c.LastUID), time.Now().UTC()); err != nil {
		return fmt.Errorf("save mail cursor: %w", err)
	}
	return nil
}

// FindMailCursor returns how far a mailbox has been polled.
func (db *DB) FindMailCursor(ctx context.Context, mailbox string) (*rapport.MailCursor, error) {
	c := &rapport.MailCursor{Mailbox: mailbox}
	var validity, last int64
	err := db.rq.QueryRowContext(ctx, db.q.GetMailCursor, mailbox).Scan(&validity, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	} else if err != nil {
		return nil, fmt.Errorf("find mail cursor: %w", err)
	}
	c.UIDValidity, c.LastUID = uint32(validity), uint32(last)
	return c, nil
}

// FindInboundMail returns one received mail with its raw message.
func (db *DB) FindInboundMail(ctx context.Context, id int64) (*rapport.InboundMail, error) {
	row := db.rq.QueryRowContext(ctx, db.q.GetInboundMail, id)
	var raw []byte
	m, err := scanMail(row, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no mail %d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find inbound mail: %w", err)
	}
	m.Raw = raw
	return m, nil
}

// FindInboundMails returns a page of received mail, newest first.
func (db *DB) FindInboundMails(ctx context.Context, f rapport.MailFilter) ([]*rapport.InboundMail, string, error) {
	if f.Outcome != "" && !f.Outcome.Valid() {
		return nil, "", rapport.Invalid("outcome", "The outcome must be one of ticket, reply, ignored or quarantined.")
	}
	below := int64(math.MaxInt64)
	if f.After != "" {
		c, err := decodeCursor(f.After, "mail")
		if err != nil {
			return nil, "", err
		}
		below = c.ID
	}
	n := limit(f.Limit)
	var rows *sql.Rows
	var err error
	if f.Outcome == "" {
		rows, err = db.rq.QueryContext(ctx, db.q.ListInboundMail, below, n+1)
	} else {
		rows, err = db.rq.QueryContext(ctx, db.q.ListInboundMailByOutcome, string(f.Outcome), below, n+1)
	}
	if err != nil {
		return nil, "", fmt.Errorf("find inbound mail: %w", err)
	}
	defer rows.Close()
	var out []*rapport.InboundMail
	for rows.Next() {
		m, err := scanMail(rows, nil)
		if err != nil {
			return nil, "", fmt.Errorf("find inbound mail: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find inbound mail: %w", err)
	}
	var next string
	if len(out) > n {
		out = out[:n]
		next = cursor{Kind: "mail", ID: out[n-1].ID}.encode()
	}
	return out, next, nil
}

// scanMail reads a row of the mail queries; raw, when not nil, takes the
// raw message that follows the other columns.
func scanMail(r scanner, raw *[]byte) (*rapport.InboundMail, error) {
	var m rapport.InboundMail
	var atts, outcome string
	var ticket sql.NullInt64
	dest := []any{&m.ID, &m.DedupeKey, &m.MessageID, &m.Hash, &m.Source, &m.FromAddr, &m.FromName, &m.Subject,
		&m.Body, &m.Text, &m.HTML, &atts, &outcome, &m.Reason, &ticket, &m.ReceivedAt}
	if raw != nil {
		dest = append(dest, raw)
	}
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	m.Outcome = rapport.MailOutcome(outcome)
	m.ReceivedAt = m.ReceivedAt.UTC()
	if ticket.Valid {
		m.TicketID = &ticket.Int64
	}
	if err := json.NewDecoder(strings.NewReader(atts)).Decode(&m.Attachments); err != nil {
		return nil, fmt.Errorf("attachments of mail %d: %w", m.ID, err)
	}
	return &m, nil
}
