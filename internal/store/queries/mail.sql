-- Inbound mail (mailin). A key already stored inserts nothing.
-- name: create-inbound-mail
INSERT INTO inbound_mail (dedupe_key, message_id, sha256, source, from_addr, from_name, subject, body, text_body,
    html_body, attachments, outcome, reason, ticket_id, raw, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id;

-- name: set-mail-outcome
UPDATE inbound_mail SET outcome = ?, reason = ?, ticket_id = ? WHERE id = ?;

-- name: count-mail-tickets
SELECT COUNT(*) FROM inbound_mail WHERE from_addr = ? AND outcome = 'ticket' AND received_at >= ?;

-- name: get-inbound-mail
SELECT id, dedupe_key, message_id, sha256, source, from_addr, from_name, subject, body, text_body, html_body,
    attachments, outcome, reason, ticket_id, received_at, raw
FROM inbound_mail WHERE id = ?;

-- name: get-mail-cursor
SELECT uid_validity, last_uid FROM mail_cursors WHERE mailbox = ?;

-- name: save-mail-cursor
INSERT INTO mail_cursors (mailbox, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid,
    updated_at = excluded.updated_at;

-- Newest first; the first page starts below the largest id.
-- name: list-inbound-mail
SELECT id, dedupe_key, message_id, sha256, source, from_addr, from_name, subject, body, text_body, html_body,
    attachments, outcome, reason, ticket_id, received_at
FROM inbound_mail WHERE id < ? ORDER BY id DESC LIMIT ?;

-- name: list-inbound-mail-by-outcome
SELECT id, dedupe_key, message_id, sha256, source, from_addr, from_name, subject, body, text_body, html_body,
    attachments, outcome, reason, ticket_id, received_at
FROM inbound_mail WHERE outcome = ? AND id < ? ORDER BY id DESC LIMIT ?;
