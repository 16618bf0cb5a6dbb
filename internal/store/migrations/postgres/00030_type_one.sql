-- A Type I concludes on design and on implementation separately: whether
-- the control was in place as of the report's date, and since when. Its
-- evidence must be recent: dated within the engagement's window before
-- the as-of date (90 days unless the engagement says otherwise). Each
-- control's walkthrough is recorded once per engagement: when, with whom,
-- the instance traced and the evidence inspected.

-- +goose Up
ALTER TABLE engagement_control_results ADD COLUMN implementation TEXT NOT NULL DEFAULT '';
ALTER TABLE engagement_control_results ADD COLUMN implemented_on TEXT;
ALTER TABLE engagements ADD COLUMN evidence_window_days INTEGER NOT NULL DEFAULT 90;

CREATE TABLE engagement_walkthroughs (
    engagement_id     BIGINT NOT NULL REFERENCES engagements (id),
    control_id        BIGINT NOT NULL REFERENCES controls (id),
    performed_on      TEXT NOT NULL,
    participants      TEXT NOT NULL DEFAULT '',
    instance_traced   TEXT NOT NULL DEFAULT '',
    evidence_inspected TEXT NOT NULL DEFAULT '',
    evidence_ids      TEXT NOT NULL DEFAULT '',
    performed_by      BIGINT REFERENCES users (id),
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (engagement_id, control_id)
);

-- +goose Down
DROP TABLE engagement_walkthroughs;
ALTER TABLE engagements DROP COLUMN evidence_window_days;
ALTER TABLE engagement_control_results DROP COLUMN implemented_on;
ALTER TABLE engagement_control_results DROP COLUMN implementation;
