-- The request (PBC) list as records: what the auditors ask the
-- organisation for, who owes it, what was handed over and what was said.
-- A request's number (REQ-001 …) comes from its engagement's counter,
-- which only ever goes up, so a number is never given out twice, not even
-- after the request holding it was deleted. source_key names what a
-- generated request was generated from, so generating again finds it.

-- +goose Up
CREATE TABLE request_counters (
    engagement_id BIGINT PRIMARY KEY REFERENCES engagements (id),
    last_number   INTEGER NOT NULL
);

CREATE TABLE requests (
    id            BIGSERIAL PRIMARY KEY,
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    number        INTEGER NOT NULL,
    source_key    TEXT,
    auditor_ref   TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL,
    phase         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    owner_id      BIGINT REFERENCES users (id),
    due_on        TEXT,
    status        TEXT NOT NULL,
    return_reason TEXT NOT NULL DEFAULT '',
    requested_at  TIMESTAMPTZ NOT NULL,
    submitted_at  TIMESTAMPTZ,
    accepted_at   TIMESTAMPTZ,
    created_by    BIGINT REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    UNIQUE (engagement_id, number)
);
CREATE UNIQUE INDEX requests_source ON requests (engagement_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX requests_owner_status ON requests (owner_id, status) WHERE deleted_at IS NULL;

CREATE TABLE request_controls (
    request_id BIGINT NOT NULL REFERENCES requests (id),
    control_id BIGINT NOT NULL REFERENCES controls (id),
    PRIMARY KEY (request_id, control_id)
);
CREATE INDEX request_controls_control ON request_controls (control_id, request_id);

CREATE TABLE request_sample_items (
    request_id BIGINT NOT NULL REFERENCES requests (id),
    sample_id  BIGINT NOT NULL REFERENCES samples (id),
    seq        INTEGER NOT NULL,
    PRIMARY KEY (request_id, sample_id, seq)
);

CREATE TABLE request_evidence (
    request_id  BIGINT NOT NULL REFERENCES requests (id),
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    attached_by BIGINT REFERENCES users (id),
    attached_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, evidence_id)
);
CREATE INDEX request_evidence_evidence ON request_evidence (evidence_id);

CREATE TABLE request_comments (
    id         BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    author_id  BIGINT REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX request_comments_request ON request_comments (request_id, id);

-- A comment's attachments are kept by SHA-256 in the evidence store, like
-- evidence files, but are not evidence: they say what is asked for.
CREATE TABLE request_comment_files (
    id            BIGSERIAL PRIMARY KEY,
    comment_id    BIGINT NOT NULL REFERENCES request_comments (id),
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    media_type    TEXT NOT NULL,
    original_name TEXT NOT NULL
);
CREATE INDEX request_comment_files_comment ON request_comment_files (comment_id);

-- +goose Down
DROP TABLE request_comment_files;
DROP TABLE request_comments;
DROP TABLE request_evidence;
DROP TABLE request_sample_items;
DROP TABLE request_controls;
DROP TABLE requests;
DROP TABLE request_counters;
