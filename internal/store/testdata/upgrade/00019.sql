-- A request of each kind of state: an open generated one on a control with
-- a sample item, and a returned one by hand with evidence, a comment and
-- an attachment; the engagement's counter is past a deleted request.
INSERT INTO request_counters (engagement_id, last_number)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), 3);
INSERT INTO requests (engagement_id, number, source_key, auditor_ref, kind, phase, description, owner_id, due_on, status,
                      return_reason, requested_at, submitted_at, accepted_at, created_by, created_at, updated_at, deleted_at) VALUES
    ((SELECT id FROM engagements WHERE report = 'soc2'), 1, 'population/AC-01/interim', '', 'population', 'interim',
     'Population of AC-01', (SELECT id FROM users WHERE email = 'owner@example.com'), '2026-02-15', 'open',
     '', '2026-02-01 09:00:00+00:00', NULL, NULL, NULL, '2026-02-01 09:00:00+00:00', '2026-02-01 09:00:00+00:00', NULL),
    ((SELECT id FROM engagements WHERE report = 'soc2'), 2, NULL, 'PBC-7', 'document', 'final',
     'Org chart', (SELECT id FROM users WHERE email = 'owner@example.com'), '2026-03-01', 'returned',
     'Not signed', '2026-02-02 09:00:00+00:00', '2026-02-05 09:00:00+00:00', NULL, (SELECT id FROM users WHERE email = 'admin@example.com'),
     '2026-02-02 09:00:00+00:00', '2026-02-06 09:00:00+00:00', NULL),
    ((SELECT id FROM engagements WHERE report = 'soc2'), 3, NULL, '', 'other', 'final',
     'Asked twice', NULL, NULL, 'open', '', '2026-02-03 09:00:00+00:00', NULL, NULL, NULL,
     '2026-02-03 09:00:00+00:00', '2026-02-03 09:00:00+00:00', '2026-02-04 09:00:00+00:00');
INSERT INTO request_controls (request_id, control_id)
VALUES ((SELECT id FROM requests WHERE number = 1), (SELECT id FROM controls WHERE ref = 'AC-01'));
INSERT INTO request_sample_items (request_id, sample_id, seq)
VALUES ((SELECT id FROM requests WHERE number = 1), (SELECT MIN(id) FROM samples), 1);
INSERT INTO request_evidence (request_id, evidence_id, attached_by, attached_at)
VALUES ((SELECT id FROM requests WHERE number = 2), (SELECT MIN(id) FROM evidence), (SELECT id FROM users WHERE email = 'owner@example.com'),
        '2026-02-05 09:00:00+00:00');
INSERT INTO request_comments (request_id, author_id, body, created_at)
VALUES ((SELECT id FROM requests WHERE number = 2), (SELECT id FROM users WHERE email = 'admin@example.com'), 'Please sign it.',
        '2026-02-06 09:00:00+00:00');
INSERT INTO request_comment_files (comment_id, sha256, size, media_type, original_name)
VALUES ((SELECT MIN(id) FROM request_comments), 'ab12', 3, 'text/plain', 'note.txt');
