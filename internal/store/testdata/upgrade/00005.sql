-- A conclusion relying on evidence, and an exception with management's response.
INSERT INTO engagement_control_results (engagement_id, control_id, design_result, design_notes, test_methods, test_procedure, result, exceptions_found, tested_count, result_notes, updated_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'AC-01'), 'suitably_designed', 'Walked through.',
        'inspection,reperformance', 'Inspected the Q4 review.', 'exceptions', 1, 25, '', '2026-02-01 09:00:00+00:00');
INSERT INTO engagement_evidence (engagement_id, control_id, evidence_id)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'AC-01'), (SELECT id FROM evidence WHERE title = 'Q4 access review'));
INSERT INTO engagement_exceptions (engagement_id, control_id, description, management_response, created_at, updated_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'AC-01'), 'One leaver kept access for a week.',
        'Leavers are now removed by the HR feed.', '2026-02-01 09:05:00+00:00', '2026-02-02 09:05:00+00:00');
