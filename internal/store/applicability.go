package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// EngagementApplicability is a criterion or objective decided not applicable to one
// engagement, with the reason, by whom and when.
type EngagementApplicability struct {
	EngagementID  int64 `gorm:"primaryKey;autoIncrement:false"`
	RequirementID int64 `gorm:"primaryKey;autoIncrement:false"`
	Reason        string
	DecidedBy     *int64
	DecidedAt     time.Time
}

func (EngagementApplicability) TableName() string { return "engagement_applicability" }

// InheritApplicability starts a new engagement with the organisation-wide
// not-applicable decisions.
func (db *DB) InheritApplicability(ctx context.Context, engagementID int64, at time.Time) error {
	return db.Conn(ctx, true).Exec("INSERT INTO engagement_applicability (engagement_id, requirement_id, reason, decided_by, decided_at) "+
		"SELECT ?, requirement_id, reason, NULL, ? FROM requirement_applicability WHERE not_applicable", engagementID, at).Error
}

// EngagementApplicabilityOf lists an engagement's not-applicable decisions by
// requirement ID.
func (db *DB) EngagementApplicabilityOf(ctx context.Context, engagementID int64) ([]EngagementApplicability, error) {
	var rows []EngagementApplicability
	err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Order("requirement_id").Find(&rows).Error
	return rows, err
}

// EngagementApplicabilityDecision is the engagement's decision on a requirement;
// RequirementID is 0 when there is none.
func (db *DB) EngagementApplicabilityDecision(ctx context.Context, engagementID, requirementID int64) (EngagementApplicability, error) {
	var a EngagementApplicability
	err := db.Conn(ctx, false).Where("engagement_id = ? AND requirement_id = ?", engagementID, requirementID).Find(&a).Error
	return a, err
}

// SaveEngagementApplicability inserts or replaces a not-applicable decision.
func (db *DB) SaveEngagementApplicability(ctx context.Context, a *EngagementApplicability) error {
	return db.Conn(ctx, true).Save(a).Error
}

// ClearEngagementApplicability removes a not-applicable decision.
func (db *DB) ClearEngagementApplicability(ctx context.Context, engagementID, requirementID int64) error {
	return db.Conn(ctx, true).Where("engagement_id = ? AND requirement_id = ?", engagementID, requirementID).
		Delete(&EngagementApplicability{}).Error
}

// ReportedOn says which requirements an engagement reports on: a SOC 1's
// objectives in scope, or the SOC 2 criteria of its categories.
type ReportedOn struct {
	EngagementID int64
	SOC1         bool
	Categories   []string
}

func (r ReportedOn) query(q *gorm.DB) *gorm.DB {
	q = q.Table("requirements AS r").Select("r.*").Where("NOT r.retired")
	if r.SOC1 {
		return q.Where("r.id IN (SELECT requirement_id FROM engagement_objectives WHERE engagement_id = ?)", r.EngagementID)
	}
	return q.Where("r.framework_id = ? AND r.category IN ?", "soc2-tsc-2017", r.Categories)
}

// RequirementReportedOn returns the requirement with the ref among those
// the engagement reports on, or ErrNotFound.
func (db *DB) RequirementReportedOn(ctx context.Context, on ReportedOn, ref string) (Requirement, error) {
	var r Requirement
	err := on.query(db.Conn(ctx, false)).Where("r.ref = ?", strings.TrimSpace(ref)).Take(&r).Error
	return r, notFound(err)
}

// RequirementsReportedOn lists the requirements the engagement reports
// on, in catalog order.
func (db *DB) RequirementsReportedOn(ctx context.Context, on ReportedOn) ([]Requirement, error) {
	var reqs []Requirement
	err := on.query(db.Conn(ctx, false)).Order("r.sort_order").Scan(&reqs).Error
	return reqs, err
}
