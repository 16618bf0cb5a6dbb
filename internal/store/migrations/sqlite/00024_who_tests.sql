-- Who tests an engagement: the service auditor, who then draws the
-- samples and records the results in socmap itself, or management, whose
-- readiness testing is what socmap has always recorded (so every existing
-- engagement keeps it). A control's conclusion and each sample are signed
-- off by a preparer and, separately, by a reviewer who is someone else,
-- each on a day; a change after the review clears the review.

-- +goose Up
ALTER TABLE engagements ADD COLUMN tester TEXT NOT NULL DEFAULT 'management_readiness';

ALTER TABLE engagement_control_results ADD COLUMN prepared_by INTEGER REFERENCES users (id);
ALTER TABLE engagement_control_results ADD COLUMN prepared_on TEXT;
ALTER TABLE engagement_control_results ADD COLUMN reviewed_by INTEGER REFERENCES users (id);
ALTER TABLE engagement_control_results ADD COLUMN reviewed_on TEXT;

ALTER TABLE samples ADD COLUMN prepared_by INTEGER REFERENCES users (id);
ALTER TABLE samples ADD COLUMN prepared_on TEXT;
ALTER TABLE samples ADD COLUMN reviewed_by INTEGER REFERENCES users (id);
ALTER TABLE samples ADD COLUMN reviewed_on TEXT;

-- +goose Down
ALTER TABLE samples DROP COLUMN reviewed_on;
ALTER TABLE samples DROP COLUMN reviewed_by;
ALTER TABLE samples DROP COLUMN prepared_on;
ALTER TABLE samples DROP COLUMN prepared_by;
ALTER TABLE engagement_control_results DROP COLUMN reviewed_on;
ALTER TABLE engagement_control_results DROP COLUMN reviewed_by;
ALTER TABLE engagement_control_results DROP COLUMN prepared_on;
ALTER TABLE engagement_control_results DROP COLUMN prepared_by;
ALTER TABLE engagements DROP COLUMN tester;
