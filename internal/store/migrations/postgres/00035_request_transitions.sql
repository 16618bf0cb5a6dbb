-- A request's history: every submission, acceptance and return, and the
-- undoing of one. A row keeps what the transition overwrote (the status,
-- the submission time, the return reason) so that undoing it puts the
-- request back exactly as it was.

-- +goose Up
CREATE TABLE request_transitions (
    id                 BIGSERIAL PRIMARY KEY,
    request_id         BIGINT NOT NULL REFERENCES requests (id),
    action             TEXT NOT NULL,
    from_status        TEXT NOT NULL,
    to_status          TEXT NOT NULL,
    actor_id           BIGINT REFERENCES users (id),
    at                 TIMESTAMPTZ NOT NULL,
    prev_submitted_at  TIMESTAMPTZ,
    prev_return_reason TEXT NOT NULL DEFAULT '',
    undoes             BIGINT REFERENCES request_transitions (id)
);
CREATE INDEX request_transitions_request ON request_transitions (request_id, id);

-- +goose Down
DROP TABLE request_transitions;
