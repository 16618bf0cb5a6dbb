package store

import "context"

// LiveControlIDs keeps of ids the controls that are not retired, in ID
// order.
func (db *DB) LiveControlIDs(ctx context.Context, ids []int64) ([]int64, error) {
	var live []int64
	err := db.Conn(ctx, false).Table("controls AS c").Where("c.id IN ? AND "+activeControl, ids).
		Order("c.id").Pluck("c.id", &live).Error
	return live, err
}

// EvidenceLinkedToAny reports whether live (not deleted) evidence is
// linked to at least one of the controls.
func (db *DB) EvidenceLinkedToAny(ctx context.Context, evidenceID int64, controlIDs []int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Table("evidence_controls AS ec").
		Joins("JOIN evidence e ON e.id = ec.evidence_id AND "+liveEvidence).
		Where("ec.evidence_id = ? AND ec.control_id IN ?", evidenceID, controlIDs).Count(&n).Error
	return n > 0, err
}

// ScopeOverride includes or excludes one control from an engagement by
// hand, with the reason.
type ScopeOverride struct {
	EngagementID int64 `gorm:"primaryKey"`
	ControlID    int64 `gorm:"primaryKey"`
	Included     bool
	Reason       string
}

func (ScopeOverride) TableName() string { return "engagement_scope_overrides" }

// SaveScopeOverride inserts or replaces an engagement's decision on a control.
func (db *DB) SaveScopeOverride(ctx context.Context, o ScopeOverride) error {
	return db.Conn(ctx, true).Save(&o).Error
}
