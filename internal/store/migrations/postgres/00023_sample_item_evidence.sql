-- The evidence a tester looked at for one sampled item, so that each
-- item of a sample can be traced to what supports its results.

-- +goose Up
CREATE TABLE sample_item_evidence (
    sample_id   BIGINT NOT NULL,
    seq         INTEGER NOT NULL,
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    PRIMARY KEY (sample_id, seq, evidence_id),
    FOREIGN KEY (sample_id, seq) REFERENCES sample_items (sample_id, seq)
);

-- +goose Down
DROP TABLE sample_item_evidence;
