-- Settings of the installation kept in the database, so every instance and
-- every command (serve, export) sees the same: the organisation's name on
-- deliverables first of all.

-- +goose Up
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE settings;
