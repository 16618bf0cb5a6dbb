-- The tested AC-01 item's results were saved a second time.
UPDATE sample_items SET version = 2 WHERE seq = 2 AND sample_id = (SELECT id FROM samples WHERE seed = '42');
