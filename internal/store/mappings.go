package store

import "context"

// AddMapping links a control to a requirement, or gives the existing link
// the new rationale when it is not empty; m becomes the stored link.
func (db *DB) AddMapping(ctx context.Context, m *Mapping) error {
	return db.Conn(ctx, true).Where(Mapping{ControlID: m.ControlID, RequirementID: m.RequirementID}).
		Assign(Mapping{Rationale: m.Rationale}).FirstOrCreate(m).Error
}

// RemoveMapping unlinks a control from a requirement and reports whether
// there was a link.
func (db *DB) RemoveMapping(ctx context.Context, controlID, requirementID int64) (bool, error) {
	res := db.Conn(ctx, true).Delete(&Mapping{}, "control_id = ? AND requirement_id = ?", controlID, requirementID)
	return res.RowsAffected > 0, res.Error
}

// IsMapped reports whether a control is linked to a requirement.
func (db *DB) IsMapped(ctx context.Context, controlID, requirementID int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&Mapping{}).
		Where("control_id = ? AND requirement_id = ?", controlID, requirementID).Count(&n).Error
	return n > 0, err
}

// MappingLink is one control-requirement link, the requirement named as
// "framework/ref".
type MappingLink struct {
	ControlID   int64
	Requirement string
	Rationale   string
}

// ListMappings lists every link to a framework's requirements (all
// frameworks when framework is empty), by framework, requirement order
// and control.
func (db *DB) ListMappings(ctx context.Context, framework string) ([]MappingLink, error) {
	q := db.Conn(ctx, false).Table("control_requirements AS m").
		Select("m.control_id, r.framework_id || '/' || r.ref AS requirement, m.rationale").
		Joins("JOIN requirements r ON r.id = m.requirement_id")
	if framework != "" {
		q = q.Where("r.framework_id = ?", framework)
	}
	out := []MappingLink{}
	err := q.Order("r.framework_id, r.sort_order, m.control_id").Scan(&out).Error
	return out, err
}

// ApplicabilityOf is what the organisation recorded of a requirement's
// applicability: the zero value (applicable) when nothing was.
func (db *DB) ApplicabilityOf(ctx context.Context, requirementID int64) (Applicability, error) {
	var a Applicability
	err := db.Conn(ctx, false).Find(&a, "requirement_id = ?", requirementID).Error
	return a, err
}

// SaveApplicability records a requirement's applicability.
func (db *DB) SaveApplicability(ctx context.Context, a *Applicability) error {
	return db.Conn(ctx, true).Save(a).Error
}
