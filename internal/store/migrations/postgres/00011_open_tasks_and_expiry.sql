-- The dashboard and the digests ask for open tasks whose window has
-- started, and for evidence that expires soon: both are a small part of a
-- large programme, so partial indexes find them without reading the rest.

-- +goose Up
CREATE INDEX tasks_open ON tasks (opens_on) WHERE done_at IS NULL AND NOT not_applicable;
CREATE INDEX evidence_expiry ON evidence (expires_on) WHERE deleted_at IS NULL AND expires_on IS NOT NULL;

-- +goose Down
DROP INDEX evidence_expiry;
DROP INDEX tasks_open;
