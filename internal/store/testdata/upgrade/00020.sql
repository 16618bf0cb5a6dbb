-- A control with the evidence it is expected to leave, its risk and the
-- IPE it relies on; a result with its tester and reviewer; an exception
-- with its evaluation.
INSERT INTO controls (ref, title, description, owner_id, performer, frequency, nature, control_type, key_control, ipe, systems, implemented_on, status, created_at, updated_at,
                      retired_on, replaced_by, schedule, calendar, evidence_expected, risk_addressed, ipe_relied_on) VALUES
    ('HR-07', 'Leaver access removal', '', NULL, 'IT service desk', 'event-driven', 'manual', 'preventive', TRUE, TRUE, 'Okta',
     '2025-01-01', 'active', '2026-01-07 09:00:00+00:00', '2026-01-07 09:00:00+00:00', NULL, NULL, '', 'every-day',
     'Leaver ticket with the deprovisioning time', 'A leaver keeps access to customer data', 'HR termination report');
INSERT INTO engagement_control_results (engagement_id, control_id, design_result, design_notes, test_methods, test_procedure, result, exceptions_found, tested_count, result_notes, updated_at, tester, reviewer)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'HR-07'), 'suitably_designed', '', 'inspection', '', 'exceptions_noted', 1, 25, '',
        '2026-07-10 09:00:00+00:00', 'J. Tester', 'R. Reviewer');
INSERT INTO engagement_exceptions (engagement_id, control_id, description, management_response, created_at, updated_at,
                                   identified_on, root_cause, extent, compensating_controls, remediation, retest)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'HR-07'),
        'For 1 of 25 sampled leavers, access was removed four business days after termination.', '',
        '2026-07-10 09:00:00+00:00', '2026-07-10 09:00:00+00:00', '2026-07-09', 'The HR feed failed for a week',
        'isolated', 'Monthly access review (AC-03)', 'Feed monitored daily', 'No further late removals in 15 leavers');
