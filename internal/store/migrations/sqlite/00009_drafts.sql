-- +goose Up
-- What someone typed into a form and has not sent yet: one row per person
-- per form, saved as they type. token names the sitting (page load) that
-- wrote it; once the form is sent the words are cleared and sent is set,
-- so a late save from that sitting cannot bring them back.
CREATE TABLE drafts (
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    form_key           TEXT NOT NULL,
    token              TEXT NOT NULL,
    subject            TEXT NOT NULL,
    description        TEXT NOT NULL,
    impact_outage      BOOLEAN NOT NULL,
    impact_costs_money BOOLEAN NOT NULL,
    impact_blocks_work BOOLEAN NOT NULL,
    sent               BOOLEAN NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, form_key)
);

-- +goose Down
DROP TABLE drafts;
