-- A control retired with a replacement, a scheduled one on business days,
-- a holiday, a window marked not expected and summary evidence attached
-- to a window.
INSERT INTO controls (ref, title, description, owner_id, performer, frequency, nature, control_type, key_control, ipe, systems, implemented_on, status, created_at, updated_at,
                      retired_on, replaced_by, schedule, calendar) VALUES
    ('NET-04', 'Firewall log review', '', (SELECT id FROM users WHERE email = 'owner@example.com'), 'SecOps', 'daily', 'manual', 'detective', TRUE, FALSE, '',
     '2025-01-01', 'active', '2026-01-07 09:00:00+00:00', '2026-01-07 09:00:00+00:00', NULL, NULL, '', 'business-days'),
    ('AC-09', 'Monthly access recertification', '', NULL, '', 'monthly', 'manual', 'detective', TRUE, FALSE, '',
     '2025-01-01', 'active', '2026-01-07 09:00:00+00:00', '2026-01-07 09:00:00+00:00', NULL, NULL, '{"business_day":5}', 'every-day');
INSERT INTO controls (ref, title, description, owner_id, performer, frequency, nature, control_type, key_control, ipe, systems, implemented_on, status, created_at, updated_at,
                      retired_on, replaced_by, schedule, calendar) VALUES
    ('AC-08', 'Manual access recertification', '', NULL, '', 'monthly', 'manual', 'detective', TRUE, FALSE, '',
     '2024-01-01', 'retired', '2026-01-07 09:00:00+00:00', '2026-06-30 09:00:00+00:00', '2026-06-30', (SELECT id FROM controls WHERE ref = 'AC-09'), '', 'every-day');
INSERT INTO holidays (day, name, created_at) VALUES ('2026-12-25', 'Christmas Day', '2026-01-07 09:00:00+00:00');
INSERT INTO window_marks (engagement_id, control_id, window_start, window_end, reason, marked_by, marked_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'AC-01'), '2026-01-01', '2026-03-31',
        'No joiners or leavers this quarter.', (SELECT id FROM users WHERE email = 'owner@example.com'), '2026-04-02 09:00:00+00:00');
INSERT INTO window_evidence (engagement_id, control_id, window_start, evidence_id, attached_by, attached_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'AC-01'), '2026-04-01',
        (SELECT id FROM evidence WHERE title = 'Access policy'), (SELECT id FROM users WHERE email = 'owner@example.com'), '2026-07-02 09:00:00+00:00');
