-- The tested AC-01 item relies on the Q4 access review.
INSERT INTO sample_item_evidence (sample_id, seq, evidence_id)
VALUES ((SELECT id FROM samples WHERE seed = '42'), 2, (SELECT id FROM evidence WHERE title = 'Q4 access review'));
