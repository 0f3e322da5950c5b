-- +goose Up
-- Every bare search word also matches as a prefix. FTS5 answers a prefix
-- from a prefix index when it has one of that length; otherwise it first
-- merges the entries of every word with that prefix, whatever the rowid
-- range asked for: "pass*" cost 20-80 ms at a million tickets however few
-- tickets the search looked at, and a search page runs up to five such
-- reads per block (search.go). Prefix indexes of 2 to 10 letters make
-- those reads lazy and bounded by the range (0.8 ms), for about twice
-- the index size. Longer prefixes still merge, the entries of the few
-- words that long.
-- The triggers of migration 00005 name the table, so they keep working
-- with the new one.
DROP TABLE ticket_search;
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    subject, body, messages, notes, owner,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7 8 9 10',
    content = '', contentless_delete = 1
);
INSERT INTO ticket_search (rowid, subject, body, messages, notes, owner)
SELECT t.id, t.subject, t.body,
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND NOT e.internal AND e.body <> ''), ''),
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND e.internal AND e.body <> ''), ''),
    'r' || t.requester_id
FROM tickets t;
-- One segment, as RebuildSearch leaves it (see clean-search).
INSERT INTO ticket_search (ticket_search) VALUES ('optimize');

-- Unassigned tickets by status, in id and in update order (as in the
-- PostgreSQL migration 00015): a list of unassigned tickets with a status
-- skipped every assigned ticket of that status.
CREATE INDEX tickets_unassigned_status ON tickets (status, id) WHERE assignee_id IS NULL;
CREATE INDEX tickets_unassigned_updated ON tickets (status, updated_at, id) WHERE assignee_id IS NULL;

-- +goose Down
DROP INDEX tickets_unassigned_updated;
DROP INDEX tickets_unassigned_status;
DROP TABLE ticket_search;
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    subject, body, messages, notes, owner,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3',
    content = '', contentless_delete = 1
);
INSERT INTO ticket_search (rowid, subject, body, messages, notes, owner)
SELECT t.id, t.subject, t.body,
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND NOT e.internal AND e.body <> ''), ''),
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND e.internal AND e.body <> ''), ''),
    'r' || t.requester_id
FROM tickets t;
