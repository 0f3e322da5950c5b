-- +goose Up
-- Three Strikes (rapport.Strike): a requester's message marked as
-- discourteous, one strike per message, kept when withdrawn so the history
-- stays whole. tickets.strikes (00016) counts those not withdrawn.
CREATE TABLE strikes (
    id              INTEGER PRIMARY KEY,
    ticket_id       INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    requester_id    INTEGER NOT NULL REFERENCES users (id),
    step            INTEGER NOT NULL CHECK (step BETWEEN 1 AND 3),
    note            TEXT NOT NULL DEFAULT '',
    by_id           INTEGER NOT NULL REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    withdrawn_at    TIMESTAMP,
    withdrawn_by_id INTEGER REFERENCES users (id),
    withdraw_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX strikes_event_id ON strikes (event_id);
CREATE INDEX strikes_ticket_id ON strikes (ticket_id, id);
CREATE INDEX strikes_requester_id ON strikes (requester_id, id);

-- What each strike sends; supervisors edit them.
CREATE TABLE strike_texts (
    step          INTEGER PRIMARY KEY CHECK (step BETWEEN 1 AND 3),
    body          TEXT NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    updated_by_id INTEGER REFERENCES users (id)
);
-- The texts Rapport ships, after [A3]'s "Three Strikes Rule": firm,
-- respectful, no shaming, and never the end of help. {name} is the name
-- the requester is greeted by.
INSERT INTO strike_texts (step, body, updated_at) VALUES
(1, 'Hello {name},

I appreciate you telling us how this is affecting you, and I want to get it sorted. To do that well, I need to keep our conversation respectful, so please leave out insults and hurtful language.

I am still here and still working on your request: tell me what you need, and we will carry on from there.', CURRENT_TIMESTAMP),
(2, 'Hello {name},

I can hear that this is frustrating, and I still want to help. As I said before, I need our conversation to stay respectful.

If the next message is discourteous again, I will need to end this conversation. Your request will not be lost, and you will always be able to ask for help again.', CURRENT_TIMESTAMP),
(3, 'Hello {name},

I am ending this conversation now, as the messages have stayed discourteous after two reminders, and this ticket is closed.

This is not the end of our help. When you are ready to discuss next steps, reply to this message or send a new request, and we will be happy to assist.', CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE strike_texts;
DROP TABLE strikes;
