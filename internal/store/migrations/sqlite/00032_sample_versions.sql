-- A sample carries a version that moves on with every change to its
-- items' results and with every sign-off, so nobody signs off results
-- they did not see: a sign-off made from a stale page is refused.

-- +goose Up
ALTER TABLE samples ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE samples DROP COLUMN version;
