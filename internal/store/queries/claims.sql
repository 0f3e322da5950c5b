-- Recent pickups from the queue, for the expected wait (rapport.Claim):
-- the latest of one priority rank, newest first, from the index
-- tickets_claimed alone (it names the same predicate and holds both times),
-- so the read costs the same whatever the number of tickets.

-- name: get-recent-claims
SELECT created_at, claimed_at FROM tickets
WHERE priority_rank = ? AND claimed_at IS NOT NULL AND claimed_at >= ?
ORDER BY claimed_at DESC
LIMIT ?;
