-- A request carries a version, like every other editable record, so a
-- change made from a stale page is refused rather than overwriting
-- someone else's.

-- +goose Up
ALTER TABLE requests ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE requests DROP COLUMN version;
