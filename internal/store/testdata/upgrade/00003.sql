-- Controls mapped to a criterion and to one of our SOC 1 objectives, a
-- requirement marked not applicable, and evidence of each kind.
INSERT INTO requirements (framework_id, ref, category, series, title, description, sort_order, template_ref)
VALUES ('org-soc1', 'CO-01', 'itgc', 'Access', 'Access is authorised', 'Our objective.', 1, 'ITGC-AC-01');
INSERT INTO requirement_applicability (requirement_id, not_applicable, reason, updated_at)
VALUES ((SELECT id FROM requirements WHERE ref = 'CC9.9'), TRUE, 'We hold no such assets.', '2026-01-07 09:00:00+00:00');
INSERT INTO controls (ref, title, description, owner_id, performer, frequency, nature, control_type, key_control, ipe, systems, implemented_on, status, created_at, updated_at) VALUES
    ('AC-01', 'Quarterly access review', 'Managers review access.', (SELECT id FROM users WHERE email = 'owner@example.com'),
     'IT', 'quarterly', 'manual', 'detective', TRUE, TRUE, 'Okta, Workday', '2025-06-01', 'active', '2026-01-07 09:00:00+00:00', '2026-01-07 09:00:00+00:00'),
    ('CM-02', 'Changes are approved', '', NULL, '', 'event-driven', 'it-dependent-manual', 'preventive', FALSE, FALSE, '', NULL, 'retired',
     '2026-01-07 09:05:00+00:00', '2026-01-08 09:05:00+00:00');
INSERT INTO control_requirements (control_id, requirement_id, rationale, created_at) VALUES
    ((SELECT id FROM controls WHERE ref = 'AC-01'), (SELECT id FROM requirements WHERE ref = 'CC6.1'), 'Reviews catch stale access.', '2026-01-07 09:10:00+00:00'),
    ((SELECT id FROM controls WHERE ref = 'AC-01'), (SELECT id FROM requirements WHERE ref = 'CO-01'), '', '2026-01-07 09:10:00+00:00');
INSERT INTO evidence (kind, title, description, url, note, collected_on, covers_from, covers_to, as_of, expires_on, source_system, provided_by, created_by, created_at, updated_at, deleted_at) VALUES
    ('file', 'Q4 access review', '', '', '', '2026-01-10', '2025-10-01', '2025-12-31', NULL, '2026-12-31', 'Okta', 'Otto Owner',
     (SELECT id FROM users WHERE email = 'owner@example.com'), '2026-01-10 10:00:00+00:00', '2026-01-10 10:00:00+00:00', NULL),
    ('link', 'Access policy', '', 'https://wiki.example.com/access', '', NULL, NULL, NULL, '2026-01-01', NULL, '', '', NULL,
     '2026-01-10 10:05:00+00:00', '2026-01-10 10:05:00+00:00', NULL),
    ('note', 'Withdrawn note', '', '', 'Uploaded by mistake.', NULL, NULL, NULL, NULL, NULL, '', '', NULL,
     '2026-01-10 10:10:00+00:00', '2026-01-11 10:10:00+00:00', '2026-01-11 10:10:00+00:00');
INSERT INTO evidence_files (evidence_id, revision, sha256, size, media_type, original_name, uploaded_by, uploaded_at) VALUES
    ((SELECT id FROM evidence WHERE title = 'Q4 access review'), 1, 'aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11', 1200,
     'application/pdf', 'q4-review.pdf', (SELECT id FROM users WHERE email = 'owner@example.com'), '2026-01-10 10:00:00+00:00'),
    ((SELECT id FROM evidence WHERE title = 'Q4 access review'), 2, 'bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22', 1300,
     'application/pdf', 'q4-review v2.pdf', (SELECT id FROM users WHERE email = 'owner@example.com'), '2026-01-12 10:00:00+00:00');
INSERT INTO evidence_controls (evidence_id, control_id) VALUES
    ((SELECT id FROM evidence WHERE title = 'Q4 access review'), (SELECT id FROM controls WHERE ref = 'AC-01')),
    ((SELECT id FROM evidence WHERE title = 'Access policy'), (SELECT id FROM controls WHERE ref = 'AC-01')),
    ((SELECT id FROM evidence WHERE title = 'Withdrawn note'), (SELECT id FROM controls WHERE ref = 'CM-02'));
