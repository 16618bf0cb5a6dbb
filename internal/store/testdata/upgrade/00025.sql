-- The SOC 2 reached reporting: its record holds the sheets and the Q4
-- access review it relied on; an earlier record was superseded when an
-- admin moved it back. The hosting provider is due a review, and a
-- bridge letter was signed.
INSERT INTO engagement_records (engagement_id, status, taken_at, taken_by, content, content_sha256, superseded_at, superseded_by, superseded_reason) VALUES
    ((SELECT id FROM engagements WHERE report = 'soc2'), 'reporting', '2026-07-01 09:00:00+00:00', (SELECT id FROM users WHERE email = 'admin@example.com'),
     '{"sheets":[]}', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '2026-07-02 09:00:00+00:00',
     (SELECT id FROM users WHERE email = 'admin@example.com'), 'CM-02 needs a retest'),
    ((SELECT id FROM engagements WHERE report = 'soc2'), 'reporting', '2026-07-10 09:00:00+00:00', NULL,
     '{"sheets":[]}', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', NULL, NULL, '');
INSERT INTO engagement_record_evidence (record_id, control_ref, evidence_id, kind, name, sha256, uploaded_at) VALUES
    ((SELECT MAX(id) FROM engagement_records), 'CM-02', (SELECT id FROM evidence WHERE title = 'Q4 access review'), 'file',
     'q4-review.pdf', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '2026-01-20 09:00:00+00:00');
UPDATE subservice_orgs SET review_due = TRUE WHERE name = 'Cloud Host Ltd';
INSERT INTO bridge_letters (engagement_id, covers_to, signer_name, signer_title, signed_at, signed_by, evidence_id, sha256) VALUES
    ((SELECT id FROM engagements WHERE report = 'soc2'), '2026-09-30', 'Ada Admin', 'Chief Executive Officer', '2026-10-02 09:00:00+00:00',
     (SELECT id FROM users WHERE email = 'admin@example.com'), (SELECT id FROM evidence WHERE title = 'Q4 access review'),
     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
