package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rapportdesk/rapport"
)

// Full-text search. Each ticket is one document with four parts: its
// subject, its description, its public messages and its internal notes
// (SQLite: the columns of the FTS5 table ticket_search; PostgreSQL: the
// weights A, B, C and D of ticket_search.doc, plus the plain documents
// subject_doc and request_doc of migration 00010 for the first two tiers).
// Triggers keep it in step with tickets and events in the writing
// transaction (migration 00005), so every way of writing, the store's code
// or plain SQL, keeps it exact; RebuildSearch remakes it after a bulk load.
//
// The search language is deliberately small and never a syntax error: bare
// words are ANDed and each also matches as a prefix ("pass" finds
// "password"); "quoted words" match as a phrase. The store builds the FTS5
// MATCH expression or the tsquery itself from the words, so nothing a person
// types reaches either parser as syntax.
//
// Relevance is a tier: the words all in the subject (tier 0), else all in
// the subject and description, the person's own request (tier 1), else
// anywhere in the conversation (tier 2). Unlike BM25 (FTS5) the tier depends
// only on the ticket and the words, never on the rest of the corpus, so it
// is the same on both databases and a cursor stays exact while tickets
// arrive.
//
// Bounded work. Common words ("the", "my") are in most tickets, so a
// search whose words are each common but rarely together (a phrase of
// them, or a tier with few matches) would otherwise read every ticket's
// entry before its page fills: 0.3-10 s at a million tickets. So a search
// walks ticket ids in blocks of searchBlock, newest first (oldest first for
// sort=oldest), and each block is read on its own:
//   - newest and oldest are exactly id order;
//   - relevance ranks within each block: the newest block's subject
//     matches, then its description matches, then its conversation
//     matches, newest first within each, then the next block down;
//   - sort=updated orders each block's matches by last change.
//
// A page stops when it is full, when the walk is done, or when it has spent
// searchBudget: then it answers the rows found so far (maybe none) and a
// cursor marking where the walk stopped (cursor.End), so the next page goes
// on from there. Pages never skip or repeat a match; they may hold fewer
// rows than asked. On SQLite each block is an FTS5 read bounded by rowid,
// in ascending order (FTS5 reads a phrase's entries backwards slowly) and
// sorted; rounds of several blocks at once when blocks are cheap (rare
// words). On PostgreSQL each block tests its tickets one by one (GIN would
// first read every ticket that has the words), and once per page the rest
// of the walk is tried from the GIN index under a short statement timeout:
// that finishes when the words are rare.

// searchTiers is the number of relevance tiers.
const searchTiers = 3

// Limits that keep one search cheap.
const (
	maxSearchLen   = 500
	maxSearchTerms = 16
	maxPrefixLen   = 10 // the longest prefix a bare word matches by
)

// searchTerm is one bare word or one quoted phrase.
type searchTerm struct {
	// raw is the text as typed: PostgreSQL's to_tsquery splits it with the
	// same parser that split the indexed text.
	raw string
	// tokens are its runs of letters, digits and marks: the way FTS5's
	// unicode61 tokenizer splits text.
	tokens []string
	prefix bool
}

// parseSearch splits q into terms. A missing closing quote ends the phrase
// at the end of q, as a person would expect.
func parseSearch(q string) ([]searchTerm, error) {
	if n := utf8.RuneCountInString(q); n > maxSearchLen {
		return nil, rapport.Invalid("q", "The search is too long: %d characters, the limit is %d.", n, maxSearchLen)
	}
	var terms []searchTerm
	add := func(raw string, phrase bool) {
		toks := strings.FieldsFunc(raw, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
		})
		if len(toks) == 0 {
			return // punctuation only: nothing to find
		}
		last := toks[len(toks)-1]
		// A one-letter prefix would match a large share of all words.
		prefix := !phrase && utf8.RuneCountInString(last) >= 2
		if r := []rune(last); prefix && len(r) > maxPrefixLen {
			// A longer word matches as its first maxPrefixLen letters
			// ("attachments" finds "attachment" too): SQLite's prefix
			// indexes stop there (migration 00015).
			toks[len(toks)-1] = string(r[:maxPrefixLen])
			if len(toks) == 1 {
				raw = toks[0]
			} else {
				raw = raw[:strings.LastIndex(raw, last)] + toks[len(toks)-1]
			}
		}
		terms = append(terms, searchTerm{raw: raw, tokens: toks, prefix: prefix})
	}
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 {
			add(part, true)
			continue
		}
		for _, w := range strings.Fields(part) {
			add(w, false)
		}
	}
	switch {
	case len(terms) == 0:
		return nil, rapport.Invalid("q", "Please search for at least one word or number.")
	case len(terms) > maxSearchTerms:
		return nil, rapport.Invalid("q", "Please search for at most %d words at a time.", maxSearchTerms)
	}
	return terms, nil
}

