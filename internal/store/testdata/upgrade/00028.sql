-- The SOC 2's CC6.1 deviations were evaluated as isolated and the
-- criterion still met, compensated by AC-01, prepared by the admin;
-- the SOC 1 decided CO-01 not applicable for itself alone and reads the
-- matters modifying its opinion as pervasive from a fifth of its objectives.
INSERT INTO engagement_evaluations (engagement_id, requirement_id, cause, systemic, deviations, sample_size, deviation_rate, tolerable_rate,
    conclusion, evaluated_by, evaluated_at, prepared_by, prepared_on, reviewed_by, reviewed_on, version) VALUES
    ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM requirements WHERE ref = 'CC6.1'), 'A leaver missed once during a holiday.',
     FALSE, 1, 25, 4, 10, 'met', (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-07-12 09:00:00+00:00',
     (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-07-12', NULL, NULL, 2);
INSERT INTO engagement_evaluation_controls (evaluation_id, control_id) VALUES
    ((SELECT MAX(id) FROM engagement_evaluations), (SELECT id FROM controls WHERE ref = 'AC-01'));
INSERT INTO engagement_applicability (engagement_id, requirement_id, reason, decided_by, decided_at) VALUES
    ((SELECT id FROM engagements WHERE report = 'soc1'), (SELECT id FROM requirements WHERE ref = 'CO-01'), 'Not in this report''s system.',
     (SELECT id FROM users WHERE email = 'admin@example.com'), '2026-07-12 09:05:00+00:00');
UPDATE engagements SET pervasive_percent = 20 WHERE report = 'soc1';
