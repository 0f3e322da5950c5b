package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdesk/rapport"
)

// FindTickets returns a page of tickets matching f, in f.Sort order, with
// queue positions, and the cursor of the next page ("" on the last one).
//
// Every page is a keyset read: the filters pick an index, the cursor seeks
// into it, and the page reads its own rows (and, for a filter the index does
// not cover, the rows it skips). Relevance runs one such read per tier; see
// search.go.
func (db *DB) FindTickets(ctx context.Context, f rapport.TicketFilter) ([]*rapport.Ticket, string, error) {
	out, next, err := db.findTickets(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return out, next, db.fillPositions(ctx, db.rq, out...)
}

// findTickets is FindTickets without the queue positions.
func (db *DB) findTickets(ctx context.Context, f rapport.TicketFilter) ([]*rapport.Ticket, string, error) {
	l, err := db.newTicketList(f)
	if err != nil {
		return nil, "", err
	}
	if l.terms != nil {
		return db.searchTickets(ctx, l)
	}
	out, err := db.readTickets(ctx, l, l.limit+1)
	if err != nil {
		return nil, "", err
	}
	var next string
	if len(out) > l.limit {
		out = out[:l.limit]
		last := out[len(out)-1]
		c := cursor{Kind: l.kind, ID: last.ID}
		switch {
		case l.sort == rapport.SortUpdated:
			c.Time = &last.UpdatedAt
		case l.byCreated:
			c.Time = &last.CreatedAt
		}
		next = c.encode()
	}
	return out, next, nil
}

// ticketList is a checked TicketFilter.
type ticketList struct {
	f     rapport.TicketFilter
	sort  rapport.TicketSort
	terms []searchTerm
	rare  int // PostgreSQL: the index of the term GIN collects by (search.go)
	// byCreated: newest and oldest walk created_at rather than id when the
	// list is bounded by creation time, so the created_at index serves both
	// the bound and the order (the two orders agree: ids are given on
	// arrival, when created_at is stamped).
	byCreated bool
	kind      string // the cursor kind
	after     *cursor
	limit     int
}

func (db *DB) newTicketList(f rapport.TicketFilter) (*ticketList, error) {
	l := &ticketList{f: f, sort: f.Sort, limit: limit(f.Limit)}
	for _, st := range f.Statuses {
		switch st {
		case rapport.StatusNew, rapport.StatusOpen, rapport.StatusWaiting, rapport.StatusResolved, rapport.StatusClosed:
		default:
			return nil, rapport.Invalid("status", "Status must be new, open, waiting, resolved or closed.")
		}
	}
	if f.Priority != "" && !f.Priority.Valid() {
		return nil, rapport.Invalid("priority", "Priority must be critical or normal.")
	}
	if strings.TrimSpace(f.Query) != "" {
		terms, err := parseSearch(f.Query)
		if err != nil {
			return nil, err
		}
		l.terms = terms
	}
	switch {
	case !l.sort.Valid():
		return nil, rapport.Invalid("sort", "Sort must be newest, oldest, updated or relevance.")
	case l.sort == "" && l.terms != nil:
		l.sort = rapport.SortRelevance
	case l.sort == "":
		l.sort = rapport.SortNewest
	case l.sort == rapport.SortRelevance && l.terms == nil:
		return nil, rapport.Invalid("sort", "Sorting by relevance needs something to search for (q).")
	}
	// A search walks ids in blocks (search.go), with the creation time as
	// a filter.
	l.byCreated = (l.sort == rapport.SortNewest || l.sort == rapport.SortOldest) && (f.CreatedAfter != nil || f.CreatedBefore != nil) && l.terms == nil
	l.kind = "tickets:" + string(l.sort)
	if l.byCreated {
		l.kind += ":created"
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, l.kind)
		if err != nil {
			return nil, err
		}
		if !c.End && (l.sort == rapport.SortUpdated || l.byCreated) != (c.Time != nil) || c.End && l.terms == nil {
			return nil, rapport.Invalid("cursor", "This page link is damaged or belongs to another list or order. Please start again from the first page.")
		}
		l.after = c
	}
	return l, nil
}

