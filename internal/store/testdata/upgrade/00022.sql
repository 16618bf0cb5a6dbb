-- A conclusion for CM-02 pinned to the first revision of the Q4 review,
-- although a second one was uploaded since.
INSERT INTO engagement_evidence (engagement_id, control_id, evidence_id, revision)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), (SELECT id FROM controls WHERE ref = 'CM-02'),
        (SELECT id FROM evidence WHERE title = 'Q4 access review'), 1);
