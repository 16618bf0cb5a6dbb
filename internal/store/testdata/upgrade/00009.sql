-- The migration seeds the two slots; an instance that crashed left one held.
UPDATE export_slots SET holder = 'crashed-instance', expires_at = '2026-02-05 09:00:00+00:00' WHERE slot = 1;