// ftsMatch returns the FTS5 MATCH expression of the tickets with every
// term in their subject (part 0), in their subject and description (part
// 1), or anywhere (part 2, or any part < 0), of owner's tickets only when
// owner > 0. Without notes, internal notes can never match. A ticket's
// relevance tier is the first part it matches in: the parts are read as
// they are, not one NOT the other, as FTS5 reads "phrase NOT phrase" slowly
// (0.5 s for one block at a million tickets).
func ftsMatch(terms []searchTerm, part int, notes bool, owner int64) string {
	var all []string
	for _, t := range terms {
		s := `"` + strings.ReplaceAll(strings.Join(t.tokens, " "), `"`, `""`) + `"`
		if t.prefix {
			s += " *"
		}
		all = append(all, s)
	}
	e := "(" + strings.Join(all, " AND ") + ")"
	// Every part is named, so that words never match the owner column.
	var m string
	switch {
	case part == 0:
		m = "{subject} : " + e
	case part == 1:
		m = "{subject body} : " + e
	case notes:
		m = "{subject body messages notes} : " + e
	default:
		m = "{subject body messages} : " + e
	}
	if owner > 0 {
		m = fmt.Sprintf(`{owner} : "r%d" AND (%s)`, owner, m)
	}
	return m
}

// tsMatch returns the PostgreSQL condition on ticket_search s that a
// ticket matches at all, and the relevance tier of a match, with their
// arguments. Tiers 0 and 1 read their own plain documents (migration
// 00010); doc's weights keep the internal notes out of a search without
// notes.
func tsMatch(terms []searchTerm, notes bool) (cond string, condArgs []any, tier string, tierArgs []any) {
	const match = " @@ to_tsquery('rapport_search', ?)"
	plain := tsQuery(terms, "")
	anyQ := plain
	if !notes {
		anyQ = tsQuery(terms, "ABC")
	}
	return "s.doc" + match, []any{anyQ},
		"CASE WHEN s.subject_doc" + match + " THEN 0 WHEN s.request_doc" + match + " THEN 1 ELSE 2 END", []any{plain, plain}
}

// tsQuery returns the to_tsquery text of terms, every word limited to the
// parts of doc marked with weights ("" for any part).
func tsQuery(terms []searchTerm, weights string) string {
	var all []string
	for _, t := range terms {
		raw := strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(t.raw)
		s := "'" + raw + "'"
		if t.prefix || weights != "" {
			s += ":"
		}
		if t.prefix {
			s += "*"
		}
		all = append(all, s+weights)
	}
	return "(" + strings.Join(all, " & ") + ")"
}

// RebuildSearch rebuilds the full-text index from the tickets and their
// events, for bulk loads that write with the index's triggers off.
func (db *DB) RebuildSearch(ctx context.Context) error {
	return db.Update(ctx, func(rtx rapport.Tx) error {
		tx := rtx.(*Tx)
		for _, q := range []string{db.q.ClearSearch, db.q.FillSearch, db.q.CleanSearch} {
			if _, err := tx.q.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("rebuild search index: %w", err)
			}
		}
		return nil
	})
}

