-- The organisation's name, as set on the Settings page.
INSERT INTO settings (key, value, updated_at) VALUES ('organisation', 'Example Payroll Ltd', '2026-03-02 04:00:00+00:00');
