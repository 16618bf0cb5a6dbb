-- Evidence is read by control in evidence order (occurrence windows,
-- coverage, tasks): an index that holds both avoids sorting every row.

-- +goose Up
DROP INDEX evidence_controls_control;
CREATE INDEX evidence_controls_control ON evidence_controls (control_id, evidence_id);

-- +goose Down
DROP INDEX evidence_controls_control;
CREATE INDEX evidence_controls_control ON evidence_controls (control_id);