// The search walk's sizes and times (variables for tests).
var (
	// searchBlock is how many consecutive ticket ids relevance and
	// sort=updated rank together (see above).
	searchBlock int64 = 4096
	// searchBudget is how long one page of search may walk before it
	// answers with what it found.
	searchBudget = 15 * time.Millisecond
	// searchCollectTimeout bounds PostgreSQL's try at the rest of a walk
	// from the GIN index (a safety net: rareWords decides).
	searchCollectTimeout = 20 * time.Millisecond
	// searchCollectMax is how many tickets may have a search's rarest
	// word for PostgreSQL to collect its matches from the GIN index.
	searchCollectMax = 5000.0
)

// wordStats is a cache of PostgreSQL's statistics of the words in
// ticket_search.doc (word-stats), reloaded every few minutes.
type wordStats struct {
	mu    sync.Mutex
	at    time.Time
	words []string  // sorted
	sums  []float64 // sums[i]: the shares of words[:i] added up
	floor float64   // the share of a word not among them (at most)
	docs  float64
}

// rarestTerm returns the term of terms that the fewest documents can
// have, and whether at most searchCollectMax can: a bare word counts every
// word it begins (GIN reads all of them), a phrase its rarest word. Without
// statistics (a new database) every word is rare.
func (db *DB) rarestTerm(ctx context.Context, terms []searchTerm) (int, bool, error) {
	st := &db.words
	st.mu.Lock()
	defer st.mu.Unlock()
	if time.Since(st.at) > 5*time.Minute {
		rows, err := db.read.QueryContext(ctx, db.q.WordStats)
		if err != nil {
			return 0, false, fmt.Errorf("search statistics: %w", err)
		}
		var words []string
		var shares []float64
		st.docs, st.floor = 0, 0
		for rows.Next() {
			var w string
			var f float64
			if err := rows.Scan(&w, &f, &st.docs); err != nil {
				rows.Close()
				return 0, false, fmt.Errorf("search statistics: %w", err)
			}
			words, shares = append(words, w), append(shares, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, false, fmt.Errorf("search statistics: %w", err)
		}
		idx := make([]int, len(words))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return strings.Compare(words[a], words[b]) })
		st.words, st.sums = make([]string, len(words)), make([]float64, len(words)+1)
		for i, j := range idx {
			st.words[i], st.sums[i+1] = words[j], st.sums[i]+shares[j]
		}
		if len(shares) > 0 {
			// As PostgreSQL's planner guesses: half the least common.
			st.floor = slices.Min(shares) / 2
		}
		st.at = time.Now()
	}
	if len(st.words) == 0 {
		return 0, true, nil
	}
	best, rarest := 0, 2.0
	for i, t := range terms {
		termShare := 1.0
		rows, err := db.rq.QueryContext(ctx, db.q.SearchWords, strings.Join(t.tokens, " "))
		if err != nil {
			return 0, false, fmt.Errorf("search words: %w", err)
		}
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				rows.Close()
				return 0, false, fmt.Errorf("search words: %w", err)
			}
			lo, _ := slices.BinarySearch(st.words, w)
			hi := lo + 1
			if t.prefix {
				hi, _ = slices.BinarySearch(st.words, w+"\U0010FFFF")
			} else if lo >= len(st.words) || st.words[lo] != w {
				hi = lo
			}
			share := st.sums[hi] - st.sums[lo]
			if lo == hi {
				share = st.floor
			}
			termShare = min(termShare, share)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, false, fmt.Errorf("search words: %w", err)
		}
		if termShare < rarest {
			best, rarest = i, termShare
		}
	}
	return best, rarest*st.docs <= searchCollectMax, nil
}

// searchHit is a match and its relevance tier.
type searchHit struct {
	t    *rapport.Ticket
	tier int
}

// blockStart returns the first id of id's block.
func blockStart(id int64) int64 { return id / searchBlock * searchBlock }

// searchPlan steers a round's statement.
type searchPlan int

