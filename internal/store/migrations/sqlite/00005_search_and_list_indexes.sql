-- +goose Up
-- Full-text search: one document per ticket (rowid = ticket id) with its
-- subject, description, public messages and internal notes as columns, so a
-- requester's search can leave the notes column out. The owner column holds
-- one token, "r" and the requester's id: one person's search intersects
-- their short list with the words' lists inside FTS5 instead of filtering
-- every match. Contentless: the text
-- already lives in tickets and events; contentless_delete lets a row be
-- replaced. unicode61 with remove_diacritics 2 folds case and accents
-- (cafe finds café); the 2- and 3-letter prefix indexes keep short prefix
-- searches ("pa*") from scanning the whole vocabulary.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    subject, body, messages, notes, owner,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3',
    content = '', contentless_delete = 1
);

-- Triggers keep the index in the writing transaction, whoever writes (the
-- store, the CLI or plain SQL such as a seeding tool). A changed ticket or a
-- new event rebuilds that one ticket's row from its own events: O(ticket).
-- The created event repeats the description, so it is left out.
-- +goose StatementBegin
CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_search (rowid, subject, body, messages, notes, owner)
    VALUES (new.id, new.subject, new.body, '', '', 'r' || new.requester_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_search_update AFTER UPDATE OF subject, body ON tickets
WHEN old.subject IS NOT new.subject OR old.body IS NOT new.body BEGIN
    INSERT OR REPLACE INTO ticket_search (rowid, subject, body, messages, notes, owner)
    SELECT new.id, new.subject, new.body,
        COALESCE((SELECT group_concat(e.body, ' ') FROM events e
                  WHERE e.ticket_id = new.id AND e.type <> 'created' AND NOT e.internal), ''),
        COALESCE((SELECT group_concat(e.body, ' ') FROM events e
                  WHERE e.ticket_id = new.id AND e.type <> 'created' AND e.internal), ''),
        'r' || new.requester_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_search_event AFTER INSERT ON events
WHEN new.body <> '' AND new.type <> 'created' BEGIN
    INSERT OR REPLACE INTO ticket_search (rowid, subject, body, messages, notes, owner)
    SELECT t.id, t.subject, t.body,
        COALESCE((SELECT group_concat(e.body, ' ') FROM events e
                  WHERE e.ticket_id = t.id AND e.type <> 'created' AND NOT e.internal), ''),
        COALESCE((SELECT group_concat(e.body, ' ') FROM events e
                  WHERE e.ticket_id = t.id AND e.type <> 'created' AND e.internal), ''),
        'r' || t.requester_id
    FROM tickets t WHERE t.id = new.ticket_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_search_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_search WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- Backfill what was written before this migration.
INSERT INTO ticket_search (rowid, subject, body, messages, notes, owner)
SELECT t.id, t.subject, t.body,
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND NOT e.internal AND e.body <> ''), ''),
    COALESCE((SELECT group_concat(e.body, ' ') FROM events e
              WHERE e.ticket_id = t.id AND e.type <> 'created' AND e.internal AND e.body <> ''), ''),
    'r' || t.requester_id
FROM tickets t;

-- Keyset lists: each filter that narrows a list a lot gets an index ending
-- in the sort key, so a page reads its own rows and a few more.
CREATE INDEX tickets_status_id ON tickets (status, id);
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_created ON tickets (created_at, id);
CREATE INDEX tickets_priority_id ON tickets (priority, id);
CREATE INDEX tickets_channel_id ON tickets (channel, id);
CREATE INDEX users_role_id ON users (role, id);
CREATE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_name_lower ON users (lower(name));

-- +goose Down
DROP INDEX users_name_lower;
DROP INDEX users_email_lower;
DROP INDEX users_role_id;
DROP INDEX tickets_channel_id;
DROP INDEX tickets_priority_id;
DROP INDEX tickets_created;
DROP INDEX tickets_updated;
DROP INDEX tickets_status_id;
DROP TRIGGER ticket_search_delete;
DROP TRIGGER ticket_search_event;
DROP TRIGGER ticket_search_update;
DROP TRIGGER ticket_search_insert;
DROP TABLE ticket_search;
