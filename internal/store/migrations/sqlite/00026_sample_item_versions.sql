-- A sampled item's results carry a version, like every other editable
-- record, so a results sheet filled in outside socmap can tell which
-- items changed in socmap since it was exported.

-- +goose Up
ALTER TABLE sample_items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE sample_items DROP COLUMN version;
