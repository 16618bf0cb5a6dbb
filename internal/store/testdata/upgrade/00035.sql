-- The history of the returned request: submitted by its owner, accepted
-- by mistake and the acceptance undone, then returned.
INSERT INTO request_transitions (request_id, action, from_status, to_status, actor_id, at, prev_submitted_at, prev_return_reason, undoes) VALUES
    ((SELECT id FROM requests WHERE number = 2), 'submit', 'open', 'submitted', (SELECT id FROM users WHERE email = 'owner@example.com'),
     '2026-02-05 09:00:00+00:00', NULL, '', NULL),
    ((SELECT id FROM requests WHERE number = 2), 'accept', 'submitted', 'accepted', (SELECT id FROM users WHERE email = 'admin@example.com'),
     '2026-02-05 10:00:00+00:00', '2026-02-05 09:00:00+00:00', '', NULL);
INSERT INTO request_transitions (request_id, action, from_status, to_status, actor_id, at, prev_submitted_at, prev_return_reason, undoes)
VALUES ((SELECT id FROM requests WHERE number = 2), 'undo', 'accepted', 'submitted', (SELECT id FROM users WHERE email = 'admin@example.com'),
        '2026-02-05 10:05:00+00:00', '2026-02-05 09:00:00+00:00', '', (SELECT MAX(id) FROM request_transitions));
INSERT INTO request_transitions (request_id, action, from_status, to_status, actor_id, at, prev_submitted_at, prev_return_reason, undoes)
VALUES ((SELECT id FROM requests WHERE number = 2), 'return', 'submitted', 'returned', (SELECT id FROM users WHERE email = 'admin@example.com'),
        '2026-02-06 09:00:00+00:00', '2026-02-05 09:00:00+00:00', '', NULL);
