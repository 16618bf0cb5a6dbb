-- Rows saved again after the versions were added: a control edited twice,
-- evidence, an engagement, a result, an exception, an objective, a user and
-- a task edited once each.
UPDATE controls SET version = 3 WHERE ref = 'AC-01';
UPDATE evidence SET version = 2 WHERE title = 'Q4 access review';
UPDATE engagements SET version = 2 WHERE report = 'soc2';
UPDATE engagement_control_results SET version = 2;
UPDATE engagement_exceptions SET version = 2;
UPDATE cuecs SET version = 2;
UPDATE subservice_orgs SET version = 2;
UPDATE requirements SET version = 2 WHERE ref = 'CO-01';
UPDATE users SET version = 2;
UPDATE tasks SET version = 2;
