package dashboard

import (
	"context"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/coverage"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/tasks"
)

// ownerTasks counts overdue and due tasks per owner (of one engagement, or
// all with 0), owners with the most overdue first.
func (s *Service) ownerTasks(ctx context.Context, engagementID int64) ([]OwnerTasks, error) {
	counts, err := s.tasks.Counts(ctx, tasks.Filter{EngagementID: engagementID, States: []string{"overdue", "due"}})
	out := []OwnerTasks{}
	for _, c := range counts {
		out = append(out, OwnerTasks{OwnerID: c.OwnerID, OwnerEmail: c.OwnerEmail, Overdue: c.States["overdue"], Due: c.States["due"]})
	}
	return out, err
}

// openExceptions are the engagements' exceptions management has not
// responded to yet.
func (s *Service) openExceptions(ctx context.Context, engagementIDs []int64) ([]Exception, error) {
	out := []Exception{}
	err := s.db.R.WithContext(ctx).Table("engagement_exceptions AS x").
		Select("x.id, x.engagement_id, x.control_id, c.ref AS control_ref, x.description").
		Joins("JOIN controls c ON c.id = x.control_id").
		Where("x.engagement_id IN ? AND x.management_response = ''", engagementIDs).
		Order("x.id").Scan(&out).Error
	return out, err
}

// fillProgram adds what is true of the whole programme: expiring evidence
// and the controls without an owner, a mapping or evidence.
func (s *Service) fillProgram(ctx context.Context, d *Dashboard) error {
	today, err := engagement.Day(d.Today)
	if err != nil {
		return err
	}
	expiring, err := coverage.ExpiringEvidence(ctx, s.db, today, expiringDays)
	if err != nil {
		return err
	}
	d.Expiring = make([]Evidence, len(expiring))
	for i, e := range expiring {
		d.Expiring[i] = Evidence{ID: e.ID, Title: e.Title, ExpiresOn: e.ExpiresOn, Expired: e.Expired}
	}
	without, err := coverage.WithoutEvidence(ctx, s.db)
	if err != nil {
		return err
	}
	d.Gaps.WithoutEvidence = make([]ControlRef, len(without))
	for i, c := range without {
		d.Gaps.WithoutEvidence[i] = ControlRef{ID: c.ID, Ref: c.Ref, Title: c.Title}
	}
	q := s.db.R.WithContext(ctx).Table("controls AS c").Select("c.id, c.ref, c.title").Where("c.status <> 'retired'").Order("c.ref")
	d.Gaps.WithoutOwner, d.Gaps.WithoutMapping = []ControlRef{}, []ControlRef{}
	// A disabled user owns nothing any more: their controls need a new owner.
	noOwner := "c.owner_id IS NULL OR c.owner_id IN (SELECT id FROM users WHERE disabled_at IS NOT NULL)"
	if err := q.Session(&gorm.Session{}).Where(noOwner).Scan(&d.Gaps.WithoutOwner).Error; err != nil {
		return err
	}
	return q.Where("NOT EXISTS (SELECT 1 FROM control_requirements m WHERE m.control_id = c.id)").Scan(&d.Gaps.WithoutMapping).Error
}
