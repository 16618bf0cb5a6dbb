package dashboard

import (
	"context"

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
	d.Gaps.WithoutOwner, d.Gaps.WithoutMapping, err = s.db.ControlGaps(ctx)
	return err
}
