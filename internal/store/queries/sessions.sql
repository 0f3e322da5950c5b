-- name: get-user-credentials
SELECT id, email, name, role, created_at, disabled_at, preferred_name, pronunciation, phone, preferred_channel, time_zone, language, notes,
       password_hash FROM users WHERE email = ?;

-- name: set-password-hash
UPDATE users SET password_hash = ? WHERE id = ?;

-- The session with its user; whether it is live is the desk's to judge.
-- name: get-session
SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
       u.id, u.email, u.name, u.role, u.created_at, u.disabled_at,
       u.preferred_name, u.pronunciation, u.phone, u.preferred_channel, u.time_zone, u.language, u.notes
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = ?;

-- name: create-session
INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?);

-- name: touch-session
UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ? AND revoked_at IS NULL;

-- name: revoke-session
UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL;

-- name: revoke-sessions
UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL;

-- name: delete-sessions
DELETE FROM sessions WHERE expires_at < ?;