// readTickets runs the statement of a page of a list without search.
func (db *DB) readTickets(ctx context.Context, l *ticketList, n int) ([]*rapport.Ticket, error) {
	q, args := db.ticketPageSQL(l, n)
	var rows *sql.Rows
	var err error
	if db.dialect.name == "postgres" && l.after != nil && l.after.Time != nil {
		// A later page in creation or last-change order is planned with
		// its values, never from the prepared statement: after five runs
		// PostgreSQL may switch to a generic plan, which guessed the
		// keyset bound's share from nothing and intersected two whole
		// indexes (70-120 ms a page at 1M tickets, the first pages
		// 2-5 ms). First pages keep the prepared plan: planning each
		// run cost more than it saved there.
		rows, err = db.read.QueryContext(ctx, q, append([]any{pgx.QueryExecModeExec}, args...)...)
	} else {
		rows, err = db.rq.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("find tickets: %w", err)
	}
	defer rows.Close()
	var out []*rapport.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("find tickets: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find tickets: %w", err)
	}
	return out, nil
}

// filterConds returns the conditions on tickets t of f's filters other
// than status, with their arguments.
func filterConds(f rapport.TicketFilter) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.RequesterID != nil {
		add("t.requester_id = ?", *f.RequesterID)
	}
	if f.AssigneeID != nil {
		add("t.assignee_id = ?", *f.AssigneeID)
	}
	if f.Unassigned {
		add("t.assignee_id IS NULL")
	}
	if f.Priority != "" {
		add("t.priority = " + sqlEnum(f.Priority))
	}
	if f.Channel != "" {
		add("t.channel = ?", string(f.Channel))
	}
	if f.Mood != "" {
		add("t.mood = ?", string(f.Mood))
		if f.Mood != rapport.MoodCalm {
			// Implied, but spelled out so the index of the tickets
			// that are not calm (migration 00022) can serve.
			add("t.mood <> 'calm'")
		}
	}
	if f.CreatedAfter != nil {
		add("t.created_at >= ?", f.CreatedAfter.UTC())
	}
	if f.CreatedBefore != nil {
		add("t.created_at < ?", f.CreatedBefore.UTC())
	}
	return where, args
}

