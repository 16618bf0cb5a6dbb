-- The hosting provider's SOC 2 Type II as reviewed for the SOC 2: a
-- qualified opinion with an exception that does not touch us, its CUEC
-- addressed by AC-01, and a bridge letter for the gap to our period end.
-- A second CUEC was added after one was deleted: its number is the next
-- one, not the freed one.
INSERT INTO cuecs (engagement_id, text, requirements, created_at, number)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), 'Customers revoke leavers within a day.', 'soc2-tsc-2017/CC6.2', '2026-03-04 09:00:00+00:00', 3);
UPDATE engagements SET cuec_seq = 3 WHERE report = 'soc2';
INSERT INTO subservice_reviews (subservice_id, report, report_type, period_start, period_end, vendor_auditor, opinion,
    exceptions_noted, exceptions_relevance, bridge_letter_evidence_id, reviewed_by, reviewed_on, created_at, version)
VALUES ((SELECT id FROM subservice_orgs WHERE name = 'Cloud Host Ltd'), 'soc2', 'type2', '2025-07-01', '2026-06-30', 'Audit & Co LLP', 'qualified',
    'One badge not revoked in time at a data centre we do not use.', 'None: our region is hosted elsewhere.',
    (SELECT id FROM evidence WHERE title = 'Q4 access review'), (SELECT id FROM users WHERE email = 'admin@example.com'),
    '2026-08-15', '2026-08-15 10:00:00+00:00', 2);
INSERT INTO subservice_review_cuecs (review_id, text, control_id)
VALUES ((SELECT MAX(id) FROM subservice_reviews), 'Customers manage the access of their own users to the console.', (SELECT id FROM controls WHERE ref = 'AC-01'));
