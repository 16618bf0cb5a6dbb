-- A session whose password was confirmed again, a revoked calendar feed and
-- a sign-in attempt keyed by the hash of what was typed.
UPDATE sessions SET reauth_at = '2026-01-21 09:25:00+00:00' WHERE id_hash = '5e55';
UPDATE calendar_feeds SET revoked_at = '2026-02-01 12:00:00+00:00';
INSERT INTO login_attempts (account_key, client, at) VALUES ('0c1f5e2d7a9b3c4d5e6f708192a3b4c5', '10.0.0.9', '2026-01-21 09:01:00+00:00');
