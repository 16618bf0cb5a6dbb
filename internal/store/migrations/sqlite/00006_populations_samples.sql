-- Populations uploaded for a control in an engagement, the samples drawn
-- from them and the per-item test results.

-- +goose Up
CREATE TABLE populations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    control_id    INTEGER NOT NULL REFERENCES controls (id),
    source        TEXT NOT NULL DEFAULT '',
    query         TEXT NOT NULL DEFAULT '',
    file_name     TEXT NOT NULL,
    item_count    INTEGER NOT NULL,
    uploaded_by   INTEGER REFERENCES users (id),
    uploaded_at   TIMESTAMP NOT NULL
);
CREATE INDEX populations_control ON populations (engagement_id, control_id);

CREATE TABLE population_items (
    population_id INTEGER NOT NULL REFERENCES populations (id),
    seq           INTEGER NOT NULL,
    item_id       TEXT NOT NULL,
    item_date     TEXT,
    description   TEXT NOT NULL DEFAULT '',
    extra         TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (population_id, seq),
    UNIQUE (population_id, item_id)
);

CREATE TABLE samples (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    control_id    INTEGER NOT NULL REFERENCES controls (id),
    population_id INTEGER NOT NULL REFERENCES populations (id),
    seed          TEXT NOT NULL,
    method        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    attributes    TEXT NOT NULL DEFAULT '[]',
    selected_by   INTEGER REFERENCES users (id),
    selected_at   TIMESTAMP NOT NULL
);
CREATE INDEX samples_control ON samples (engagement_id, control_id);

CREATE TABLE sample_items (
    sample_id INTEGER NOT NULL REFERENCES samples (id),
    seq       INTEGER NOT NULL,
    results   TEXT NOT NULL DEFAULT '{}',
    exception BOOLEAN NOT NULL DEFAULT FALSE,
    notes     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sample_id, seq)
);
