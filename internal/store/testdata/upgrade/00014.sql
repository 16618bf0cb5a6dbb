-- A source with one scan: its evidence file, result rows, checks with a
-- criterion, per-check counts, a mapping rule and the failure task the
-- scan opened.
INSERT INTO ingest_sources (name, tool, owner_id, interval_hours, last_scanned_at, created_at, updated_at)
VALUES ('aws-prod', 'Prowler', (SELECT id FROM users WHERE email = 'admin@example.com'), 26, '2026-03-02 02:14:07+00:00',
        '2026-03-02 02:20:00+00:00', '2026-03-02 02:20:00+00:00');
INSERT INTO evidence (kind, title, description, url, note, collected_on, covers_from, covers_to, as_of, expires_on, source_system, provided_by, created_by, created_at, updated_at, deleted_at)
VALUES ('file', 'Prowler scan of aws-prod, 2026-03-02 02:14 UTC', '3 results: 2 passed, 1 failed.', '', '', '2026-03-02', NULL, NULL, NULL, NULL,
        'Prowler 5.12.1', 'ingest: aws-prod', (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-03-02 02:20:00+00:00', '2026-03-02 02:20:00+00:00', NULL);
INSERT INTO evidence_files (evidence_id, revision, sha256, size, media_type, original_name, uploaded_by, uploaded_at)
VALUES ((SELECT id FROM evidence WHERE title = 'Prowler scan of aws-prod, 2026-03-02 02:14 UTC'), 1,
        'cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33', 26738, 'application/json', 'prowler.ocsf.json',
        (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-03-02 02:20:00+00:00');
INSERT INTO ingest_runs (source_id, scan_id, format, format_version, tool, tool_version, target, scanned_at, evidence_id,
                         passed, failed, errored, skipped, created_by, created_at)
VALUES ((SELECT id FROM ingest_sources WHERE name = 'aws-prod'), '0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4', 'prowler-ocsf', '1.4.0',
        'Prowler', '5.12.1', 'aws 210987654321', '2026-03-02 02:14:07+00:00',
        (SELECT id FROM evidence WHERE title = 'Prowler scan of aws-prod, 2026-03-02 02:14 UTC'), 2, 1, 0, 0,
        (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-03-02 02:20:00+00:00');
INSERT INTO ingest_results (run_id, check_id, status, resource, message) VALUES
    ((SELECT id FROM ingest_runs WHERE scan_id = '0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4'), 'iam_root_mfa_enabled', 'pass', 'arn:aws:iam::210987654321:root', 'MFA is on.'),
    ((SELECT id FROM ingest_runs WHERE scan_id = '0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4'), 'iam_user_mfa_enabled_console_access', 'fail', 'arn:aws:iam::210987654321:user/dana', 'No MFA.'),
    ((SELECT id FROM ingest_runs WHERE scan_id = '0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4'), 'iam_user_mfa_enabled_console_access', 'pass', 'arn:aws:iam::210987654321:user/eli', 'MFA is on.');
INSERT INTO ingest_checks (check_id, title, tool, last_seen_at) VALUES
    ('iam_root_mfa_enabled', 'Ensure MFA is enabled for the root account', 'Prowler', '2026-03-02 02:20:00+00:00'),
    ('iam_user_mfa_enabled_console_access', 'Ensure MFA is enabled for all IAM users with a console password', 'Prowler', '2026-03-02 02:20:00+00:00');
INSERT INTO ingest_check_criteria (check_id, requirement_id)
VALUES ('iam_user_mfa_enabled_console_access', (SELECT id FROM requirements WHERE framework_id = 'soc2-tsc-2017' AND ref = 'CC6.1'));
INSERT INTO ingest_run_checks (run_id, check_id, passed, failed, errored, skipped) VALUES
    ((SELECT id FROM ingest_runs WHERE scan_id = '0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4'), 'iam_root_mfa_enabled', 1, 0, 0, 0),
    ((SELECT id FROM ingest_runs WHERE scan_id = '0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4'), 'iam_user_mfa_enabled_console_access', 1, 1, 0, 0);
INSERT INTO ingest_rules (pattern, control_id, note, created_by, created_at)
VALUES ('iam_root_*', (SELECT id FROM controls WHERE ref = 'AC-01'), 'Root account checks', (SELECT id FROM users WHERE email = 'admin@example.com'),
        '2026-03-02 03:00:00+00:00');
INSERT INTO tasks (task_key, kind, control_id, evidence_id, owner_id, title, description, window_label, window_start, window_end, opens_on, due_on,
                   done_at, done_via, done_evidence_id, done_by, not_applicable, na_reason, created_by, created_at, updated_at)
VALUES ('failure/1/2026-03-02', 'check_failure', (SELECT id FROM controls WHERE ref = 'AC-01'), NULL, (SELECT id FROM users WHERE email = 'owner@example.com'),
        'Fix the failing checks of AC-01 (2026-03-02)', 'Failed in aws-prod''s scan.', '2026-03-02', '2026-03-02', '2026-03-02', '2026-03-02', '2026-03-09',
        NULL, '', NULL, NULL, FALSE, '', NULL, '2026-03-02 02:20:00+00:00', '2026-03-02 02:20:00+00:00');
INSERT INTO ingest_failure_tasks (task_id, source_id, run_id)
VALUES ((SELECT id FROM tasks WHERE task_key = 'failure/1/2026-03-02'), (SELECT id FROM ingest_sources WHERE name = 'aws-prod'),
        (SELECT id FROM ingest_runs WHERE scan_id = '0191f0a8-7c2e-7d4b-9a51-3f2c8e61b0d4'));
