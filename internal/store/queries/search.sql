-- The full-text index rebuilt from the tickets and events, for bulk loads
-- that write without the triggers (migration 00005 keeps it otherwise).

-- name: clear-search
DELETE FROM ticket_search;

-- name: fill-search
INSERT INTO ticket_search (rowid, subject, body, messages, notes, owner)
SELECT t.id, t.subject, t.body,
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND NOT e.internal AND e.body <> ''), ''),
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND e.internal AND e.body <> ''), ''),
    'r' || t.requester_id
FROM tickets t;

-- After a bulk fill, merge the index into one segment: left as the fill
-- wrote it, every later insert paid for merging the pieces (ticket creates
-- at a million tickets ran 2.7 times slower than on an empty database;
-- merged, 1.07 times).
-- name: clean-search
INSERT INTO ticket_search (ticket_search) VALUES ('optimize');

-- The highest ticket id: where a newest-first search starts its walk.
-- name: max-ticket-id
SELECT COALESCE(MAX(id), 0) FROM tickets;

-- How common words are (PostgreSQL only: see queries/postgres/search.sql).
-- name: word-stats
SELECT '', 0.0, 0.0 WHERE 1 = 0;

-- name: search-words
SELECT '' WHERE 1 = 0 AND ? IS NULL;
