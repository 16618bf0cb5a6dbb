-- A SOC 1 template framework with an industry-specific template that
-- replaces a retired one, a suggested control activity beneath it, and an
-- industry naming its objective set.
INSERT INTO frameworks (id, name, kind, version, description, content_hash, sort_order, loaded_at)
VALUES ('soc1-templates', 'SOC 1 control objective templates', 'soc1', '2026', '', 'h12', 1, '2026-01-06 08:00:00+00:00');
INSERT INTO requirements (framework_id, ref, category, series, series_name, coso_principle, title, description, sort_order, retired, industry, optional, replaces)
VALUES ('soc1-templates', 'ITGC-LA', 'itgc', 'ITGC', 'IT general controls', NULL, 'Logical access',
        'Controls provide reasonable assurance that logical access is restricted to authorised users.', 1, FALSE, '', FALSE, 'ITGC-AC-01'),
       ('soc1-templates', 'RK-CON', 'business-process', 'RK', 'Recordkeeping', NULL, 'Contributions',
        'Controls provide reasonable assurance that contributions are recorded completely and accurately.', 2, FALSE, 'recordkeeping', FALSE, '');
INSERT INTO template_activities (framework_id, requirement_ref, ref, title, description, frequency, nature, control_type, sort_order, retired)
VALUES ('soc1-templates', 'ITGC-LA', 'ITGC-LA-A1', 'Leavers removed', 'Access of leavers is removed promptly.', 'event-driven', 'manual', 'preventive', 1, FALSE);
INSERT INTO catalog_industries (framework_id, code, name, description, services, template_refs, sort_order, retired)
VALUES ('soc1-templates', 'recordkeeping', 'Retirement-plan recordkeeping', '', 'Recordkeeping', 'ITGC-LA,RK-CON', 1, FALSE);
