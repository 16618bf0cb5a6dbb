-- An exception's evaluation (root cause, extent, compensating controls,
-- remediation, retest) is signed off like every other piece of the
-- auditor's work: a preparer and, separately, a reviewer, each on a day.

-- +goose Up
ALTER TABLE engagement_exceptions ADD COLUMN prepared_by BIGINT REFERENCES users (id);
ALTER TABLE engagement_exceptions ADD COLUMN prepared_on TEXT;
ALTER TABLE engagement_exceptions ADD COLUMN reviewed_by BIGINT REFERENCES users (id);
ALTER TABLE engagement_exceptions ADD COLUMN reviewed_on TEXT;

-- +goose Down
ALTER TABLE engagement_exceptions DROP COLUMN reviewed_on;
ALTER TABLE engagement_exceptions DROP COLUMN reviewed_by;
ALTER TABLE engagement_exceptions DROP COLUMN prepared_on;
ALTER TABLE engagement_exceptions DROP COLUMN prepared_by;
