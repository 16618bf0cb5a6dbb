package store

import "context"

// ControlsByRefWithOwners lists every control among ids, retired or not,
// by ref, with its owner's e-mail address.
func (db *DB) ControlsByRefWithOwners(ctx context.Context, ids []int64) ([]ControlWithOwner, error) {
	var controls []ControlWithOwner
	err := db.Conn(ctx, false).Table("controls AS c").Select("c.*, COALESCE(u.email, '') AS owner_email").
		Joins("LEFT JOIN users u ON u.id = c.owner_id").Where("c.id IN ?", ids).Order("c.ref").Scan(&controls).Error
	return controls, err
}

// LiveEvidenceCountOf counts the live evidence linked to any of the controls.
func (db *DB) LiveEvidenceCountOf(ctx context.Context, controlIDs []int64) (int, error) {
	var n int64
	err := db.Conn(ctx, false).Table("evidence AS e").
		Where(liveEvidence+" AND e.id IN (SELECT evidence_id FROM evidence_controls WHERE control_id IN ?)", controlIDs).
		Count(&n).Error
	return int(n), err
}

// EachLiveEvidenceTitle calls fn with the title of each live evidence
// item of the controls, in control and evidence order, read with a
// cursor so memory does not grow with the evidence.
func (db *DB) EachLiveEvidenceTitle(ctx context.Context, controlIDs []int64, fn func(controlID int64, title string) error) error {
	rows, err := db.Conn(ctx, false).Table("evidence_controls AS ec").Select("ec.control_id, e.title").
		Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Where("ec.control_id IN ? AND "+liveEvidence, controlIDs).Order("ec.control_id, e.id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var controlID int64
		var title string
		if err := rows.Scan(&controlID, &title); err != nil {
			return err
		}
		if err := fn(controlID, title); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EvidenceIndexRow is evidence of an in-scope control for the evidence
// index: its file at the revision a conclusion was pinned to, else the
// newest, and the refs of its controls.
type EvidenceIndexRow struct {
	Evidence
	Controls string
	FileName *string
	Size     *int64
	SHA256   string `gorm:"column:sha256"`
}

// EachEvidenceIndexRow calls fn with each live evidence item of the
// controls, by ID, streamed from a cursor: the largest sheet never sits
// in memory.
func (db *DB) EachEvidenceIndexRow(ctx context.Context, engagementID int64, controlIDs []int64, fn func(EvidenceIndexRow) error) error {
	refs := "group_concat(c.ref, ', ')"
	if db.Dialect == Postgres {
		refs = "string_agg(c.ref, ', ' ORDER BY c.ref)"
	}
	// The revision a conclusion of this engagement was pinned to, else the
	// newest.
	latest := func(col string) string {
		return "(SELECT f." + col + " FROM evidence_files f WHERE f.evidence_id = e.id" +
			" AND (pin.revision IS NULL OR f.revision = pin.revision) ORDER BY f.revision DESC LIMIT 1)"
	}
	q := db.Conn(ctx, false)
	rows, err := q.Table("evidence AS e").
		Select("e.*, "+latest("original_name")+" AS file_name, "+latest("size")+" AS size, COALESCE("+
			latest("sha256")+", '') AS sha256, (SELECT "+refs+" FROM evidence_controls ec JOIN controls c ON c.id = ec.control_id WHERE ec.evidence_id = e.id) AS controls").
		Joins("LEFT JOIN (SELECT evidence_id, MAX(revision) AS revision FROM engagement_evidence WHERE engagement_id = ? GROUP BY evidence_id) pin ON pin.evidence_id = e.id", engagementID).
		Where(liveEvidence+" AND e.id IN (SELECT evidence_id FROM evidence_controls WHERE control_id IN ?)", controlIDs).
		Order("e.id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e EvidenceIndexRow
		if err := q.ScanRows(rows, &e); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
