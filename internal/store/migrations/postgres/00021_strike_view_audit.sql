-- +goose Up
-- strike_view is a strike with the people, the ticket's subject and the
-- struck message: the one column list every strike read goes through
-- (see internal/store/strike.go scanStrike).
CREATE VIEW strike_view AS
SELECT s.id, s.ticket_id, s.event_id,
       r.id AS requester_id, r.email AS requester_email, r.name AS requester_name,
       s.step, s.note,
       b.id AS by_id, b.email AS by_email, b.name AS by_name,
       s.created_at, s.withdrawn_at,
       w.id AS withdrawn_by_id, w.email AS withdrawn_by_email, w.name AS withdrawn_by_name,
       s.withdraw_reason,
       t.subject AS ticket_subject, e.body AS message
FROM strikes s
JOIN users r ON r.id = s.requester_id
JOIN users b ON b.id = s.by_id
LEFT JOIN users w ON w.id = s.withdrawn_by_id
JOIN tickets t ON t.id = s.ticket_id
JOIN events e ON e.id = s.event_id;

-- Strike texts use the variables of response templates ({{...}}, see
-- rapport.TemplateVars) instead of their own {name}. The texts Rapport
-- shipped (00020) and any a supervisor wrote have {name} turned into
-- {{requester.preferred_name}}, which is what {name} was filled with. A
-- text that already holds double braces is left alone: the old rules let
-- through "{{name}}" (sent as "{Pat}"), and no rewrite of it is surely
-- right; such a text now fails to render, so the strike is refused with
-- the reason and the supervisor corrects it. updated_at/updated_by stay:
-- this is no one's edit.
UPDATE strike_texts SET body = REPLACE(body, '{name}', '{{requester.preferred_name}}')
WHERE body LIKE '%{name}%' AND body NOT LIKE '%{{%' AND body NOT LIKE '%}}%';

-- audit_log records every read of a person's private data by staff
-- (PRODUCT.md principle 10): who read (staff_id), whose data (user_id),
-- what (profile, mail, attachment, strikes), the thing read (ref: a
-- ticket, a file, a message), the route (web, api, cli) and when. Requesters
-- reading their own data are not recorded. Rows are only ever added.
-- user_id is NULL for mail from an address with no account (ref names it).
CREATE TABLE audit_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id   BIGINT NOT NULL REFERENCES users (id),
    user_id    BIGINT REFERENCES users (id),
    what       TEXT NOT NULL CHECK (what IN ('profile', 'mail', 'attachment', 'strikes')),
    ref        TEXT NOT NULL DEFAULT '',
    route      TEXT NOT NULL CHECK (route IN ('web', 'api', 'cli')),
    created_at TIMESTAMPTZ NOT NULL
);
-- Supervisors page through it newest first, whole or by person.
CREATE INDEX audit_log_user_id ON audit_log (user_id, id);
CREATE INDEX audit_log_staff_id ON audit_log (staff_id, id);
-- audit_view names the people: the one column list audit reads use.
CREATE VIEW audit_view AS
SELECT a.id, s.id AS staff_id, s.email AS staff_email, s.name AS staff_name,
       u.id AS user_id, u.email AS user_email, u.name AS user_name,
       a.what, a.ref, a.route, a.created_at
FROM audit_log a
JOIN users s ON s.id = a.staff_id
LEFT JOIN users u ON u.id = a.user_id;

-- +goose Down
UPDATE strike_texts SET body = REPLACE(body, '{{requester.preferred_name}}', '{name}')
WHERE REPLACE(body, '{{requester.preferred_name}}', '') NOT LIKE '%{{%';
DROP VIEW strike_view;
DROP VIEW audit_view;
DROP TABLE audit_log;
