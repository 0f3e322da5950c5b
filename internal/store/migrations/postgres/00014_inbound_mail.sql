-- +goose Up
-- Every mail that reached the help desk, kept whole (raw) whatever became
-- of it: a ticket, a reply on one, ignored as automatic mail, or
-- quarantined for an administrator. dedupe_key (the Message-ID, or the
-- SHA-256 of the bytes when there is none) is unique, so a message
-- delivered twice (an SMTP retry, an IMAP re-poll) is stored once, in the
-- same transaction as the ticket it makes.
CREATE TABLE inbound_mail (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedupe_key   TEXT NOT NULL UNIQUE,
    message_id   TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    source       TEXT NOT NULL,
    from_addr    TEXT NOT NULL,
    from_name    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    text_body    TEXT NOT NULL,
    html_body    TEXT NOT NULL,
    attachments  TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    ticket_id    BIGINT REFERENCES tickets (id),
    raw          BYTEA NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL
);
-- The per-address limit on tickets made by mail counts these.
CREATE INDEX inbound_mail_from ON inbound_mail (from_addr, outcome, received_at);
-- Administrators list mail by outcome (the quarantine), newest first.
CREATE INDEX inbound_mail_outcome ON inbound_mail (outcome, id);
-- Notices thread on the mail a person sent about their ticket.
CREATE INDEX inbound_mail_ticket ON inbound_mail (ticket_id, from_addr);

-- How far the IMAP poller has read each mailbox.
CREATE TABLE mail_cursors (
    mailbox      TEXT PRIMARY KEY,
    uid_validity BIGINT NOT NULL,
    last_uid     BIGINT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE mail_cursors;
DROP TABLE inbound_mail;
