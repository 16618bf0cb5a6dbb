-- Accounts of every kind, a session, an API token, a failed sign-in and an
-- audit entry.
INSERT INTO users (email, name, role, password_hash, access_until, disabled_at, created_at, updated_at) VALUES
    ('admin@example.com', 'Ada Admin', 'admin', '$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA', NULL, NULL, '2026-01-05 08:00:00+00:00', '2026-01-05 08:00:00+00:00'),
    ('owner@example.com', 'Otto Owner', 'owner', '$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA', NULL, NULL, '2026-01-05 08:05:00+00:00', '2026-01-05 08:05:00+00:00'),
    ('auditor@example.com', 'Aud Itor', 'auditor', '$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA', '2026-12-31', NULL, '2026-01-05 08:10:00+00:00', '2026-01-05 08:10:00+00:00'),
    ('gone@example.com', '', 'compliance', '$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA', NULL, '2026-01-20 17:00:00+00:00', '2026-01-05 08:15:00+00:00', '2026-01-20 17:00:00+00:00');
INSERT INTO sessions (id_hash, user_id, csrf_token, client, created_at, last_seen_at, expires_at)
VALUES ('5e55', (SELECT id FROM users WHERE email = 'admin@example.com'), 'csrf', '10.0.0.1',
        '2026-01-21 09:00:00+00:00', '2026-01-21 09:30:00+00:00', '2026-01-21 21:00:00+00:00');
INSERT INTO api_tokens (user_id, name, prefix, hash, scope, expires_at, last_used_at, revoked_at, created_at)
VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'evidence push', 'smp_abcd', 'a0b1', 'read-write',
        '2026-06-30 00:00:00+00:00', NULL, NULL, '2026-01-06 10:00:00+00:00');
INSERT INTO login_failures (email, client, at) VALUES ('owner@example.com', '10.0.0.9', '2026-01-21 08:59:00+00:00');
INSERT INTO audit_log (seq, at, actor_id, actor, via, token_id, action, object_type, object_id, changes, client, request_id, prev_hash, hash)
VALUES (1, '2026-01-05 08:05:00+00:00', (SELECT id FROM users WHERE email = 'admin@example.com'), 'admin@example.com', 'session', NULL,
        'user.create', 'user', '2', '{"email":{"after":"owner@example.com"}}', '10.0.0.1', 'req-1', '', 'f00d');
