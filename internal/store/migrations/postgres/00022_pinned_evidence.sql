-- A conclusion's evidence is pinned to the revision it relied on, so a
-- later upload never changes what the engagement, its workbook and its
-- package show for it. NULL for evidence without files (links, notes).
-- Rows that exist already are pinned to the newest revision: the one they
-- showed until now.

-- +goose Up
ALTER TABLE engagement_evidence ADD COLUMN revision INTEGER;
UPDATE engagement_evidence SET revision =
    (SELECT MAX(f.revision) FROM evidence_files f WHERE f.evidence_id = engagement_evidence.evidence_id);

-- +goose Down
ALTER TABLE engagement_evidence DROP COLUMN revision;
