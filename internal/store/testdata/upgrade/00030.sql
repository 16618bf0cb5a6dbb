-- The SOC 1 Type I as of 2026-03-31 looks back 60 days for its evidence;
-- HR-07 was walked through and concluded implemented since 2026-01-15.
UPDATE engagements SET evidence_window_days = 60 WHERE report = 'soc1';
INSERT INTO engagement_control_results (engagement_id, control_id, design_result, design_notes, test_methods, test_procedure, result,
    exceptions_found, tested_count, result_notes, updated_at, implementation, implemented_on)
VALUES ((SELECT id FROM engagements WHERE report = 'soc1'), (SELECT id FROM controls WHERE ref = 'HR-07'), 'suitably_designed', '', '', '',
    'pending', 0, 0, '', '2026-03-30 09:00:00+00:00', 'implemented', '2026-01-15');
INSERT INTO engagement_walkthroughs (engagement_id, control_id, performed_on, participants, instance_traced, evidence_inspected, evidence_ids,
    performed_by, version, created_at, updated_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc1'), (SELECT id FROM controls WHERE ref = 'HR-07'), '2026-03-20',
    'HR manager; IT service desk lead', 'Leaver 4711, terminated 2026-03-12', 'HRIS termination record; access removal ticket',
    (SELECT id FROM evidence WHERE title = 'Q4 access review'), (SELECT id FROM users WHERE email = 'admin@example.com'), 2,
    '2026-03-20 15:00:00+00:00', '2026-03-21 09:00:00+00:00');
