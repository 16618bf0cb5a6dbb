-- SOC 1 objective templates carry the industry they are written for,
-- whether they are optional (entity-level objectives usually belong in the
-- system description), and the retired templates they replace. Beneath a
-- template sit suggested control activities; industries name the complete
-- objective set a report for that industry states. Both are loaded from
-- the catalog like the templates, and retired rather than deleted.

-- +goose Up
ALTER TABLE requirements ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE requirements ADD COLUMN optional BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE requirements ADD COLUMN replaces TEXT NOT NULL DEFAULT '';

CREATE TABLE template_activities (
    framework_id    TEXT NOT NULL REFERENCES frameworks (id),
    requirement_ref TEXT NOT NULL,
    ref             TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    frequency       TEXT NOT NULL DEFAULT '',
    nature          TEXT NOT NULL DEFAULT '',
    control_type    TEXT NOT NULL DEFAULT '',
    sort_order      INTEGER NOT NULL,
    retired         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (framework_id, ref)
);
CREATE INDEX template_activities_requirement ON template_activities (framework_id, requirement_ref, sort_order);

CREATE TABLE catalog_industries (
    framework_id  TEXT NOT NULL REFERENCES frameworks (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    services      TEXT NOT NULL DEFAULT '',
    template_refs TEXT NOT NULL,
    sort_order    INTEGER NOT NULL,
    retired       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (framework_id, code)
);

-- +goose Down
DROP TABLE catalog_industries;
DROP TABLE template_activities;
ALTER TABLE requirements DROP COLUMN replaces;
ALTER TABLE requirements DROP COLUMN optional;
ALTER TABLE requirements DROP COLUMN industry;
