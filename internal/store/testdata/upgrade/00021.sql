-- An engagement with its own sample table at higher risk, a control at
-- lower risk with a shortfall reason, an interim population of a
-- sub-period with its completeness evidence, a first draw and its
-- extension, a tested item and the exception found on it.
UPDATE engagements SET sample_policy = '{"source":"firm","table":{"annual":{"lower":1,"higher":1},"semi-annual":{"lower":1,"higher":1},"quarterly":{"lower":2,"higher":2},"monthly":{"lower":2,"higher":5},"bi-weekly":{"lower":3,"higher":5},"weekly":{"lower":5,"higher":15},"daily":{"lower":30,"higher":45},"several-times-a-day":{"lower":30,"higher":60}},"bands":[{"up_to":4,"size":{"lower":0,"higher":0}},{"up_to":0,"size":{"lower":25,"higher":60}}],"risk":"higher"}'
WHERE name = 'SOC 2 Type II 2026';
UPDATE engagement_control_results SET sample_risk = 'lower', shortfall_reason = 'Two tickets were purged by the retention policy.'
WHERE control_id = (SELECT id FROM controls WHERE ref = 'AC-01');
INSERT INTO populations (engagement_id, control_id, source, query, file_name, item_count, uploaded_by, uploaded_at,
                         phase, covers_from, covers_to, parameters, generated_by, generated_at)
VALUES ((SELECT id FROM engagements WHERE name = 'SOC 2 Type II 2026'), (SELECT id FROM controls WHERE ref = 'AC-01'), 'Workday',
        'leavers report', 'interim-leavers.csv', 3, (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-08-03 09:00:00+00:00',
        'interim', '2026-01-01', '2026-07-31', 'terminated between 2026-01-01 and 2026-07-31', 'hr@example.com', '2026-08-02 17:00:00+00:00');
INSERT INTO population_items (population_id, seq, item_id, item_date, description, extra) VALUES
    ((SELECT id FROM populations WHERE file_name = 'interim-leavers.csv'), 1, 'L-1', '2026-02-12', 'Leaver', '{}'),
    ((SELECT id FROM populations WHERE file_name = 'interim-leavers.csv'), 2, 'L-2', '2026-04-02', 'Leaver', '{}'),
    ((SELECT id FROM populations WHERE file_name = 'interim-leavers.csv'), 3, 'L-3', '2026-07-30', 'Leaver', '{}');
INSERT INTO population_evidence (population_id, evidence_id)
VALUES ((SELECT id FROM populations WHERE file_name = 'interim-leavers.csv'), (SELECT id FROM evidence WHERE title = 'Q4 access review'));
INSERT INTO samples (engagement_id, control_id, population_id, seed, method, size, attributes, selected_by, selected_at, required_size, risk, size_reason)
VALUES ((SELECT id FROM engagements WHERE name = 'SOC 2 Type II 2026'), (SELECT id FROM controls WHERE ref = 'AC-01'),
        (SELECT id FROM populations WHERE file_name = 'interim-leavers.csv'), '42', 'simple random without replacement (PCG, seeded)', 1,
        '["access removed"]', (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-08-03 09:05:00+00:00', 1, 'lower', 'event-driven control, population of 3, lower risk: sample 1');
INSERT INTO samples (engagement_id, control_id, population_id, seed, method, size, attributes, selected_by, selected_at, extends_id, required_size, risk, size_reason)
VALUES ((SELECT id FROM engagements WHERE name = 'SOC 2 Type II 2026'), (SELECT id FROM controls WHERE ref = 'AC-01'),
        (SELECT id FROM populations WHERE file_name = 'interim-leavers.csv'), '43', 'simple random without replacement (PCG, seeded)', 1,
        '["access removed"]', (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-08-04 09:05:00+00:00',
        (SELECT id FROM samples WHERE seed = '42'), 1, 'lower', 'extension after a deviation');
INSERT INTO sample_items (sample_id, seq, results, exception, notes, tested_by, tested_on)
VALUES ((SELECT id FROM samples WHERE seed = '42'), 2, '{"access removed":"fail"}', TRUE, '', (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-08-03'),
       ((SELECT id FROM samples WHERE seed = '43'), 3, '{}', FALSE, '', NULL, NULL);
INSERT INTO engagement_exceptions (engagement_id, control_id, description, management_response, created_at, updated_at, sample_id, sample_seq)
VALUES ((SELECT id FROM engagements WHERE name = 'SOC 2 Type II 2026'), (SELECT id FROM controls WHERE ref = 'AC-01'),
        'L-2: access removed failed', '', '2026-08-03 10:00:00+00:00', '2026-08-03 10:00:00+00:00',
        (SELECT id FROM samples WHERE seed = '42'), 2);
