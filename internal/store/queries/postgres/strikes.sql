-- name: lock-strike
-- The strike's row is locked first: a view over an outer join cannot be
-- locked FOR UPDATE, and only the strike itself needs to be.
WITH locked AS (SELECT id FROM strikes WHERE id = ? FOR UPDATE)
SELECT v.* FROM strike_view v JOIN locked USING (id);
