-- A service-auditor engagement; the HR-07 conclusion prepared by the
-- admin and reviewed by the other compliance account; the first AC-01
-- sample prepared but not yet reviewed.
INSERT INTO engagements (name, report, report_type, as_of, period_start, period_end, categories, audit_firm, auditor_contact, status, created_at, updated_at, tester) VALUES
    ('SOC 2 Type II 2027', 'soc2', 'type2', NULL, '2027-01-01', '2027-12-31', '', 'Example LLP', '', 'planning',
     '2026-12-01 09:00:00+00:00', '2026-12-01 09:00:00+00:00', 'service_auditor');
UPDATE engagement_control_results SET prepared_by = (SELECT id FROM users WHERE email = 'admin@example.com'), prepared_on = '2026-07-10',
    reviewed_by = (SELECT id FROM users WHERE email = 'gone@example.com'), reviewed_on = '2026-07-11'
WHERE control_id = (SELECT id FROM controls WHERE ref = 'HR-07');
UPDATE samples SET prepared_by = (SELECT id FROM users WHERE email = 'admin@example.com'), prepared_on = '2026-08-03' WHERE seed = '42';
