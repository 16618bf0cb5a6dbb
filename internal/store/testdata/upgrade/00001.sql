-- A catalog: one framework with a category and two requirements.
INSERT INTO frameworks (id, name, kind, version, description, content_hash, sort_order, loaded_at)
VALUES ('soc2-tsc-2017', 'SOC 2 Trust Services Criteria', 'soc2', '2017 (2022)', '', 'h1', 0, '2026-01-05 08:00:00+00:00');
INSERT INTO framework_categories (framework_id, code, name, description, sort_order)
VALUES ('soc2-tsc-2017', 'security', 'Security', '', 0);
INSERT INTO requirements (framework_id, ref, category, series, series_name, coso_principle, title, description, sort_order, retired)
VALUES ('soc2-tsc-2017', 'CC6.1', 'security', 'CC6', 'Logical and physical access', 11, 'Logical access', 'Access is restricted.', 1, FALSE),
       ('soc2-tsc-2017', 'CC9.9', 'security', 'CC9', 'Risk mitigation', NULL, 'A retired criterion', 'Gone.', 2, TRUE);