// ticketPageSQL builds the statement of a page of a list without search.
func (db *DB) ticketPageSQL(l *ticketList, n int) (string, []any) {
	f := l.f
	// A later page in creation order bounds created_at by its cursor;
	// the creation bound on the same side is then implied, and is left
	// out: PostgreSQL multiplies two bounds on one side as if unrelated
	// and, guessing 3,000 rows for 50,000, intersected two whole indexes
	// (160 ms a page).
	if c := l.after; l.byCreated && c != nil && c.Time != nil {
		if l.sort == rapport.SortOldest && f.CreatedAfter != nil && !c.Time.Before(*f.CreatedAfter) {
			f.CreatedAfter = nil
		}
		if l.sort != rapport.SortOldest && f.CreatedBefore != nil && c.Time.Before(*f.CreatedBefore) {
			f.CreatedBefore = nil
		}
	}
	where, args := filterConds(f)
	if l.byCreated && f.Priority != "" && db.dialect.name == "postgres" {
		// PostgreSQL guesses a keyset row comparison's share at a
		// twentieth of the truth and then intersects the whole creation
		// range with every critical ticket (75-160 ms a later page)
		// instead of walking the range in order (one critical ticket in
		// twenty: 10 ms). A priority test no index serves leaves it the
		// walk.
		for i, c := range where {
			where[i] = strings.Replace(c, "t.priority = ", "(t.priority || '') = ", 1)
		}
	}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	src, id := "tickets t", "t.id"

	// The order, on the inner query (over t, and over the branches' own
	// columns) and on the outer (over v), and the keyset condition after
	// the cursor.
	var inner, merged, outer string
	c := l.after
	switch {
	case l.sort == rapport.SortUpdated:
		inner, merged, outer = "t.updated_at DESC, t.id DESC", "updated_at DESC, id DESC", "v.updated_at DESC, v.id DESC"
		if f.CreatedAfter != nil {
			// A ticket changes no earlier than it is created (the
			// store keeps it so: changedAt), so the walk down the
			// last-change order ends here rather than at the oldest
			// change: the last page read every older ticket of the
			// status (0.5-1.7 s at a million).
			add("t.updated_at >= ?", f.CreatedAfter.UTC())
		}
		if c != nil {
			// The plain bound beside the row comparison is redundant,
			// but PostgreSQL estimates a row comparison's share badly
			// (3,000 rows for 53,000) and then intersects two whole
			// indexes (90 ms a later page); the plain bound it
			// estimates from its histogram.
			add("t.updated_at <= ?", c.Time.UTC())
			add("(t.updated_at, t.id) < (?, ?)", c.Time.UTC(), c.ID)
		}
	case l.byCreated:
		dir, cmp := "DESC", "<"
		if l.sort == rapport.SortOldest {
			dir, cmp = "ASC", ">"
		}
		inner, merged, outer = "t.created_at "+dir+", t.id "+dir, "created_at "+dir+", id "+dir, "v.created_at "+dir+", v.id "+dir
		if c != nil {
			add("t.created_at "+cmp+"= ?", c.Time.UTC()) // see the updated order
			add("(t.created_at, t.id) "+cmp+" (?, ?)", c.Time.UTC(), c.ID)
		}
	default:
		dir, cmp := "DESC", "<"
		if l.sort == rapport.SortOldest {
			dir, cmp = "ASC", ">"
		}
		inner, merged, outer = id+" "+dir, "id "+dir, "v.id "+dir
		if c != nil {
			add(id+" "+cmp+" ?", c.ID)
		}
	}
	// page is one branch: the tickets of status st, or of any status.
	page := func(st rapport.Status) (string, []any) {
		w := where
		if st != "" {
			w = append(where[:len(where):len(where)], "t.status = "+sqlEnum(st))
		}
		order := inner
		if f.Unassigned && st != "" && st != rapport.StatusNew && db.dialect.name == "postgres" {
			// Unassigned tickets that are not new are few, and in
			// their own index (migration 00015); PostgreSQL believes
			// every status a third unassigned and would walk all
			// tickets in the list's order to find them (1-2 s at a
			// million). A sort key that no index yields (id + 0,
			// updated_at + 0 s) leaves it no walk: it reads them and
			// sorts them.
			order = strings.Replace(order, id+" ", "("+id+" + 0) ", 1)
			order = strings.Replace(order, "t.updated_at ", "(t.updated_at + INTERVAL '0 s') ", 1)
			order = strings.Replace(order, "t.created_at ", "(t.created_at + INTERVAL '0 s') ", 1)
			// Nor may a creation bound or a later page's keyset bound
			// lead it to another index: it would intersect every
			// queued ticket (tickets_queue) with a status's tickets
			// (80-140 ms at a million) instead of reading the few
			// unassigned ones.
			for i, c := range w {
				w[i] = hideFromIndexes.Replace(c)
			}
		} else if l.sort == rapport.SortUpdated && f.CreatedBefore != nil {
			// Last changed first within a closed creation range: the
			// range holds a bounded share of the tickets, but the
			// updated_at index would be walked from the latest change
			// down through every ticket created since (5 s at a million
			// for a week half a year back). Read the range from the
			// creation index and sort it instead.
			if db.dialect.name == "postgres" {
				order = strings.Replace(order, "t.updated_at ", "(t.updated_at + INTERVAL '0 s') ", 1)
			} else {
				order = strings.Replace(order, "t.updated_at ", "+t.updated_at ", 1)
			}
		}
		from := src
		if db.dialect.name == "sqlite" {
			from += sqliteListIndex(l, st == rapport.StatusNew, st != "")
			if f.Unassigned && st != "" && st != rapport.StatusNew {
				// Implied, but SQLite reads the unassigned index (its
				// WHERE, migration 00030) only when the query names it.
				w = append(w, "t.status <> 'new'")
			}
		}
		q := "SELECT " + id + " AS id, t.updated_at AS updated_at, t.created_at AS created_at FROM " + from
		if len(w) > 0 {
			q += " WHERE " + strings.Join(w, " AND ")
		}
		return q + " ORDER BY " + order + " LIMIT ?", append(args[:len(args):len(args)], n)
	}
	var q string
	switch {
	case len(f.Statuses) == 1:
		q, args = page(f.Statuses[0])
	case len(f.Statuses) > 1:
		// No index yields several statuses in id order, so each status
		// reads its own page from (status, id) and the pages are merged:
		// O(statuses x page) instead of sorting every match.
		var parts []string
		var all []any
		for _, s := range f.Statuses {
			part, a := page(s)
			parts, all = append(parts, "SELECT * FROM ("+part+") b"+fmt.Sprint(len(parts))), append(all, a...)
		}
		q, args = "SELECT * FROM ("+strings.Join(parts, " UNION ALL ")+") u ORDER BY "+merged+" LIMIT ?", append(all, n)
	default:
		q, args = page("")
	}
	// Only the page's rows are joined to the view (requester, assignee and
	// logger names): the filters and the order run on tickets' indexes.
	q = "SELECT v.* FROM (" + q + ") p JOIN ticket_view v ON v.id = p.id ORDER BY " + outer
	return db.dialect.rebind(q), args
}

