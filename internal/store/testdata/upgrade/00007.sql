-- A complementary user entity control and a carved-out subservice
-- organisation with its complementary control.
INSERT INTO cuecs (engagement_id, text, requirements, created_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), 'Customers review their own users.', 'soc2-tsc-2017/CC6.1', '2026-02-04 09:00:00+00:00');
INSERT INTO subservice_orgs (engagement_id, name, services, method, monitoring_control_id, created_at)
VALUES ((SELECT id FROM engagements WHERE report = 'soc2'), 'Cloud Host Ltd', 'Hosting', 'carve-out',
        (SELECT id FROM controls WHERE ref = 'AC-01'), '2026-02-04 09:05:00+00:00');
INSERT INTO csocs (subservice_id, text, requirements, created_at)
VALUES ((SELECT id FROM subservice_orgs WHERE name = 'Cloud Host Ltd'), 'The host restricts data centre access.', 'soc2-tsc-2017/CC6.1', '2026-02-04 09:06:00+00:00');
