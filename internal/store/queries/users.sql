-- name: create-user
INSERT INTO users (email, name, role, created_at,
    preferred_name, pronunciation, phone, preferred_channel, time_zone, language, notes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: update-user
UPDATE users SET name = ?, role = ?, disabled_at = ?,
    preferred_name = ?, pronunciation = ?, phone = ?, preferred_channel = ?, time_zone = ?, language = ?, notes = ?
WHERE id = ?;

-- name: get-user-by-id
SELECT id, email, name, role, created_at, disabled_at, preferred_name, pronunciation, phone, preferred_channel, time_zone, language, notes FROM users WHERE id = ?;

-- name: get-user-by-email
SELECT id, email, name, role, created_at, disabled_at, preferred_name, pronunciation, phone, preferred_channel, time_zone, language, notes FROM users WHERE email = ?;


-- name: get-user-by-token-hash
SELECT u.id, u.email, u.name, u.role, u.created_at, u.disabled_at,
       u.preferred_name, u.pronunciation, u.phone, u.preferred_channel, u.time_zone, u.language, u.notes
FROM tokens t JOIN users u ON u.id = t.user_id
WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL;

-- name: create-token
INSERT INTO tokens (user_id, hash, label, created_at) VALUES (?, ?, ?, ?) RETURNING id;

-- name: revoke-tokens
UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL;

-- name: get-tokens
SELECT id, user_id, label, created_at, revoked_at FROM tokens
WHERE user_id = ? AND revoked_at IS NULL
ORDER BY id DESC;

-- name: revoke-token
UPDATE tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL;

-- name: lock-user
SELECT id, email, name, role, created_at, disabled_at, preferred_name, pronunciation, phone, preferred_channel, time_zone, language, notes FROM users WHERE id = ?;

-- name: lock-admins
SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id;
