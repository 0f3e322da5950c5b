package store

import (
	"context"
	"strings"

	"github.com/rapportdesk/rapport"
)

// ExplainTickets returns the database's plan for the first page of f (of
// relevance tier 0 when searching): EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
// PostgreSQL, one line per step.
func ExplainTickets(ctx context.Context, db *DB, f rapport.TicketFilter) (string, error) {
	l, err := db.newTicketList(f)
	if err != nil {
		return "", err
	}
	tier := -1
	if l.sort == rapport.SortRelevance {
		tier = 0
	}
	q, args := db.ticketPageSQL(l, tier, 0, l.limit+1)
	prefix, col := "EXPLAIN QUERY PLAN ", 3
	if db.dialect.name == "postgres" {
		prefix, col = "EXPLAIN ", 0
	}
	rows, err := db.read.QueryContext(ctx, prefix+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			return "", err
		}
		s, _ := (*vals[col].(*any)).(string)
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// FoldsAccents reports whether search ignores accents on db: always on
// SQLite, on PostgreSQL when the unaccent extension could be installed.
func FoldsAccents(ctx context.Context, db *DB) bool {
	if db.dialect.name == "sqlite" {
		return true
	}
	var ok bool
	err := db.read.QueryRowContext(ctx, "SELECT to_tsvector('rapport_search', 'café') @@ to_tsquery('rapport_search', 'cafe')").Scan(&ok)
	return err == nil && ok
}

// FindTicketsNoPositions is FindTickets without queue positions, to measure
// the list on its own (positions are fillPositions' cost, see position.go).
func FindTicketsNoPositions(ctx context.Context, db *DB, f rapport.TicketFilter) ([]*rapport.Ticket, string, error) {
	return db.findTickets(ctx, f)
}
