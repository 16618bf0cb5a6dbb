package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

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

// ScopeOverridesOf lists an engagement's hand-made scope decisions.
func (db *DB) ScopeOverridesOf(ctx context.Context, engagementID int64) ([]ScopeOverride, error) {
	var overrides []ScopeOverride
	err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Find(&overrides).Error
	return overrides, err
}

// MappedRef is a control mapped to a requirement, by the requirement's ref.
type MappedRef struct {
	ControlID int64
	Ref       string
}

// MappingsReportedOn lists the controls mapped to the requirements an
// engagement reports on and has not decided not applicable, in catalog
// order of the requirements (retired requirements included).
func (db *DB) MappingsReportedOn(ctx context.Context, on ReportedOn) ([]MappedRef, error) {
	var mapped []MappedRef
	err := mappedIn(db.Conn(ctx, false), on).Select("m.control_id, r.ref").Order("r.sort_order").Scan(&mapped).Error
	return mapped, err
}

// mappedIn is the mappings AS m to the requirements AS r an engagement
// reports on and has not decided not applicable.
func mappedIn(q *gorm.DB, on ReportedOn) *gorm.DB {
	q = q.Table("control_requirements AS m").Joins("JOIN requirements r ON r.id = m.requirement_id").
		Where("r.id NOT IN (SELECT requirement_id FROM engagement_applicability WHERE engagement_id = ?)", on.EngagementID)
	if on.SOC1 {
		return q.Where("r.id IN (SELECT requirement_id FROM engagement_objectives WHERE engagement_id = ?)", on.EngagementID)
	}
	return q.Where("r.framework_id = ? AND r.category IN ?", "soc2-tsc-2017", on.Categories)
}

// ControlWithOwner is a control with its owner's e-mail address ("" for none).
type ControlWithOwner struct {
	Control
	OwnerEmail string
}

// ControlsWithOwners lists the controls among ids, by ID; retired
// controls only when their retirement day is known.
func (db *DB) ControlsWithOwners(ctx context.Context, ids []int64) ([]ControlWithOwner, error) {
	var controls []ControlWithOwner
	err := db.Conn(ctx, false).Table("controls AS c").Select("c.*, COALESCE(u.email, '') AS owner_email").
		Joins("LEFT JOIN users u ON u.id = c.owner_id").
		Where("c.id IN ? AND ("+activeControl+" OR c.retired_on IS NOT NULL)", ids).Order("c.id").Scan(&controls).Error
	return controls, err
}

// ControlRefsByID returns the refs of the controls among ids.
func (db *DB) ControlRefsByID(ctx context.Context, ids []int64) (map[int64]string, error) {
	var rows []Control
	if err := db.Conn(ctx, false).Select("id, ref").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Ref
	}
	return out, nil
}

// SampleRisks gives the risk level each control of an engagement is
// sampled at, where it differs from the engagement's.
func (db *DB) SampleRisks(ctx context.Context, engagementID int64) (map[int64]string, error) {
	var rows []struct {
		ControlID  int64
		SampleRisk string
	}
	err := db.Conn(ctx, false).Model(&Result{}).Select("control_id, sample_risk").
		Where("engagement_id = ? AND sample_risk <> ''", engagementID).Scan(&rows).Error
	out := map[int64]string{}
	for _, r := range rows {
		out[r.ControlID] = r.SampleRisk
	}
	return out, err
}

// ControlEvidenceDates is one live evidence item of a control with its dates.
type ControlEvidenceDates struct {
	ControlID  int64
	EvidenceID int64
	EvidenceDates
}

// EvidenceDatesCursor reads ControlEvidenceDates one at a time.
type EvidenceDatesCursor struct{ rows *sql.Rows }

// Next reads the next row into d; false at the end (or on an error, see Err).
func (c *EvidenceDatesCursor) Next(d *ControlEvidenceDates) (bool, error) {
	if !c.rows.Next() {
		return false, c.rows.Err()
	}
	// Scanned by hand: gorm's reflection costs more than SQLite's reads
	// when a large programme has a hundred thousand of these rows.
	err := c.rows.Scan(&d.ControlID, &d.EvidenceID, &d.CoversFrom, &d.CoversTo, &d.AsOf, &d.CollectedOn)
	return err == nil, err
}

// Close releases the cursor's connection.
func (c *EvidenceDatesCursor) Close() error { return c.rows.Close() }

// LiveEvidenceDates opens a cursor over the live evidence of the controls
// with its dates, in control and evidence order, so a caller can handle
// one control at a time without holding all of it in memory.
func (db *DB) LiveEvidenceDates(ctx context.Context, controlIDs []int64) (*EvidenceDatesCursor, error) {
	rows, err := db.Conn(ctx, false).Table("evidence_controls AS ec").
		Select("ec.control_id, e.id AS evidence_id, e.covers_from, e.covers_to, e.as_of, e.collected_on").
		Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Where("ec.control_id IN ? AND "+liveEvidence, controlIDs).Order("ec.control_id, e.id").Rows()
	if err != nil {
		return nil, err
	}
	return &EvidenceDatesCursor{rows: rows}, nil
}
