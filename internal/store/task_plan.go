package store

import (
	"context"
	"time"
)

// ControlsToPlan reads what task planning needs of some controls (nil:
// all), by ID.
func (db *DB) ControlsToPlan(ctx context.Context, controlIDs []int64) ([]Control, error) {
	var rows []Control
	q := db.Conn(ctx, false).Table("controls").
		Select("id, ref, frequency, nature, owner_id, implemented_on, retired_on, schedule, calendar, status, created_at")
	if controlIDs != nil {
		q = q.Where("id IN ?", controlIDs)
	}
	err := q.Order("id").Scan(&rows).Error
	return rows, err
}

// EngagementsGatheringEvidence are the Type II engagements still in
// planning, fieldwork or reporting, by ID.
func (db *DB) EngagementsGatheringEvidence(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Table("engagements").
		Where("report_type = 'type2' AND status IN ?", []string{"planning", "fieldwork", "reporting"}).
		Order("id").Pluck("id", &ids).Error
	return ids, err
}

// LinkedEvidence is a piece of live evidence linked to a control, with
// the dates that place it and the lowest control it is linked to.
type LinkedEvidence struct {
	ControlID   int64
	EvidenceID  int64
	Title       string
	CoversFrom  *string
	CoversTo    *string
	AsOf        *string
	CollectedOn *string
	ExpiresOn   *string
	CreatedAt   time.Time
	// FirstControl is the lowest control linked: a renewal task belongs to it.
	FirstControl int64
}

// LinkedEvidenceOf reads the live evidence of some controls (nil: all),
// by control and evidence.
func (db *DB) LinkedEvidenceOf(ctx context.Context, controlIDs []int64) ([]LinkedEvidence, error) {
	var rows []LinkedEvidence
	q := db.Conn(ctx, false).Table("evidence_controls AS ec").
		Select(`ec.control_id, e.id AS evidence_id, e.title, e.covers_from, e.covers_to, e.as_of,
			e.collected_on, e.expires_on, e.created_at,
			(SELECT MIN(x.control_id) FROM evidence_controls x WHERE x.evidence_id = e.id) AS first_control`).
		Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Where(liveEvidence)
	if controlIDs != nil {
		q = q.Where("ec.control_id IN ?", controlIDs)
	}
	err := q.Order("ec.control_id, e.id").Scan(&rows).Error
	return rows, err
}

// LiveEvidenceExpiry is when a piece of live evidence expires (nil:
// never); found is false when it is deleted or does not exist.
func (db *DB) LiveEvidenceExpiry(ctx context.Context, evidenceID int64) (expires *string, found bool, err error) {
	var rows []*string
	err = db.Conn(ctx, false).Table("evidence AS e").Where("e.id = ? AND "+liveEvidence, evidenceID).Pluck("e.expires_on", &rows).Error
	if err != nil || len(rows) != 1 {
		return nil, false, err
	}
	return rows[0], true, nil
}
