-- PostgreSQL holds row locks; SQLite's write transaction already holds the
-- whole database, so it needs neither clause.

-- name: lock-ticket
SELECT id FROM tickets WHERE id = ? FOR UPDATE;

