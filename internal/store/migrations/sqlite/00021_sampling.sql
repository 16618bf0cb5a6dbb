-- Sampling as an auditor does it: the engagement keeps the sample table,
-- bands and risk level it was given (a control may be at another risk);
-- a population says which part of the period it covers (interim or
-- remainder), where it came from and what shows it complete and accurate;
-- a sample keeps the size it was required to have when it was drawn, and
-- an extension points to its first draw; a tested item says who tested it
-- and when; an exception found on a sampled item points to it; a result
-- may say why fewer items were tested than required.

-- +goose Up
ALTER TABLE engagements ADD COLUMN sample_policy TEXT NOT NULL DEFAULT '';

ALTER TABLE engagement_control_results ADD COLUMN sample_risk TEXT NOT NULL DEFAULT '';
ALTER TABLE engagement_control_results ADD COLUMN shortfall_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE populations ADD COLUMN phase TEXT NOT NULL DEFAULT 'period';
ALTER TABLE populations ADD COLUMN covers_from TEXT;
ALTER TABLE populations ADD COLUMN covers_to TEXT;
ALTER TABLE populations ADD COLUMN parameters TEXT NOT NULL DEFAULT '';
ALTER TABLE populations ADD COLUMN generated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE populations ADD COLUMN generated_at TIMESTAMP;

CREATE TABLE population_evidence (
    population_id INTEGER NOT NULL REFERENCES populations (id),
    evidence_id   INTEGER NOT NULL REFERENCES evidence (id),
    PRIMARY KEY (population_id, evidence_id)
);
CREATE INDEX population_evidence_evidence ON population_evidence (evidence_id);

ALTER TABLE samples ADD COLUMN extends_id INTEGER REFERENCES samples (id);
ALTER TABLE samples ADD COLUMN required_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE samples ADD COLUMN risk TEXT NOT NULL DEFAULT '';
ALTER TABLE samples ADD COLUMN size_reason TEXT NOT NULL DEFAULT '';
UPDATE samples SET required_size = size;

ALTER TABLE sample_items ADD COLUMN tested_by INTEGER REFERENCES users (id);
ALTER TABLE sample_items ADD COLUMN tested_on TEXT;

ALTER TABLE engagement_exceptions ADD COLUMN sample_id INTEGER REFERENCES samples (id);
ALTER TABLE engagement_exceptions ADD COLUMN sample_seq INTEGER;
ALTER TABLE engagement_exceptions ADD COLUMN withdrawn_at TIMESTAMP;
CREATE UNIQUE INDEX engagement_exceptions_item ON engagement_exceptions (sample_id, sample_seq);
