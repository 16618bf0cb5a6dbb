-- Control owners' tasks, their reminder digests and calendar feeds.
-- Occurrence and renewal tasks are generated (task_key names what they
-- were generated from, so regeneration finds them again); ad-hoc tasks
-- have no key.

-- +goose Up
CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    task_key         TEXT UNIQUE,
    kind             TEXT NOT NULL,
    control_id       INTEGER REFERENCES controls (id) ON DELETE CASCADE,
    evidence_id      INTEGER REFERENCES evidence (id),
    owner_id         INTEGER REFERENCES users (id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    window_label     TEXT NOT NULL DEFAULT '',
    window_start     TEXT,
    window_end       TEXT,
    opens_on         TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    done_at          TIMESTAMP,
    done_via         TEXT NOT NULL DEFAULT '',
    done_evidence_id INTEGER REFERENCES evidence (id),
    done_by          INTEGER REFERENCES users (id),
    not_applicable   BOOLEAN NOT NULL DEFAULT FALSE,
    na_reason        TEXT NOT NULL DEFAULT '',
    created_by       INTEGER REFERENCES users (id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX tasks_owner_due ON tasks (owner_id, due_on);
CREATE INDEX tasks_control ON tasks (control_id);
CREATE INDEX tasks_due ON tasks (due_on);

CREATE TABLE task_engagements (
    task_id       INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    PRIMARY KEY (task_id, engagement_id)
);
CREATE INDEX task_engagements_engagement ON task_engagements (engagement_id);

-- One digest per user per cadence period: the unique key is how several
-- server instances agree that only one of them sends it.
CREATE TABLE digests (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    period     TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP,
    UNIQUE (user_id, period)
);

CREATE TABLE calendar_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE digests;
DROP TABLE task_engagements;
DROP TABLE tasks;
