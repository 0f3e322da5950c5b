-- PostgreSQL holds row locks; SQLite's write transaction already holds the
-- whole database. NO KEY UPDATE: rows referencing the user (new tickets,
-- tokens) take only KEY SHARE locks and are not held up.

-- name: lock-user
SELECT id, email, name, role, created_at, disabled_at, preferred_name, pronunciation, phone, preferred_channel, time_zone, language, notes
FROM users WHERE id = ? FOR NO KEY UPDATE;

-- In id order, so two transactions lock the administrators in the same order.
-- name: lock-admins
SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR NO KEY UPDATE;
