-- Response templates (template.go). Shared templates have no owner.

-- name: get-template
SELECT id, owner_id, name, subject, body, created_at, updated_at FROM templates WHERE id = ?;

-- The shared templates and one person's own, by name.
-- name: get-templates
SELECT id, owner_id, name, subject, body, created_at, updated_at FROM templates
WHERE owner_id IS NULL OR owner_id = ?
ORDER BY name_key, id;

-- name: lock-template
SELECT id FROM templates WHERE id = ?;

-- name: create-template
INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: update-template
UPDATE templates SET owner_id = ?, name = ?, name_key = ?, subject = ?, body = ?, updated_at = ? WHERE id = ?;

-- name: delete-template
DELETE FROM templates WHERE id = ?;
