-- name: fill-search
INSERT INTO ticket_search (ticket_id, doc, subject_doc, request_doc)
SELECT t.id, ticket_search_doc(t.id, t.subject, t.body), to_tsvector('rapport_search', t.subject),
    to_tsvector('rapport_search', t.subject) || to_tsvector('rapport_search', t.body)
FROM tickets t;
