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
