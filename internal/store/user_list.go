package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapportdesk/rapport"
)

// FindUsers returns a page of users matching f, oldest first, and the
// cursor of the next page. Keyset on id; a role uses (role, id), a name or
// email prefix the lower(email) and lower(name) indexes.
func (db *DB) FindUsers(ctx context.Context, f rapport.UserFilter) ([]*rapport.User, string, error) {
	var where []string
	var args []any
	if f.Role != "" {
		where, args = append(where, "role = ?"), append(args, string(f.Role))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if n := utf8.RuneCountInString(q); n > rapport.MaxEmailLen {
			return nil, "", rapport.Invalid("q", "The search is too long: %d characters, the limit is %d.", n, rapport.MaxEmailLen)
		}
		// A range on the lowered column is a prefix match that an index can
		// answer; PostgreSQL compares bytes there (COLLATE "C"), as SQLite
		// does, whose lower() folds only ASCII letters.
		email, name := "lower(email)", "lower(name)"
		if db.dialect.name == "postgres" {
			email, name, q = `(lower(email) COLLATE "C")`, `(lower(name) COLLATE "C")`, strings.ToLower(q)
		} else {
			q = asciiLower(q)
		}
		hi := q + string(utf8.MaxRune)
		where = append(where, fmt.Sprintf("((%[1]s >= ? AND %[1]s < ?) OR (%[2]s >= ? AND %[2]s < ?))", email, name))
		args = append(args, q, hi, q, hi)
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, "users")
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "id > ?"), append(args, c.ID)
	}
	n := limit(f.Limit)
	q := "SELECT id, email, name, role, created_at, disabled_at" +
		", preferred_name, pronunciation, phone, preferred_channel, time_zone, language, notes FROM users"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id LIMIT ?"
	rows, err := db.rq.QueryContext(ctx, db.dialect.rebind(q), append(args, n+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []*rapport.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, "", fmt.Errorf("find users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find users: %w", err)
	}
	var next string
	if len(out) > n {
		out = out[:n]
		next = cursor{Kind: "users", ID: out[n-1].ID}.encode()
	}
	return out, next, nil
}

// asciiLower lowers A-Z only, as SQLite's lower() does.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
