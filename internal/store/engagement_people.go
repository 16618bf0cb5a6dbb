package store

import (
	"context"
	"time"
)

// EngagementObjective puts one SOC 1 objective in an engagement's scope.
type EngagementObjective struct {
	EngagementID  int64 `gorm:"primaryKey"`
	RequirementID int64 `gorm:"primaryKey"`
}

func (EngagementObjective) TableName() string { return "engagement_objectives" }

// AuditorGrant lets one auditor read one engagement.
type AuditorGrant struct {
	EngagementID int64 `gorm:"primaryKey"`
	UserID       int64 `gorm:"primaryKey"`
	GrantedAt    time.Time
}

func (AuditorGrant) TableName() string { return "engagement_auditors" }

// LiveRequirementsByRef returns the framework's requirements (not
// retired) among refs, in catalog order.
func (db *DB) LiveRequirementsByRef(ctx context.Context, frameworkID string, refs []string) ([]Requirement, error) {
	var found []Requirement
	err := db.Conn(ctx, false).Where("framework_id = ? AND ref IN ? AND NOT retired", frameworkID, refs).
		Order("sort_order").Find(&found).Error
	return found, err
}

// ObjectiveRefs lists the refs of an engagement's objectives, in catalog
// order.
func (db *DB) ObjectiveRefs(ctx context.Context, engagementID int64) ([]string, error) {
	var refs []string
	err := db.Conn(ctx, false).Table("engagement_objectives AS o").Joins("JOIN requirements r ON r.id = o.requirement_id").
		Where("o.engagement_id = ?", engagementID).Order("r.sort_order").Pluck("r.ref", &refs).Error
	return refs, err
}

// ReplaceObjectives makes requirementIDs the engagement's objectives.
func (db *DB) ReplaceObjectives(ctx context.Context, engagementID int64, requirementIDs []int64) error {
	q := db.Conn(ctx, true)
	if err := q.Delete(&EngagementObjective{}, "engagement_id = ?", engagementID).Error; err != nil {
		return err
	}
	for _, r := range requirementIDs {
		if err := q.Create(&EngagementObjective{EngagementID: engagementID, RequirementID: r}).Error; err != nil {
			return err
		}
	}
	return nil
}

// AuditorEmails lists the addresses of the auditors granted an
// engagement, sorted.
func (db *DB) AuditorEmails(ctx context.Context, engagementID int64) ([]string, error) {
	emails := []string{}
	err := db.Conn(ctx, false).Table("engagement_auditors AS a").Joins("JOIN users u ON u.id = a.user_id").
		Where("a.engagement_id = ?", engagementID).Order("u.email").Pluck("u.email", &emails).Error
	return emails, err
}

// IsGranted reports whether an auditor was granted an engagement.
func (db *DB) IsGranted(ctx context.Context, engagementID, userID int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&AuditorGrant{}).
		Where("engagement_id = ? AND user_id = ?", engagementID, userID).Count(&n).Error
	return n > 0, err
}

// GrantedEngagementIDs lists the engagements an auditor was granted.
func (db *DB) GrantedEngagementIDs(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Model(&AuditorGrant{}).Where("user_id = ?", userID).Pluck("engagement_id", &ids).Error
	return ids, err
}

// ReplaceAuditors makes userIDs the auditors granted an engagement.
func (db *DB) ReplaceAuditors(ctx context.Context, engagementID int64, userIDs []int64, at time.Time) error {
	q := db.Conn(ctx, true)
	if err := q.Delete(&AuditorGrant{}, "engagement_id = ?", engagementID).Error; err != nil {
		return err
	}
	for _, u := range userIDs {
		if err := q.Create(&AuditorGrant{EngagementID: engagementID, UserID: u, GrantedAt: at}).Error; err != nil {
			return err
		}
	}
	return nil
}
