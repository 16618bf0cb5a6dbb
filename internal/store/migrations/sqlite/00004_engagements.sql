-- Audit engagements: one SOC report being prepared, its scope and the
-- auditors who may read it.

-- +goose Up
CREATE TABLE engagements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL,
    report          TEXT NOT NULL,
    report_type     TEXT NOT NULL,
    as_of           TEXT,
    period_start    TEXT,
    period_end      TEXT,
    categories      TEXT NOT NULL DEFAULT '',
    audit_firm      TEXT NOT NULL DEFAULT '',
    auditor_contact TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE engagement_objectives (
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id),
    requirement_id INTEGER NOT NULL REFERENCES requirements (id),
    PRIMARY KEY (engagement_id, requirement_id)
);

CREATE TABLE engagement_scope_overrides (
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    control_id    INTEGER NOT NULL REFERENCES controls (id),
    included      BOOLEAN NOT NULL,
    reason        TEXT NOT NULL,
    PRIMARY KEY (engagement_id, control_id)
);

CREATE TABLE engagement_auditors (
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    granted_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (engagement_id, user_id)
);
CREATE INDEX engagement_auditors_user ON engagement_auditors (user_id);
