-- What the occurrence windows of a control follow: when it was retired and
-- what replaced it, when within its frequency it runs (a schedule, stored
-- as the JSON of period.Schedule, '' for none), and whether a daily
-- control runs every day or on business days. The organisation's holidays
-- make the business-day calendar. A preparer may mark a window of an
-- engagement "not expected" (the control had nothing to do), with the
-- reason, and attach summary evidence (a listing that spans several
-- windows) to the windows it speaks for.

-- +goose Up
ALTER TABLE controls ADD COLUMN retired_on TEXT;
ALTER TABLE controls ADD COLUMN replaced_by BIGINT REFERENCES controls (id);
ALTER TABLE controls ADD COLUMN schedule TEXT NOT NULL DEFAULT '';
ALTER TABLE controls ADD COLUMN calendar TEXT NOT NULL DEFAULT 'every-day';

CREATE TABLE holidays (
    day        TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE window_marks (
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    control_id    BIGINT NOT NULL REFERENCES controls (id),
    window_start  TEXT NOT NULL,
    window_end    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    marked_by     BIGINT REFERENCES users (id),
    marked_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (engagement_id, control_id, window_start)
);

CREATE TABLE window_evidence (
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    control_id    BIGINT NOT NULL REFERENCES controls (id),
    window_start  TEXT NOT NULL,
    evidence_id   BIGINT NOT NULL REFERENCES evidence (id),
    attached_by   BIGINT REFERENCES users (id),
    attached_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (engagement_id, control_id, window_start, evidence_id)
);
CREATE INDEX window_evidence_evidence ON window_evidence (evidence_id);

-- +goose Down
DROP TABLE window_evidence;
DROP TABLE window_marks;
DROP TABLE holidays;
ALTER TABLE controls DROP COLUMN calendar;
ALTER TABLE controls DROP COLUMN schedule;
ALTER TABLE controls DROP COLUMN replaced_by;
ALTER TABLE controls DROP COLUMN retired_on;
