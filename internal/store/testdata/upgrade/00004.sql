-- A SOC 2 Type II and a SOC 1 Type I engagement, with a scope decision and
-- an auditor.
INSERT INTO engagements (name, report, report_type, as_of, period_start, period_end, categories, audit_firm, auditor_contact, status, created_at, updated_at) VALUES
    ('SOC 2 Type II 2026', 'soc2', 'type2', NULL, '2026-01-01', '2026-12-31', 'security,availability', 'Example LLP', 'audit@example.com',
     'fieldwork', '2026-01-08 09:00:00+00:00', '2026-01-08 09:00:00+00:00'),
    ('SOC 1 Type I', 'soc1', 'type1', '2026-03-31', NULL, NULL, '', '', '', 'planning', '2026-01-08 09:05:00+00:00', '2026-01-08 09:05:00+00:00');
INSERT INTO engagement_objectives (engagement_id, requirement_id)
VALUES ((SELECT id FROM engagements WHERE report = 'soc1'), (SELECT id FROM requirements WHERE ref = 'CO-01'));
INSERT INTO engagement_scope_overrides (engagement_id, control_id, included, reason)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'CM-02'), FALSE, 'Retired before the period.');
INSERT INTO engagement_auditors (engagement_id, user_id, granted_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM users WHERE email = 'auditor@example.com'), '2026-01-09 09:00:00+00:00');
