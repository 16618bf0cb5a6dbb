-- An open occurrence task, a done ad-hoc one, a digest and a calendar feed.
INSERT INTO tasks (task_key, kind, control_id, evidence_id, owner_id, title, description, window_label, window_start, window_end, opens_on, due_on,
                   done_at, done_via, done_evidence_id, done_by, not_applicable, na_reason, created_by, created_at, updated_at) VALUES
    ('occurrence/1/quarterly/2026-Q1', 'occurrence', (SELECT id FROM controls WHERE ref = 'AC-01'), NULL, (SELECT id FROM users WHERE email = 'owner@example.com'),
     'Upload evidence for AC-01, 2026-Q1', '', '2026-Q1', '2026-01-01', '2026-03-31', '2026-01-01', '2026-04-14',
     NULL, '', NULL, NULL, FALSE, '', NULL, '2026-01-08 09:00:00+00:00', '2026-01-08 09:00:00+00:00'),
    (NULL, 'adhoc', NULL, NULL, (SELECT id FROM users WHERE email = 'owner@example.com'),
     'Send the auditors the org chart', 'They asked at the kick-off.', '', NULL, NULL, '2026-01-09', '2026-01-20',
     '2026-01-15 10:00:00+00:00', 'manual', NULL, (SELECT id FROM users WHERE email = 'owner@example.com'), FALSE, '',
     (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-01-09 09:00:00+00:00', '2026-01-15 10:00:00+00:00');
INSERT INTO task_engagements (task_id, engagement_id)
VALUES ((SELECT id FROM tasks WHERE task_key = 'occurrence/1/quarterly/2026-Q1'), (SELECT id FROM engagements WHERE report = 'soc2'));
INSERT INTO digests (user_id, period, recipient, subject, body, status, attempts, error, created_at, sent_at)
VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), '2026-01-12', 'owner@example.com', 'socmap: 0 overdue and 1 due tasks',
        'Hello,', 'failed', 2, '550 mailbox unavailable', '2026-01-12 08:00:00+00:00', NULL);
INSERT INTO calendar_feeds (user_id, token_hash, created_at)
VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'c0ffee', '2026-01-09 11:00:00+00:00');