const (
	planAny     searchPlan = iota // the database's choice (SQLite: FTS5 by rowid range)
	planWalk                      // PostgreSQL: test the range's tickets one by one
	planCollect                   // PostgreSQL: every match from the GIN index, then sorted
)

// searchTickets returns a page of a search (see above).
func (db *DB) searchTickets(ctx context.Context, l *ticketList) ([]*rapport.Ticket, string, error) {
	start := time.Now()
	need := l.limit + 1
	var maxID int64
	if err := db.rq.QueryRowContext(ctx, db.q.MaxTicketID).Scan(&maxID); err != nil {
		return nil, "", fmt.Errorf("find tickets: %w", err)
	}
	pg := db.dialect.name == "postgres"
	// One requester's or assignee's tickets are few: PostgreSQL reads
	// them by their own index, all in one statement.
	few := pg && (l.f.RequesterID != nil || l.f.AssigneeID != nil)
	plan := planAny
	if pg && !few {
		plan = planWalk
	}
	asc := l.sort == rapport.SortOldest
	// Left to walk: ids below top (newest first) or above bottom (oldest first).
	top, bottom := maxID+1, int64(0)
	done := func() bool { return asc && bottom >= maxID || !asc && top <= 0 }
	var hits []searchHit
	rounds := 0
	if c := l.after; c != nil {
		switch {
		case asc:
			bottom = c.ID
		case c.End:
			top = min(top, c.ID)
		default:
			// First the rest of the cursor's block, after the cursor.
			b := blockStart(c.ID)
			h, err := db.searchRound(ctx, l, b, min(b+searchBlock, top), c, need, plan)
			if err != nil {
				return nil, "", err
			}
			hits, top, rounds = h, b, 1
		}
	}
	k, tried := int64(1), false
	for len(hits) < need && !done() {
		if rounds > 0 && time.Since(start) > searchBudget {
			break
		}
		lo, hi := max(0, blockStart(top-1)-(k-1)*searchBlock), top
		if asc {
			lo = bottom + 1
			hi = min(maxID+1, blockStart(lo)+k*searchBlock)
		}
		if few {
			lo, hi = min(lo, 0), max(hi, maxID+1)
			if asc {
				lo = bottom + 1
			} else {
				hi = top
			}
		}
		if plan == planWalk && rounds > 0 && !tried {
			// The newest block did not fill the page: the words may be
			// rare. If the statistics say the rarest is, collect the
			// rest of the walk from the index.
			tried = true
			r, rare, err := db.rarestTerm(ctx, l.terms)
			if err != nil {
				return nil, "", err
			}
			if !rare {
				continue
			}
			l.rare = r
			wlo, whi := int64(0), top
			if asc {
				wlo, whi = bottom+1, maxID+1
			}
			h, ok, err := db.collectRound(ctx, l, wlo, whi, need-len(hits))
			if err != nil {
				return nil, "", err
			}
			if ok {
				hits = append(hits, h...)
				top, bottom = 0, maxID
				break
			}
			continue // the budget is checked again
		}
		t0 := time.Now()
		h, err := db.searchRound(ctx, l, lo, hi, nil, need-len(hits), plan)
		if err != nil {
			return nil, "", err
		}
		hits = append(hits, h...)
		top, bottom, rounds = lo, hi-1, rounds+1
		// Cheap rounds (rare words) take more blocks at once, but only as
		// many as this round's cost per block says fit in what is left of
		// the budget: it is checked between rounds, so one round too big
		// would overrun it.
		perBlock := time.Since(t0) / time.Duration(k)
		left := searchBudget - time.Since(start)
		if perBlock <= 0 {
			k *= 8
		} else {
			k = max(1, min(k*8, int64(left/perBlock)))
		}
	}
	out := make([]*rapport.Ticket, 0, min(len(hits), l.limit))
	for _, h := range hits[:min(len(hits), l.limit)] {
		out = append(out, h.t)
	}
	var next *cursor
	switch {
	case len(hits) > l.limit:
		last := hits[l.limit-1]
		next = &cursor{ID: last.t.ID}
		switch l.sort {
		case rapport.SortRelevance:
			next.Tier = last.tier
		case rapport.SortUpdated:
			next.Time = &last.t.UpdatedAt
		}
	case done():
	case asc:
		next = &cursor{ID: bottom, End: true}
	default:
		next = &cursor{ID: top, End: true}
	}
	if next == nil {
		return out, "", nil
	}
	next.Kind = l.kind
	return out, next.encode(), nil
}