// hideFromIndexes rewrites a condition on t's times so that no index can
// serve it, leaving its meaning as it was.
var hideFromIndexes = strings.NewReplacer(
	"(t.updated_at, t.id)", "(t.updated_at + INTERVAL '0 s', t.id + 0)",
	"(t.created_at, t.id)", "(t.created_at + INTERVAL '0 s', t.id + 0)",
	"t.updated_at ", "(t.updated_at + INTERVAL '0 s') ",
	"t.created_at ", "(t.created_at + INTERVAL '0 s') ",
)

// sqliteListIndex names the index one branch of a list must read on
// SQLite (" INDEXED BY ..."), or "" to leave the choice to the planner.
// SQLite plans without statistics (the store never runs ANALYZE), so
// among indexes that each match some of the filters it takes the one
// matching the most columns, or one that yields the order: with a status
// or a priority it walked every such ticket looking for one assignee's, or
// for unassigned ones that are not new, and it sorted every critical
// ticket to list the recent ones (0.4-2.5 s at a million). A requester's
// or an assignee's tickets are few next to a status's, and unassigned
// tickets that are not new are fewer still: those indexes are read, and
// their rows sorted. Unassigned tickets by last change are walked in that
// order (the recent ones first, when created after a time); a creation
// range in creation order walks the creation index.
func sqliteListIndex(l *ticketList, isNew, hasStatus bool) string {
	f := l.f
	updated := l.sort == rapport.SortUpdated
	switch {
	case f.RequesterID != nil:
		return " INDEXED BY tickets_requester_id"
	case f.AssigneeID != nil && hasStatus && updated:
		return " INDEXED BY tickets_assignee_status"
	case f.AssigneeID != nil:
		return " INDEXED BY tickets_assignee_id"
	case f.Unassigned && hasStatus && !isNew && updated && f.CreatedBefore == nil:
		return " INDEXED BY tickets_unassigned_updated"
	case hasStatus && f.Mood != "" && f.Mood != rapport.MoodCalm && updated:
		return " INDEXED BY tickets_moody_updated"
	case hasStatus && f.Mood != "" && f.Mood != rapport.MoodCalm && !l.byCreated:
		return " INDEXED BY tickets_moody_status"
	case hasStatus && updated && f.CreatedAfter != nil && f.CreatedBefore == nil:
		// Tickets change after they are created, so those created
		// since a time are near the top of the last-change order.
		return " INDEXED BY tickets_status_updated"
	case updated && !hasStatus && f.Priority == rapport.PriorityCritical && f.CreatedBefore == nil:
		// Critical tickets by last change have their own index
		// (migration 00030); the planner would sort all of them.
		return " INDEXED BY tickets_critical_updated"
	case updated && f.CreatedAfter != nil && f.CreatedBefore == nil:
		return " INDEXED BY tickets_updated"
	case f.Unassigned && hasStatus && !isNew:
		return " INDEXED BY tickets_unassigned_status"
	case l.byCreated && !hasStatus && f.Unassigned:
		return " INDEXED BY tickets_unassigned_created"
	case l.byCreated && !hasStatus:
		return " INDEXED BY tickets_created"
	}
	return ""
}

// sqlEnum returns a status or priority as an SQL string literal. Partial
// indexes (WHERE priority = 'critical', status <> 'new') serve a query
// only when its condition names the value itself: a parameter leaves both
// planners unable to prove the index covers it. The values are the
// domain's own constants; anything else is refused by newTicketList.
func sqlEnum[T ~string](v T) string {
	return "'" + strings.ReplaceAll(string(v), "'", "''") + "'"
}
