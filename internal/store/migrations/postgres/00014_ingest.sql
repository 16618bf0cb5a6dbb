-- Scanner output ingested from CI jobs and the command line. A source is
-- one scanner pointed at one environment, expected to report every
-- interval_hours; a run is one file, kept as evidence, with its result
-- rows and per-check counts; checks are every check id seen, with the SOC 2
-- criteria their tool tags them with; rules map check id patterns to
-- controls. A failing run opens a task per control and day, remembered
-- with the run of each source that last failed it there: the task is done
-- once every one of those sources has passed since.

-- +goose Up
CREATE TABLE ingest_sources (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    tool            TEXT NOT NULL,
    owner_id        BIGINT REFERENCES users (id),
    interval_hours  INTEGER NOT NULL DEFAULT 24,
    last_scanned_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE ingest_runs (
    id             BIGSERIAL PRIMARY KEY,
    source_id      BIGINT NOT NULL REFERENCES ingest_sources (id),
    scan_id        TEXT NOT NULL UNIQUE,
    format         TEXT NOT NULL,
    format_version TEXT NOT NULL DEFAULT '',
    tool           TEXT NOT NULL,
    tool_version   TEXT NOT NULL DEFAULT '',
    target         TEXT NOT NULL DEFAULT '',
    scanned_at     TIMESTAMPTZ NOT NULL,
    evidence_id    BIGINT NOT NULL REFERENCES evidence (id),
    passed         INTEGER NOT NULL,
    failed         INTEGER NOT NULL,
    errored        INTEGER NOT NULL,
    skipped        INTEGER NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX ingest_runs_source ON ingest_runs (source_id, scanned_at);
CREATE INDEX ingest_runs_scanned ON ingest_runs (scanned_at);
CREATE INDEX ingest_runs_evidence ON ingest_runs (evidence_id);

CREATE TABLE ingest_results (
    id       BIGSERIAL PRIMARY KEY,
    run_id   BIGINT NOT NULL REFERENCES ingest_runs (id),
    check_id TEXT NOT NULL,
    status   TEXT NOT NULL,
    resource TEXT NOT NULL DEFAULT '',
    message  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ingest_results_run ON ingest_results (run_id, check_id);

CREATE TABLE ingest_checks (
    check_id     TEXT PRIMARY KEY,
    title        TEXT NOT NULL DEFAULT '',
    tool         TEXT NOT NULL DEFAULT '',
    last_seen_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE ingest_check_criteria (
    check_id       TEXT NOT NULL REFERENCES ingest_checks (check_id),
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    PRIMARY KEY (check_id, requirement_id)
);

CREATE TABLE ingest_run_checks (
    run_id   BIGINT NOT NULL REFERENCES ingest_runs (id),
    check_id TEXT NOT NULL REFERENCES ingest_checks (check_id),
    passed   INTEGER NOT NULL,
    failed   INTEGER NOT NULL,
    errored  INTEGER NOT NULL,
    skipped  INTEGER NOT NULL,
    PRIMARY KEY (run_id, check_id)
);
CREATE INDEX ingest_run_checks_check ON ingest_run_checks (check_id, run_id);

CREATE TABLE ingest_rules (
    id         BIGSERIAL PRIMARY KEY,
    pattern    TEXT NOT NULL,
    control_id BIGINT NOT NULL REFERENCES controls (id) ON DELETE CASCADE,
    note       TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (pattern, control_id)
);

CREATE TABLE ingest_failure_tasks (
    task_id   BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    source_id BIGINT NOT NULL REFERENCES ingest_sources (id),
    run_id    BIGINT NOT NULL REFERENCES ingest_runs (id),
    PRIMARY KEY (task_id, source_id)
);

-- +goose Down
DROP TABLE ingest_failure_tasks;
DROP TABLE ingest_rules;
DROP TABLE ingest_run_checks;
DROP TABLE ingest_check_criteria;
DROP TABLE ingest_checks;
DROP TABLE ingest_results;
DROP TABLE ingest_runs;
DROP TABLE ingest_sources;
