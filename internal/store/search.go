package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

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
// Relevance is a tier, then arrival (newest first): the words all in the
// subject (tier 0), else all in the subject and description, the person's
// own request (tier 1), else anywhere in the conversation (tier 2). Unlike
// BM25 (FTS5) the tier depends only on the ticket and the words, never on
// the rest of the corpus, so it is the same on both databases, a cursor of
// (tier, id) stays exact while tickets arrive, and each tier streams from
// the index in id order.

// searchTiers is the number of relevance tiers.
const searchTiers = 3

// Limits that keep one search cheap.
const (
	maxSearchLen   = 500
	maxSearchTerms = 16
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
		terms = append(terms, searchTerm{raw: raw, tokens: toks, prefix: !phrase && utf8.RuneCountInString(last) >= 2})
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

// ftsMatch returns the FTS5 MATCH expression for tier (or for any match when
// tier < 0), of owner's tickets only when owner > 0. Without notes,
// internal notes can never match.
func ftsMatch(terms []searchTerm, tier int, notes bool, owner int64) string {
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
	subject, request, any := "{subject} : "+e, "{subject body} : "+e, "{subject body messages} : "+e
	if notes {
		any = "{subject body messages notes} : " + e
	}
	var m string
	switch tier {
	case 0:
		m = subject
	case 1:
		m = "(" + request + ") NOT (" + subject + ")"
	case 2:
		m = "(" + any + ") NOT (" + request + ")"
	default:
		m = any
	}
	if owner > 0 {
		m = fmt.Sprintf(`{owner} : "r%d" AND (%s)`, owner, m)
	}
	return m
}

// tsCondition returns the PostgreSQL condition on ticket_search s for tier
// (or for any match when tier < 0), with its arguments. Tiers 0 and 1 read
// their own plain documents (migration 00010), so the GIN index answers
// them exactly; doc's weights only keep the internal notes from a search
// without notes.
func tsCondition(terms []searchTerm, tier int, notes bool) (string, []any) {
	const match = " @@ to_tsquery('rapport_search', ?)"
	plain := tsQuery(terms, "")
	anyQ := plain
	if !notes {
		anyQ = tsQuery(terms, "ABC")
	}
	switch tier {
	case 0:
		return "s.subject_doc" + match, []any{plain}
	case 1:
		return "s.request_doc" + match + " AND NOT s.subject_doc" + match, []any{plain, plain}
	case 2:
		return "s.doc" + match + " AND NOT s.request_doc" + match, []any{anyQ, plain}
	}
	return "s.doc" + match, []any{anyQ}
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
