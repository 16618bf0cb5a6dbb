-- CUECs and CSOCs carry a number of their engagement (CUEC-01, CSOC-01)
-- that stays theirs: a counter on the engagement hands out the next one,
-- so deleting an item never frees its number for another. Existing items
-- are numbered in the order they were recorded.
--
-- A subservice organisation's SOC report, as reviewed for an engagement:
-- which report and period, its auditor and opinion, the exceptions it
-- noted and what they mean for us, the vendor's CUECs each with the
-- in-scope control of ours that addresses it, the bridge letter covering a
-- gap to our period (an evidence item), who reviewed it and when.

-- +goose Up
ALTER TABLE engagements ADD COLUMN cuec_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE engagements ADD COLUMN csoc_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cuecs ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE csocs ADD COLUMN number INTEGER NOT NULL DEFAULT 0;

UPDATE cuecs SET number = (SELECT COUNT(*) FROM cuecs c2 WHERE c2.engagement_id = cuecs.engagement_id AND c2.id <= cuecs.id);
UPDATE csocs SET number = (SELECT COUNT(*) FROM csocs c2 JOIN subservice_orgs s2 ON s2.id = c2.subservice_id
    WHERE s2.engagement_id = (SELECT s.engagement_id FROM subservice_orgs s WHERE s.id = csocs.subservice_id) AND c2.id <= csocs.id);
UPDATE engagements SET
    cuec_seq = (SELECT COUNT(*) FROM cuecs WHERE cuecs.engagement_id = engagements.id),
    csoc_seq = (SELECT COUNT(*) FROM csocs JOIN subservice_orgs s ON s.id = csocs.subservice_id WHERE s.engagement_id = engagements.id);
CREATE UNIQUE INDEX cuecs_number ON cuecs (engagement_id, number);

CREATE TABLE subservice_reviews (
    id                        BIGSERIAL PRIMARY KEY,
    subservice_id             BIGINT NOT NULL REFERENCES subservice_orgs (id),
    report                    TEXT NOT NULL,
    report_type               TEXT NOT NULL,
    period_start              TEXT,
    period_end                TEXT NOT NULL,
    vendor_auditor            TEXT NOT NULL DEFAULT '',
    opinion                   TEXT NOT NULL,
    exceptions_noted          TEXT NOT NULL DEFAULT '',
    exceptions_relevance      TEXT NOT NULL DEFAULT '',
    bridge_letter_evidence_id BIGINT REFERENCES evidence (id),
    reviewed_by               BIGINT REFERENCES users (id),
    reviewed_on               TEXT NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL,
    version                   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX subservice_reviews_subservice ON subservice_reviews (subservice_id);

CREATE TABLE subservice_review_cuecs (
    id         BIGSERIAL PRIMARY KEY,
    review_id  BIGINT NOT NULL REFERENCES subservice_reviews (id),
    text       TEXT NOT NULL,
    control_id BIGINT REFERENCES controls (id)
);
CREATE INDEX subservice_review_cuecs_review ON subservice_review_cuecs (review_id);

-- +goose Down
DROP TABLE subservice_review_cuecs;
DROP TABLE subservice_reviews;
DROP INDEX cuecs_number;
ALTER TABLE csocs DROP COLUMN number;
ALTER TABLE cuecs DROP COLUMN number;
ALTER TABLE engagements DROP COLUMN csoc_seq;
ALTER TABLE engagements DROP COLUMN cuec_seq;
