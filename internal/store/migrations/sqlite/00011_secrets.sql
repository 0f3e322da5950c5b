-- +goose Up
-- Keys the site signs things with (Message-IDs of the mail it sends, links
-- that work without signing in): made once at first use and shared by
-- every node, so a signature made on one node checks on any other and
-- survives restarts.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE secrets;
