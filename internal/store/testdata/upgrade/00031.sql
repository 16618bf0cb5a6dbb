-- AC-01's exception from the interim sample was remediated on 2026-08-10
-- by the admin; a retest of the rest of the period was drawn beside it.
UPDATE engagement_exceptions SET remediation_date = '2026-08-10', remediation_owner_id = (SELECT id FROM users WHERE email = 'admin@example.com')
WHERE description = 'L-2: access removed failed';
INSERT INTO samples (engagement_id, control_id, population_id, seed, method, size, attributes, selected_by, selected_at, required_size, risk,
    size_reason, purpose, remediation_exception_id, covers_from, covers_to)
VALUES ((SELECT id FROM engagements WHERE name = 'SOC 2 Type II 2026'), (SELECT id FROM controls WHERE ref = 'AC-01'),
        (SELECT id FROM populations WHERE file_name = 'interim-leavers.csv'), '44', 'simple random without replacement (PCG, seeded)', 1,
        '["access removed"]', (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-08-20 09:05:00+00:00', 1, 'lower',
        'retest after remediation', 'retest', (SELECT id FROM engagement_exceptions WHERE description = 'L-2: access removed failed'),
        '2026-08-11', '2026-12-31');
