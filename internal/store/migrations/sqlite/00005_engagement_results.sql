-- Per-control results of an engagement: design (Type I and II), operating
-- effectiveness (Type II), the evidence relied on, and exceptions.

-- +goose Up
CREATE TABLE engagement_control_results (
    engagement_id    INTEGER NOT NULL REFERENCES engagements (id),
    control_id       INTEGER NOT NULL REFERENCES controls (id),
    design_result    TEXT NOT NULL DEFAULT 'not_assessed',
    design_notes     TEXT NOT NULL DEFAULT '',
    test_methods     TEXT NOT NULL DEFAULT '',
    test_procedure   TEXT NOT NULL DEFAULT '',
    result           TEXT NOT NULL DEFAULT 'pending',
    exceptions_found INTEGER NOT NULL DEFAULT 0,
    tested_count     INTEGER NOT NULL DEFAULT 0,
    result_notes     TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (engagement_id, control_id)
);

CREATE TABLE engagement_evidence (
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    control_id    INTEGER NOT NULL REFERENCES controls (id),
    evidence_id   INTEGER NOT NULL REFERENCES evidence (id),
    PRIMARY KEY (engagement_id, control_id, evidence_id)
);
CREATE INDEX engagement_evidence_evidence ON engagement_evidence (evidence_id);

CREATE TABLE engagement_exceptions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    engagement_id       INTEGER NOT NULL REFERENCES engagements (id),
    control_id          INTEGER NOT NULL REFERENCES controls (id),
    description         TEXT NOT NULL,
    management_response TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX engagement_exceptions_engagement ON engagement_exceptions (engagement_id, control_id);
