-- What an auditor's workpapers record beyond the first version: per
-- control the evidence the organisation expects it to leave, the risk it
-- addresses and the information produced by the entity (IPE) it relies
-- on; per control and engagement who tested it and who reviewed that
-- testing; per exception the day it was identified, its root cause,
-- whether it is isolated or systemic, compensating controls, remediation
-- and the retest.
--
-- References become unique in any case ("ac-01" is AC-01), as the import
-- has always treated them. A database with two references that differ
-- only in case keeps the older one and suffixes the newer with its ID.

-- +goose Up
ALTER TABLE controls ADD COLUMN evidence_expected TEXT NOT NULL DEFAULT '';
ALTER TABLE controls ADD COLUMN risk_addressed TEXT NOT NULL DEFAULT '';
ALTER TABLE controls ADD COLUMN ipe_relied_on TEXT NOT NULL DEFAULT '';
UPDATE controls SET ref = ref || '-' || id
WHERE EXISTS (SELECT 1 FROM controls o WHERE lower(o.ref) = lower(controls.ref) AND o.id < controls.id);
CREATE UNIQUE INDEX controls_ref_any_case ON controls (lower(ref));

ALTER TABLE engagement_control_results ADD COLUMN tester TEXT NOT NULL DEFAULT '';
ALTER TABLE engagement_control_results ADD COLUMN reviewer TEXT NOT NULL DEFAULT '';

ALTER TABLE engagement_exceptions ADD COLUMN identified_on TEXT;
ALTER TABLE engagement_exceptions ADD COLUMN root_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE engagement_exceptions ADD COLUMN extent TEXT NOT NULL DEFAULT '';
ALTER TABLE engagement_exceptions ADD COLUMN compensating_controls TEXT NOT NULL DEFAULT '';
ALTER TABLE engagement_exceptions ADD COLUMN remediation TEXT NOT NULL DEFAULT '';
ALTER TABLE engagement_exceptions ADD COLUMN retest TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE engagement_exceptions DROP COLUMN retest;
ALTER TABLE engagement_exceptions DROP COLUMN remediation;
ALTER TABLE engagement_exceptions DROP COLUMN compensating_controls;
ALTER TABLE engagement_exceptions DROP COLUMN extent;
ALTER TABLE engagement_exceptions DROP COLUMN root_cause;
ALTER TABLE engagement_exceptions DROP COLUMN identified_on;
ALTER TABLE engagement_control_results DROP COLUMN reviewer;
ALTER TABLE engagement_control_results DROP COLUMN tester;
DROP INDEX controls_ref_any_case;
ALTER TABLE controls DROP COLUMN ipe_relied_on;
ALTER TABLE controls DROP COLUMN risk_addressed;
ALTER TABLE controls DROP COLUMN evidence_expected;
