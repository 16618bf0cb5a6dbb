package store

import (
	"context"

	"gorm.io/gorm"
)

// OpenException is an exception management has not responded to yet.
type OpenException struct {
	ID           int64  `json:"id"`
	EngagementID int64  `json:"engagement_id"`
	ControlID    int64  `json:"control_id"`
	ControlRef   string `json:"control_ref"`
	Description  string `json:"description"`
}

// ControlRef names a control.
type ControlRef struct {
	ID    int64  `json:"id"`
	Ref   string `json:"ref"`
	Title string `json:"title"`
}

// OpenExceptions lists the engagements' exceptions without a management
// response, in the order they were raised.
func (db *DB) OpenExceptions(ctx context.Context, engagementIDs []int64) ([]OpenException, error) {
	out := []OpenException{}
	err := db.Conn(ctx, false).Table("engagement_exceptions AS x").
		Select("x.id, x.engagement_id, x.control_id, c.ref AS control_ref, x.description").
		Joins("JOIN controls c ON c.id = x.control_id").
		Where("x.engagement_id IN ? AND x.management_response = ''", engagementIDs).
		Order("x.id").Scan(&out).Error
	return out, err
}

// ControlGaps lists the controls in use (not retired), by ref, that have
// no owner and that map to no requirement. A disabled user owns nothing
// any more: their controls need a new owner.
func (db *DB) ControlGaps(ctx context.Context) (withoutOwner, withoutMapping []ControlRef, err error) {
	q := db.Conn(ctx, false).Table("controls AS c").Select("c.id, c.ref, c.title").Where(activeControl).Order("c.ref")
	withoutOwner, withoutMapping = []ControlRef{}, []ControlRef{}
	noOwner := "c.owner_id IS NULL OR c.owner_id IN (SELECT id FROM users WHERE disabled_at IS NOT NULL)"
	if err := q.Session(&gorm.Session{}).Where(noOwner).Scan(&withoutOwner).Error; err != nil {
		return nil, nil, err
	}
	err = q.Where("NOT EXISTS (SELECT 1 FROM control_requirements m WHERE m.control_id = c.id)").Scan(&withoutMapping).Error
	return withoutOwner, withoutMapping, err
}
