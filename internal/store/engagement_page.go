package store

import (
	"context"

	"gorm.io/gorm"
)

// EngagementFilter selects a page of engagements; zero values select all.
type EngagementFilter struct {
	// GrantedTo limits the engagements to those an auditor was granted.
	GrantedTo int64
	Status    string
	// Text matches the name, case-insensitively.
	Text   string
	Limit  int
	Offset int
}

// EngagementsPage lists one page of the engagements f selects, the newest
// first, and how many it selects in all.
func (db *DB) EngagementsPage(ctx context.Context, f EngagementFilter) ([]Engagement, int64, error) {
	var total int64
	if err := db.engagementsWhere(ctx, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Engagement
	err := db.engagementsWhere(ctx, f).Order("id DESC").Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, total, err
}

func (db *DB) engagementsWhere(ctx context.Context, f EngagementFilter) *gorm.DB {
	q := db.Conn(ctx, false).Model(&Engagement{})
	if f.GrantedTo != 0 {
		q = q.Where("id IN (SELECT engagement_id FROM engagement_auditors WHERE user_id = ?)", f.GrantedTo)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Text != "" {
		q = q.Where(`LOWER(name) LIKE ? ESCAPE '\'`, LikePattern(f.Text))
	}
	return q
}
