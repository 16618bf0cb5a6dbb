-- Controls, their mappings to requirements, evidence with file revisions,
-- and the organisation's own SOC 1 objectives and scoping decisions.

-- +goose Up
ALTER TABLE requirements ADD COLUMN template_ref TEXT NOT NULL DEFAULT '';

-- The organisation's SOC 1 control objectives live in a framework of their
-- own; catalog loading never touches it.
INSERT INTO frameworks (id, name, kind, version, description, content_hash, sort_order, loaded_at)
VALUES ('org-soc1', 'SOC 1 control objectives (ours)', 'soc1-org', '1',
        'The organisation''s own SOC 1 control objectives, written from the templates or from scratch.',
        '', 100, now());
INSERT INTO framework_categories (framework_id, code, name, description, sort_order) VALUES
    ('org-soc1', 'entity', 'Entity level', '', 0),
    ('org-soc1', 'itgc', 'IT general controls', '', 1),
    ('org-soc1', 'business', 'Business process', '', 2);

CREATE TABLE requirement_applicability (
    requirement_id BIGINT PRIMARY KEY REFERENCES requirements (id),
    not_applicable BOOLEAN NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE controls (
    id             BIGSERIAL PRIMARY KEY,
    ref            TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    owner_id       BIGINT REFERENCES users (id),
    performer      TEXT NOT NULL DEFAULT '',
    frequency      TEXT NOT NULL,
    nature         TEXT NOT NULL,
    control_type   TEXT NOT NULL,
    key_control    BOOLEAN NOT NULL DEFAULT FALSE,
    ipe            BOOLEAN NOT NULL DEFAULT FALSE,
    systems        TEXT NOT NULL DEFAULT '',
    implemented_on TEXT,
    status         TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX controls_owner ON controls (owner_id);

CREATE TABLE control_requirements (
    control_id     BIGINT NOT NULL REFERENCES controls (id),
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    rationale      TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (control_id, requirement_id)
);
CREATE INDEX control_requirements_requirement ON control_requirements (requirement_id);

CREATE TABLE evidence (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    collected_on  TEXT,
    covers_from   TEXT,
    covers_to     TEXT,
    as_of         TEXT,
    expires_on    TEXT,
    source_system TEXT NOT NULL DEFAULT '',
    provided_by   TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ
);

CREATE TABLE evidence_files (
    id            BIGSERIAL PRIMARY KEY,
    evidence_id   BIGINT NOT NULL REFERENCES evidence (id),
    revision      INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    media_type    TEXT NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_by   BIGINT REFERENCES users (id),
    uploaded_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (evidence_id, revision)
);
CREATE INDEX evidence_files_sha256 ON evidence_files (sha256);

CREATE TABLE evidence_controls (
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    control_id  BIGINT NOT NULL REFERENCES controls (id),
    PRIMARY KEY (evidence_id, control_id)
);
CREATE INDEX evidence_controls_control ON evidence_controls (control_id);
