-- The SOC 1 is tested by the service auditor; the HR-07 conclusion prepared by the
-- admin and reviewed by the other compliance account; the first AC-01
-- sample prepared but not yet reviewed.
UPDATE engagements SET tester = 'service_auditor' WHERE report = 'soc1';
UPDATE engagement_control_results SET prepared_by = (SELECT id FROM users WHERE email = 'admin@example.com'), prepared_on = '2026-07-10',
    reviewed_by = (SELECT id FROM users WHERE email = 'gone@example.com'), reviewed_on = '2026-07-11'
WHERE control_id = (SELECT id FROM controls WHERE ref = 'HR-07');
UPDATE samples SET prepared_by = (SELECT id FROM users WHERE email = 'admin@example.com'), prepared_on = '2026-08-03' WHERE seed = '42';
