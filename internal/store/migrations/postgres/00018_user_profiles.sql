-- +goose Up
-- The person's profile (see rapport.User): how they like to be addressed
-- and reached, and staff-only notes. Empty means "not said"; the check on
-- the channel repeats the domain's rule so that no other writer breaks it.
ALTER TABLE users ADD COLUMN preferred_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN pronunciation TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN preferred_channel TEXT NOT NULL DEFAULT '' CHECK (preferred_channel IN ('', 'email', 'phone', 'portal'));
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN notes;
ALTER TABLE users DROP COLUMN language;
ALTER TABLE users DROP COLUMN time_zone;
ALTER TABLE users DROP COLUMN preferred_channel;
ALTER TABLE users DROP COLUMN phone;
ALTER TABLE users DROP COLUMN pronunciation;
ALTER TABLE users DROP COLUMN preferred_name;
