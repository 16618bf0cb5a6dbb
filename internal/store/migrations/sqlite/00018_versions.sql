-- Every row a person edits counts its saves, so a writer can say which
-- version it read and be refused (412) when someone saved in between,
-- instead of silently overwriting that save. Existing rows start at 1.

-- +goose Up
ALTER TABLE controls ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE evidence ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE engagements ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE engagement_control_results ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE engagement_exceptions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cuecs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE subservice_orgs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE requirements ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE tasks DROP COLUMN version;
ALTER TABLE users DROP COLUMN version;
ALTER TABLE requirements DROP COLUMN version;
ALTER TABLE subservice_orgs DROP COLUMN version;
ALTER TABLE cuecs DROP COLUMN version;
ALTER TABLE engagement_exceptions DROP COLUMN version;
ALTER TABLE engagement_control_results DROP COLUMN version;
ALTER TABLE engagements DROP COLUMN version;
ALTER TABLE evidence DROP COLUMN version;
ALTER TABLE controls DROP COLUMN version;