// searchRound returns up to n matches of l with ids in [lo, hi), in l's
// order, after the row cursor c (in this block) when c is not nil.
func (db *DB) searchRound(ctx context.Context, l *ticketList, lo, hi int64, c *cursor, n int, plan searchPlan) ([]searchHit, error) {
	if db.dialect.name == "postgres" || l.sort != rapport.SortRelevance {
		q, args := db.roundSQL(l, lo, hi, c, -1, n, plan)
		return db.readHits(ctx, db.rq, q, args)
	}
	// SQLite: the ids matching in each part, then the page's tickets.
	var in [searchTiers]map[int64]bool
	for part := range searchTiers {
		q, args := db.ftsIDsSQL(l, lo, hi, part)
		rows, err := db.rq.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("find tickets: %w", err)
		}
		in[part] = map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("find tickets: %w", err)
			}
			in[part][id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("find tickets: %w", err)
		}
	}
	type key struct {
		id   int64
		tier int
	}
	var keys []key
	for id := range in[searchTiers-1] {
		tier := 0
		for !in[tier][id] {
			tier++
		}
		if c == nil || tier > c.Tier || tier == c.Tier && id < c.ID {
			keys = append(keys, key{id, tier})
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(blockStart(b.id), blockStart(a.id)), cmp.Compare(a.tier, b.tier), cmp.Compare(b.id, a.id))
	})
	keys = keys[:min(len(keys), n)]
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k.id
	}
	hits, err := db.readHits(ctx, db.rq, "SELECT v.*, 0 FROM ticket_view v WHERE v.id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ")+")", args)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*rapport.Ticket{}
	for _, h := range hits {
		byID[h.t.ID] = h.t
	}
	out := make([]searchHit, 0, len(keys))
	for _, k := range keys {
		if t := byID[k.id]; t != nil {
			out = append(out, searchHit{t, k.tier})
		}
	}
	return out, nil
}

// ftsIDsSQL returns the SQLite statement of the ids in [lo, hi) of the
// tickets of l matching in part (see ftsMatch), in no order.
func (db *DB) ftsIDsSQL(l *ticketList, lo, hi int64, part int) (string, []any) {
	var conds []string
	var condArgs []any
	if part == searchTiers-1 {
		// The filters pick among the matches; the first parts only
		// tell their tiers.
		conds, condArgs = db.searchConds(l, nil)
	}
	var owner int64
	if l.f.RequesterID != nil {
		owner = *l.f.RequesterID
	}
	q := "SELECT ticket_search.rowid FROM ticket_search"
	if len(conds) > 0 {
		q += " CROSS JOIN tickets t ON t.id = ticket_search.rowid"
	}
	where := append([]string{"ticket_search MATCH ?", "ticket_search.rowid >= ?", "ticket_search.rowid < ?"}, conds...)
	return q + " WHERE " + strings.Join(where, " AND "), append([]any{ftsMatch(l.terms, part, l.f.SearchNotes, owner), lo, hi}, condArgs...)
}

// searchConds returns the conditions on tickets t of l's filters, and of
// the cursor c of sort=updated, with their arguments.
func (db *DB) searchConds(l *ticketList, c *cursor) ([]string, []any) {
	f := l.f
	if db.dialect.name != "postgres" {
		// FTS5 picks one requester's tickets itself (its owner column).
		f.RequesterID = nil
	}
	conds, condArgs := filterConds(f)
	switch {
	case len(f.Statuses) == 1:
		conds, condArgs = append(conds, "t.status = ?"), append(condArgs, string(f.Statuses[0]))
	case len(f.Statuses) > 1:
		conds = append(conds, "t.status IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ")+")")
		for _, s := range f.Statuses {
			condArgs = append(condArgs, string(s))
		}
	}
	if c != nil && l.sort == rapport.SortUpdated {
		conds, condArgs = append(conds, "(t.updated_at, t.id) < (?, ?)"), append(condArgs, c.Time.UTC(), c.ID)
	}
	return conds, condArgs
}

