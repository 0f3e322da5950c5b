package store

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdesk/rapport"
)

// FindClaims returns the latest pickups (at most limit) of tickets of
// priority rank claimed at or after since, newest first. It reads the
// index tickets_claimed only: O(log n + limit) at any size.
func (db *DB) FindClaims(ctx context.Context, rank int, since time.Time, limit int) ([]rapport.Claim, error) {
	rows, err := db.rq.QueryContext(ctx, db.q.GetRecentClaims, rank, since, limit)
	if err != nil {
		return nil, fmt.Errorf("find claims: %w", err)
	}
	defer rows.Close()
	var out []rapport.Claim
	for rows.Next() {
		c := rapport.Claim{Rank: rank}
		if err := rows.Scan(&c.CreatedAt, &c.ClaimedAt); err != nil {
			return nil, fmt.Errorf("find claims: %w", err)
		}
		c.CreatedAt, c.ClaimedAt = c.CreatedAt.UTC(), c.ClaimedAt.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find claims: %w", err)
	}
	return out, nil
}
