-- Export slots: at most this many workbook or package exports run at once
-- across every instance sharing the database. An instance leases a free
-- slot (or one whose lease ran out, e.g. after a crash) and frees it when
-- done.

-- +goose Up
CREATE TABLE export_slots (
    slot       INTEGER PRIMARY KEY,
    holder     TEXT,
    expires_at TIMESTAMP
);
INSERT INTO export_slots (slot) VALUES (1), (2);

-- +goose Down
DROP TABLE export_slots;
