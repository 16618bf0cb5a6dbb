-- What a report rests on, kept when its engagement reaches reporting: the
-- sheets of its workbook as they were (conclusions, samples with their
-- items and results, populations, exceptions, evaluations) and the
-- evidence relied on, with the SHA-256 of each revision. The workbook and
-- the package of a locked engagement are built from it. Moving the
-- engagement back supersedes it (kept, with who and why); the next time it
-- reaches reporting a new one is taken.
--
-- A subservice organisation carried into the next period is "review due":
-- its SOC report must be reviewed again for that period.
--
-- Management's bridge letters of an issued Type II: the gap they cover,
-- who signed them and the evidence that keeps the signed document.

-- +goose Up
CREATE TABLE engagement_records (
    id                BIGSERIAL PRIMARY KEY,
    engagement_id     BIGINT NOT NULL REFERENCES engagements (id),
    status            TEXT NOT NULL,
    taken_at          TIMESTAMPTZ NOT NULL,
    taken_by          BIGINT REFERENCES users (id),
    content           TEXT NOT NULL,
    content_sha256    TEXT NOT NULL,
    superseded_at     TIMESTAMPTZ,
    superseded_by     BIGINT REFERENCES users (id),
    superseded_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX engagement_records_engagement ON engagement_records (engagement_id);

CREATE TABLE engagement_record_evidence (
    record_id   BIGINT NOT NULL REFERENCES engagement_records (id),
    control_ref TEXT NOT NULL,
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL DEFAULT '',
    uploaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_id, control_ref, evidence_id)
);
CREATE INDEX engagement_record_evidence_evidence ON engagement_record_evidence (evidence_id);

ALTER TABLE subservice_orgs ADD COLUMN review_due BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE bridge_letters (
    id            BIGSERIAL PRIMARY KEY,
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    covers_to     TEXT NOT NULL,
    signer_name   TEXT NOT NULL,
    signer_title  TEXT NOT NULL DEFAULT '',
    signed_at     TIMESTAMPTZ NOT NULL,
    signed_by     BIGINT REFERENCES users (id),
    evidence_id   BIGINT NOT NULL REFERENCES evidence (id),
    sha256        TEXT NOT NULL
);
CREATE INDEX bridge_letters_engagement ON bridge_letters (engagement_id);

-- +goose Down
DROP TABLE bridge_letters;
ALTER TABLE subservice_orgs DROP COLUMN review_due;
DROP TABLE engagement_record_evidence;
DROP TABLE engagement_records;
