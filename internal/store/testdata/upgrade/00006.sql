-- A population of two occurrences with a drawn sample and one tested item.
INSERT INTO populations (engagement_id, control_id, source, query, file_name, item_count, uploaded_by, uploaded_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'AC-01'), 'HRIS leavers report',
        'SELECT * FROM leavers', 'leavers.xlsx', 2, (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-02-03 09:00:00+00:00');
INSERT INTO population_items (population_id, seq, item_id, item_date, description, extra) VALUES
    ((SELECT id FROM populations WHERE file_name = 'leavers.xlsx'), 1, 'T-1001', '2026-01-12', 'Leaver', '{"team":"payroll"}'),
    ((SELECT id FROM populations WHERE file_name = 'leavers.xlsx'), 2, 'T-1002', NULL, 'Leaver', '{}');
INSERT INTO samples (engagement_id, control_id, population_id, seed, method, size, attributes, selected_by, selected_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'AC-01'),
        (SELECT id FROM populations WHERE file_name = 'leavers.xlsx'), '18446744073709551615', 'seeded-random-v1', 1,
        '["access removed"]', (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-02-03 09:05:00+00:00');
INSERT INTO sample_items (sample_id, seq, results, exception, notes)
VALUES ((SELECT id FROM samples WHERE seed = '18446744073709551615'), 2, '{"access removed":"fail"}', TRUE, 'A week late.');
