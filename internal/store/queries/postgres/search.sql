-- name: fill-search
INSERT INTO ticket_search (ticket_id, doc, subject_doc, request_doc)
SELECT t.id, ticket_search_doc(t.id, t.subject, t.body), to_tsvector('rapport_search', t.subject),
    to_tsvector('rapport_search', t.subject) || to_tsvector('rapport_search', t.body)
FROM tickets t;

-- The rows just filled wait in the indexes' pending lists: merge them in
-- now rather than have the first searches read them.
-- name: clean-search
SELECT gin_clean_pending_list('ticket_search_doc'::regclass) + gin_clean_pending_list('ticket_search_subject'::regclass)
    + gin_clean_pending_list('ticket_search_request'::regclass);

-- The share of documents that have each of the most common words, from
-- ANALYZE (a statistics target of 10000 keeps up to 100,000 words), and
-- how many documents there are: a search tells from them whether its
-- rarest word is rare enough to collect every match from the GIN index.
-- name: word-stats
SELECT m.e, m.f, c.reltuples::float8
FROM pg_stats s
CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(e, f)
CROSS JOIN pg_class c
WHERE s.schemaname = current_schema() AND s.tablename = 'ticket_search' AND s.attname = 'doc'
    AND c.oid = 'ticket_search'::regclass AND m.e IS NOT NULL;

-- The words of a search as the index holds them (folded as indexed).
-- name: search-words
SELECT lexeme FROM unnest(to_tsvector('rapport_search', ?));
