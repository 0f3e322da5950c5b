-- name: lock-template
SELECT id FROM templates WHERE id = ? FOR UPDATE;
