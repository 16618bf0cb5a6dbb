-- Catalog tables: frameworks (SOC 2 TSC, SOC 1 objective templates), their
-- categories and requirements. Loaded from the embedded catalog files.

-- +goose Up
CREATE TABLE frameworks (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    version      TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    sort_order   INTEGER NOT NULL DEFAULT 0,
    loaded_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE framework_categories (
    framework_id TEXT NOT NULL REFERENCES frameworks (id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    sort_order   INTEGER NOT NULL,
    PRIMARY KEY (framework_id, code)
);

CREATE TABLE requirements (
    id             BIGSERIAL PRIMARY KEY,
    framework_id   TEXT NOT NULL REFERENCES frameworks (id),
    ref            TEXT NOT NULL,
    category       TEXT NOT NULL,
    series         TEXT NOT NULL DEFAULT '',
    series_name    TEXT NOT NULL DEFAULT '',
    coso_principle INTEGER,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    sort_order     INTEGER NOT NULL,
    retired        BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (framework_id, ref)
);

CREATE INDEX requirements_framework_order ON requirements (framework_id, retired, sort_order);
