-- Complementary user entity controls (CUECs) and subservice organisations
-- with their complementary controls (CSOCs), per engagement.

-- +goose Up
CREATE TABLE cuecs (
    id            BIGSERIAL PRIMARY KEY,
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    text          TEXT NOT NULL,
    requirements  TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX cuecs_engagement ON cuecs (engagement_id);

CREATE TABLE subservice_orgs (
    id                    BIGSERIAL PRIMARY KEY,
    engagement_id         BIGINT NOT NULL REFERENCES engagements (id),
    name                  TEXT NOT NULL,
    services              TEXT NOT NULL DEFAULT '',
    method                TEXT NOT NULL,
    monitoring_control_id BIGINT REFERENCES controls (id),
    created_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX subservice_orgs_engagement ON subservice_orgs (engagement_id);

CREATE TABLE csocs (
    id            BIGSERIAL PRIMARY KEY,
    subservice_id BIGINT NOT NULL REFERENCES subservice_orgs (id),
    text          TEXT NOT NULL,
    requirements  TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX csocs_subservice ON csocs (subservice_id);
