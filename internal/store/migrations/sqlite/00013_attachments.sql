-- +goose Up
-- Files on tickets. The bytes are in blob storage under their SHA-256
-- (internal/attach); a row is written in the same transaction as its event,
-- so a rolled-back change leaves no row (at most a blob nobody points at).
-- Who may see a file follows its event: internal notes' files are staff-only.
CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- A timeline page reads the files of its events in one range scan.
CREATE INDEX attachments_ticket_event ON attachments (ticket_id, event_id, id);
-- Finding blobs no row points at any more, to clean them.
CREATE INDEX attachments_sha256 ON attachments (sha256);

-- +goose Down
DROP TABLE attachments;
