-- The audit log of staff reads of private data (audit.go). Reads go
-- through audit_view (migration 00021), newest first, keyset-paged by id;
-- each filter has its own statement so it walks its own index.

-- name: add-audit
INSERT INTO audit_log (staff_id, user_id, what, ref, route, created_at)
VALUES (?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: list-audit
SELECT * FROM audit_view WHERE id < ? ORDER BY id DESC LIMIT ?;

-- name: list-audit-by-user
SELECT * FROM audit_view WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?;

-- name: list-audit-by-staff
SELECT * FROM audit_view WHERE staff_id = ? AND id < ? ORDER BY id DESC LIMIT ?;

-- name: list-audit-by-user-and-staff
SELECT * FROM audit_view WHERE user_id = ? AND staff_id = ? AND id < ? ORDER BY id DESC LIMIT ?;
