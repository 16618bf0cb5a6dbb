-- An exception records when it was remediated and who owns the
-- remediation; a retest samples the remediated control over the rest of
-- the period, from the day after the remediation to the period's end. The
-- retest is a sample of its own beside the original (purpose "retest",
-- naming the exception it retests and the days it covers), so both
-- results stay on record.

-- +goose Up
ALTER TABLE engagement_exceptions ADD COLUMN remediation_date TEXT;
ALTER TABLE engagement_exceptions ADD COLUMN remediation_owner_id BIGINT REFERENCES users (id);
ALTER TABLE samples ADD COLUMN purpose TEXT NOT NULL DEFAULT 'original' CHECK (purpose IN ('original', 'retest'));
ALTER TABLE samples ADD COLUMN remediation_exception_id BIGINT REFERENCES engagement_exceptions (id);
ALTER TABLE samples ADD COLUMN covers_from TEXT;
ALTER TABLE samples ADD COLUMN covers_to TEXT;
CREATE INDEX samples_retest ON samples (remediation_exception_id);

-- +goose Down
DROP INDEX samples_retest;
ALTER TABLE samples DROP COLUMN covers_to;
ALTER TABLE samples DROP COLUMN covers_from;
ALTER TABLE samples DROP COLUMN remediation_exception_id;
ALTER TABLE samples DROP COLUMN purpose;
ALTER TABLE engagement_exceptions DROP COLUMN remediation_owner_id;
ALTER TABLE engagement_exceptions DROP COLUMN remediation_date;
