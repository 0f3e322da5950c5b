package store

import (
	"context"
	"fmt"
	"math"
	"strings"

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
	var out []*rapport.Ticket
	var tiers []int // the relevance tier of each row of out
	if l.sort == rapport.SortRelevance {
		start, afterID := 0, int64(0)
		if l.after != nil {
			start, afterID = l.after.Tier, l.after.ID
		}
		for tier := start; tier < searchTiers && len(out) <= l.limit; tier++ {
			var from int64
			if tier == start {
				from = afterID
			}
			page, err := db.ticketPage(ctx, l, tier, from, l.limit+1-len(out))
			if err != nil {
				return nil, "", err
			}
			out = append(out, page...)
			for range page {
				tiers = append(tiers, tier)
			}
		}
	} else if out, err = db.ticketPage(ctx, l, -1, 0, l.limit+1); err != nil {
		return nil, "", err
	}
	var next string
	if len(out) > l.limit {
		out = out[:l.limit]
		last := out[len(out)-1]
		c := cursor{Kind: l.kind, ID: last.ID}
		switch {
		case l.sort == rapport.SortRelevance:
			c.Tier = tiers[len(out)-1]
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
	l.byCreated = (l.sort == rapport.SortNewest || l.sort == rapport.SortOldest) && (f.CreatedAfter != nil || f.CreatedBefore != nil)
	l.kind = "tickets:" + string(l.sort)
	if l.byCreated {
		l.kind += ":created"
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, l.kind)
		if err != nil {
			return nil, err
		}
		if (l.sort == rapport.SortUpdated || l.byCreated) != (c.Time != nil) {
			return nil, rapport.Invalid("cursor", "This page link is damaged or belongs to another list or order. Please start again from the first page.")
		}
		l.after = c
	}
	return l, nil
}

// ticketPage reads up to n tickets of l after the cursor: of one relevance
// tier after the id from (0: from the start), or of any order when tier < 0.
func (db *DB) ticketPage(ctx context.Context, l *ticketList, tier int, from int64, n int) ([]*rapport.Ticket, error) {
	if db.dialect.name != "postgres" || l.terms == nil {
		return db.readTickets(ctx, l, tier, from, n, planAny)
	}
	// PostgreSQL misjudges how many tickets match when its statistics
	// cannot tell: a word in no ticket at all ("zebra") looks as common as
	// the least common word it knows, and a phrase looks as common as its
	// words together ("vpn laptop", never side by side). It then walks the
	// newest tickets one by one through all of them (10-28 s at 1M). So a
	// newest-first search first looks at the newest searchPeek tickets
	// only: a full page there is the exact answer, since every newer ticket
	// was looked at. Otherwise the matches are few: they are collected from
	// the GIN index and sorted. One requester's or assignee's tickets are
	// few anyway, and the planner reads them by their own index.
	few := l.f.RequesterID != nil || l.f.AssigneeID != nil
	newestFirst := l.sort == rapport.SortRelevance || l.sort == rapport.SortNewest && !l.byCreated
	switch {
	case few && !l.phrase():
		return db.readTickets(ctx, l, tier, from, n, planAny)
	case newestFirst && !few:
		out, err := db.readTickets(ctx, l, tier, from, n, planPeek)
		if err != nil || len(out) == n {
			return out, err
		}
	}
	return db.readTickets(ctx, l, tier, from, n, planCollect)
}

// searchPeek is how many of the newest tickets a search on PostgreSQL
// looks at before it collects its matches from the index (a variable for
// tests).
var searchPeek = 2000

// pagePlan steers PostgreSQL's plan of a search page (see ticketPage).
type pagePlan int

const (
	planAny     pagePlan = iota // the planner's choice
	planPeek                    // only the newest searchPeek tickets after the cursor
	planCollect                 // every match from the index, then sorted
)

// phrase reports whether the search has a quoted phrase of two words or more.
func (l *ticketList) phrase() bool {
	for _, t := range l.terms {
		if len(t.tokens) > 1 {
			return true
		}
	}
	return false
}

// readTickets runs a ticket page's statement.
func (db *DB) readTickets(ctx context.Context, l *ticketList, tier int, from int64, n int, plan pagePlan) ([]*rapport.Ticket, error) {
	q, args := db.ticketPageSQL(l, tier, from, n, plan)
	rows, err := db.rq.QueryContext(ctx, q, args...)
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

// ticketPageSQL builds ticketPage's statement.
func (db *DB) ticketPageSQL(l *ticketList, tier int, from int64, n int, plan pagePlan) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	f := l.f

	src, id := "tickets t", "t.id"
	if l.terms != nil {
		notes := f.SearchNotes
		switch {
		case db.dialect.name == "postgres":
			src = "ticket_search s JOIN tickets t ON t.id = s.ticket_id"
			cond, a := tsCondition(l.terms, tier, notes)
			add(cond, a...)
		default:
			// Ordering by the FTS table's own rowid lets FTS5 stream its
			// matches in id order instead of sorting them all; one
			// requester's tickets are picked inside FTS5 (the owner column).
			var owner int64
			if f.RequesterID != nil {
				owner = *f.RequesterID
			}
			src, id = "ticket_search JOIN tickets t ON t.id = ticket_search.rowid", "ticket_search.rowid"
			add("ticket_search MATCH ?", ftsMatch(l.terms, tier, notes, owner))
		}
	}
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
		add("t.priority = ?", string(f.Priority))
	}
	if f.Channel != "" {
		add("t.channel = ?", string(f.Channel))
	}
	if f.CreatedAfter != nil {
		add("t.created_at >= ?", f.CreatedAfter.UTC())
	}
	if f.CreatedBefore != nil {
		add("t.created_at < ?", f.CreatedBefore.UTC())
	}

	// peek reads only the searchPeek newest tickets before the id before
	// (0: the newest of all) and tests each: the LIMIT and OFFSET 0 keep
	// PostgreSQL from planning around it.
	peek := func(before int64) {
		if before <= 0 {
			before = math.MaxInt64
		}
		src = fmt.Sprintf("(SELECT id FROM tickets WHERE id < ? ORDER BY id DESC LIMIT %d) w"+
			" CROSS JOIN LATERAL (SELECT * FROM ticket_search s0 WHERE s0.ticket_id = w.id OFFSET 0) s"+
			" JOIN tickets t ON t.id = w.id", searchPeek)
		args = append([]any{before}, args...)
	}

	// The order, on the inner query (over t, and over the branches' own
	// columns) and on the outer (over v), and the keyset condition after
	// the cursor.
	var inner, merged, outer string
	c := l.after
	switch {
	case l.sort == rapport.SortRelevance:
		inner, merged, outer = id+" DESC", "id DESC", "v.id DESC"
		if from > 0 {
			add(id+" < ?", from)
		}
		if plan == planPeek {
			peek(from)
		}
	case l.sort == rapport.SortUpdated:
		inner, merged, outer = "t.updated_at DESC, t.id DESC", "updated_at DESC, id DESC", "v.updated_at DESC, v.id DESC"
		if c != nil {
			add("(t.updated_at, t.id) < (?, ?)", c.Time.UTC(), c.ID)
		}
	case l.byCreated:
		dir, cmp := "DESC", "<"
		if l.sort == rapport.SortOldest {
			dir, cmp = "ASC", ">"
		}
		inner, merged, outer = "t.created_at "+dir+", t.id "+dir, "created_at "+dir+", id "+dir, "v.created_at "+dir+", v.id "+dir
		if c != nil {
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
		if plan == planPeek {
			var before int64
			if c != nil {
				before = c.ID
			}
			peek(before)
		}
	}
	if plan == planCollect {
		// id + 0 matches no index, so no plan can walk the order.
		inner = strings.Replace(inner, id, "("+id+" + 0)", 1)
	}
	page := func(cond string, a ...any) (string, []any) {
		w := append(where[:len(where):len(where)], cond)
		if cond == "" {
			w = where
		}
		q := "SELECT " + id + " AS id, t.updated_at AS updated_at, t.created_at AS created_at FROM " + src
		if len(w) > 0 {
			q += " WHERE " + strings.Join(w, " AND ")
		}
		return q + " ORDER BY " + inner + " LIMIT ?", append(append(args[:len(args):len(args)], a...), n)
	}
	var q string
	switch {
	case len(f.Statuses) == 1:
		q, args = page("t.status = ?", string(f.Statuses[0]))
	case len(f.Statuses) > 1 && l.terms == nil:
		// No index yields several statuses in id order, so each status
		// reads its own page from (status, id) and the pages are merged:
		// O(statuses x page) instead of sorting every match.
		var parts []string
		var all []any
		for _, s := range f.Statuses {
			part, a := page("t.status = ?", string(s))
			parts, all = append(parts, "SELECT * FROM ("+part+") b"+fmt.Sprint(len(parts))), append(all, a...)
		}
		q, args = "SELECT * FROM ("+strings.Join(parts, " UNION ALL ")+") u ORDER BY "+merged+" LIMIT ?", append(all, n)
	case len(f.Statuses) > 1:
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ")
		var ss []any
		for _, s := range f.Statuses {
			ss = append(ss, string(s))
		}
		q, args = page("t.status IN ("+marks+")", ss...)
	default:
		q, args = page("")
	}
	// Only the page's rows are joined to the view (requester, assignee and
	// logger names): the filters and the order run on tickets' indexes.
	q = "SELECT v.* FROM (" + q + ") p JOIN ticket_view v ON v.id = p.id ORDER BY " + outer
	return db.dialect.rebind(q), args
}
