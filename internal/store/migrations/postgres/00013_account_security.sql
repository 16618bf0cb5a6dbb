-- Step-up re-authentication, calendar feeds that can be revoked and shown
-- as revoked, and sign-in attempts that are counted before the password is
-- checked. login_attempts replaces login_failures: it is keyed by a hash
-- of what was typed as the e-mail address (which may be a password typed
-- into the wrong box), never the text itself. The failures of the last
-- 15 minutes, which only limited sign-in, are not carried over.

-- +goose Up
ALTER TABLE sessions ADD COLUMN reauth_at TIMESTAMPTZ;
ALTER TABLE calendar_feeds ADD COLUMN revoked_at TIMESTAMPTZ;

CREATE TABLE login_attempts (
    id          BIGSERIAL PRIMARY KEY,
    account_key TEXT NOT NULL,
    client      TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account_key, at);
CREATE INDEX login_attempts_client ON login_attempts (client, at);
DROP TABLE login_failures;

-- +goose Down
CREATE TABLE login_failures (
    id     BIGSERIAL PRIMARY KEY,
    email  TEXT NOT NULL,
    client TEXT NOT NULL,
    at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_client ON login_failures (client, at);
DROP TABLE login_attempts;
ALTER TABLE calendar_feeds DROP COLUMN revoked_at;
ALTER TABLE sessions DROP COLUMN reauth_at;