// collectRound tries the matches of l with ids in [lo, hi) from
// PostgreSQL's GIN index within searchCollectTimeout; ok is false when it
// ran out of time (the words are common).
func (db *DB) collectRound(ctx context.Context, l *ticketList, lo, hi int64, n int) (hits []searchHit, ok bool, err error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, fmt.Errorf("find tickets: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", max(1, searchCollectTimeout.Milliseconds()))); err != nil {
		return nil, false, fmt.Errorf("find tickets: %w", err)
	}
	q, args := db.roundSQL(l, lo, hi, nil, -1, n, planCollect)
	hits, err = db.readHits(ctx, tx, q, args)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "57014" { // query_canceled: the timeout
		return nil, false, nil
	}
	return hits, err == nil, err
}

// querier runs a read: the prepared pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readHits runs a round's statement.
func (db *DB) readHits(ctx context.Context, rq querier, q string, args []any) ([]searchHit, error) {
	rows, err := rq.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find tickets: %w", err)
	}
	defer rows.Close()
	var out []searchHit
	for rows.Next() {
		var h searchHit
		if h.t, err = scanTicket(rows, &h.tier); err != nil {
			return nil, fmt.Errorf("find tickets: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find tickets: %w", err)
	}
	return out, nil
}

// roundSQL builds a round's statement: the matches of l with ids in
// [lo, hi) (SQLite: of one relevance tier when tier >= 0), after the row
// cursor c, in l's order, at most n.
func (db *DB) roundSQL(l *ticketList, lo, hi int64, c *cursor, tier int, n int, plan searchPlan) (string, []any) {
	f := l.f
	conds, condArgs := db.searchConds(l, c)
	if c != nil && l.sort == rapport.SortNewest {
		hi = min(hi, c.ID)
	}
	block := fmt.Sprint(searchBlock)
	var sel, src string
	var selArgs, srcArgs, whereArgs []any
	var where []string
	var order string // over the round's columns id, updated_at, tier
	switch l.sort {
	case rapport.SortOldest:
		order = "id ASC"
	case rapport.SortUpdated:
		order = "id / " + block + " DESC, updated_at DESC, id DESC"
	case rapport.SortRelevance:
		order = "id / " + block + " DESC, tier, id DESC"
	default:
		order = "id DESC"
	}
	if db.dialect.name != "postgres" {
		var owner int64
		if f.RequesterID != nil {
			owner = *f.RequesterID
		}
		sel = fmt.Sprintf("ticket_search.rowid AS id, t.updated_at AS updated_at, %d AS tier", max(tier, 0))
		// CROSS JOIN keeps FTS5 the outer loop: a ticket index (status,
		// requester) driving would run one FTS5 query per ticket.
		src = "ticket_search CROSS JOIN tickets t ON t.id = ticket_search.rowid"
		where = []string{"ticket_search MATCH ?", "ticket_search.rowid >= ?", "ticket_search.rowid < ?"}
		whereArgs = []any{ftsMatch(l.terms, tier, f.SearchNotes, owner), lo, hi}
		// FTS5 reads a range fastest in ascending order; a descending
		// order is a sort of the range's matches (rowid + 0 is not the
		// FTS5 table's own order).
		inner := strings.NewReplacer("id / ", "ticket_search.rowid / ", "updated_at", "t.updated_at", "tier, ", "", "id DESC", "ticket_search.rowid + 0 DESC", "id ASC", "ticket_search.rowid ASC").Replace(order)
		q := "SELECT " + sel + " FROM " + src + " WHERE " + strings.Join(append(where, conds...), " AND ") + " ORDER BY " + inner + " LIMIT ?"
		q = "SELECT v.*, p.tier FROM (" + q + ") p JOIN ticket_view v ON v.id = p.id ORDER BY " + strings.NewReplacer("id", "p.id", "updated_at", "p.updated_at", "tier", "p.tier").Replace(order)
		return q, append(append(whereArgs, condArgs...), n)
	}
	cond, cArgs, tierExpr, tArgs := tsMatch(l.terms, f.SearchNotes)
	sel, selArgs = "t.id AS id, t.updated_at AS updated_at, 0 AS tier", nil
	if l.sort == rapport.SortRelevance {
		sel, selArgs = "t.id AS id, t.updated_at AS updated_at, "+tierExpr+" AS tier", tArgs
	}
	switch plan {
	case planWalk:
		dir := "DESC"
		if l.sort == rapport.SortOldest {
			dir = "ASC"
		}
		// Each ticket of the range, tested one by one: one range read of
		// the search documents in id order (OFFSET 0 keeps the planner
		// from turning the test into a GIN read), and each match's
		// ticket then read by its id (OFFSET 0 again: with a filter,
		// PostgreSQL's generic plan read every ticket of the status and
		// hashed them, 0.3-0.7 s a page at a million). Reading each
		// ticket id of the range and then its document by id cost
		// 50-130 ms a block at a million under load; the range read,
		// 3-6 ms.
		src = "(SELECT * FROM ticket_search s0 WHERE s0.ticket_id >= ? AND s0.ticket_id < ? ORDER BY s0.ticket_id " + dir + " OFFSET 0) s" +
			" CROSS JOIN LATERAL (SELECT * FROM tickets t0 WHERE t0.id = s.ticket_id OFFSET 0) t"
		srcArgs = []any{lo, hi}
	case planCollect:
		// The tickets with the rarest term, from GIN (only that term: GIN
		// reads every entry of a word prefix, common or not), each then
		// tested for the whole search; id + 0 matches no index.
		src = "(SELECT ticket_id AS id FROM ticket_search WHERE doc @@ to_tsquery('rapport_search', ?) OFFSET 0) w" +
			" CROSS JOIN LATERAL (SELECT * FROM ticket_search s0 WHERE s0.ticket_id = w.id OFFSET 0) s" +
			" JOIN tickets t ON t.id = w.id"
		srcArgs = []any{tsQuery(l.terms[l.rare:l.rare+1], "")}
		where, whereArgs = []string{"t.id + 0 >= ?", "t.id + 0 < ?"}, []any{lo, hi}
	default:
		src = "ticket_search s JOIN tickets t ON t.id = s.ticket_id"
		where, whereArgs = []string{"t.id >= ?", "t.id < ?"}, []any{lo, hi}
	}
	where, whereArgs = append(append(where, cond), conds...), append(append(whereArgs, cArgs...), condArgs...)
	q := "SELECT " + sel + " FROM " + src + " WHERE " + strings.Join(where, " AND ")
	args := append(append(selArgs, srcArgs...), whereArgs...)
	if c != nil && l.sort == rapport.SortRelevance {
		q = "SELECT * FROM (" + q + ") r WHERE (r.tier > ? OR r.tier = ? AND r.id < ?)"
		args = append(args, c.Tier, c.Tier, c.ID)
	}
	pgOrder := strings.ReplaceAll(order, "id DESC", "(id + 0) DESC")
	if plan == planWalk && (l.sort == rapport.SortNewest || l.sort == rapport.SortOldest) {
		// In the walk's own order: the walk stops at the page's last match.
		pgOrder = order
	}
	q = "SELECT id, updated_at, tier FROM (" + q + ") r ORDER BY " + pgOrder + " LIMIT ?"
	q = "SELECT v.*, p.tier FROM (" + q + ") p JOIN ticket_view v ON v.id = p.id ORDER BY " + strings.NewReplacer("id", "p.id", "updated_at", "p.updated_at", "tier", "p.tier").Replace(order)
	return db.dialect.rebind(q), append(args, n)
}
