-- Task lists and counts read one state at a time (overdue, due, upcoming,
-- done, not applicable), each a range of an index that holds every column
-- the state's condition needs, so a page or a count of a large programme
-- reads only the tasks in that state and never the table itself. The
-- owner index gets the same columns for the counts per owner, and the
-- engagement index the task, so filtering by engagement needs no lookup.

-- +goose Up
DROP INDEX tasks_open;
CREATE INDEX tasks_open ON tasks (opens_on, due_on, owner_id, done_at, not_applicable)
    WHERE done_at IS NULL AND NOT not_applicable;
CREATE INDEX tasks_open_state ON tasks (due_on, opens_on, owner_id, done_at, not_applicable)
    WHERE done_at IS NULL AND NOT not_applicable;
CREATE INDEX tasks_done ON tasks (due_on, owner_id, done_at) WHERE done_at IS NOT NULL;
CREATE INDEX tasks_not_applicable ON tasks (due_on, owner_id, done_at, not_applicable)
    WHERE done_at IS NULL AND not_applicable;
DROP INDEX tasks_due;
DROP INDEX tasks_owner_due;
CREATE INDEX tasks_owner_due ON tasks (owner_id, due_on, opens_on, done_at, not_applicable);
DROP INDEX task_engagements_engagement;
CREATE INDEX task_engagements_engagement ON task_engagements (engagement_id, task_id);

-- +goose Down
DROP INDEX task_engagements_engagement;
CREATE INDEX task_engagements_engagement ON task_engagements (engagement_id);
DROP INDEX tasks_owner_due;
CREATE INDEX tasks_owner_due ON tasks (owner_id, due_on);
CREATE INDEX tasks_due ON tasks (due_on);
DROP INDEX tasks_not_applicable;
DROP INDEX tasks_done;
DROP INDEX tasks_open_state;
DROP INDEX tasks_open;
CREATE INDEX tasks_open ON tasks (opens_on) WHERE done_at IS NULL AND NOT not_applicable;
