-- name: get-follow-up
SELECT id FROM tickets WHERE follow_up_of = ?;
