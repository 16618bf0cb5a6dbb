-- Conclusions an auditor can defend. A criterion's deviations are
-- evaluated and the evaluation is recorded: its cause, isolated or
-- systemic, the deviation rate against the tolerable rate for the sample
-- size (as computed when it was recorded), the compensating controls and
-- whether the criterion is still met, signed off by a preparer and a
-- reviewer. Not applicable is decided per engagement, with its reason;
-- every existing engagement starts with the organisation-wide decisions
-- it was concluded with until now. An engagement says what share of its
-- criteria makes the matters that modify its opinion pervasive.

-- +goose Up
CREATE TABLE engagement_evaluations (
    id             BIGSERIAL PRIMARY KEY,
    engagement_id  BIGINT NOT NULL REFERENCES engagements (id),
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    cause          TEXT NOT NULL,
    systemic       BOOLEAN NOT NULL,
    deviations     INTEGER NOT NULL,
    sample_size    INTEGER NOT NULL,
    deviation_rate DOUBLE PRECISION NOT NULL,
    tolerable_rate DOUBLE PRECISION NOT NULL,
    conclusion     TEXT NOT NULL,
    evaluated_by   BIGINT NOT NULL REFERENCES users (id),
    evaluated_at   TIMESTAMPTZ NOT NULL,
    prepared_by    BIGINT REFERENCES users (id),
    prepared_on    TEXT,
    reviewed_by    BIGINT REFERENCES users (id),
    reviewed_on    TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (engagement_id, requirement_id)
);

CREATE TABLE engagement_evaluation_controls (
    evaluation_id BIGINT NOT NULL REFERENCES engagement_evaluations (id) ON DELETE CASCADE,
    control_id    BIGINT NOT NULL REFERENCES controls (id),
    PRIMARY KEY (evaluation_id, control_id)
);

CREATE TABLE engagement_applicability (
    engagement_id  BIGINT NOT NULL REFERENCES engagements (id),
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    reason         TEXT NOT NULL,
    decided_by     BIGINT REFERENCES users (id),
    decided_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (engagement_id, requirement_id)
);

INSERT INTO engagement_applicability (engagement_id, requirement_id, reason, decided_by, decided_at)
SELECT e.id, a.requirement_id, a.reason, NULL, a.updated_at
FROM engagements e CROSS JOIN requirement_applicability a WHERE a.not_applicable;

ALTER TABLE engagements ADD COLUMN pervasive_percent INTEGER NOT NULL DEFAULT 25;

-- +goose Down
ALTER TABLE engagements DROP COLUMN pervasive_percent;
DROP TABLE engagement_applicability;
DROP TABLE engagement_evaluation_controls;
DROP TABLE engagement_evaluations;
