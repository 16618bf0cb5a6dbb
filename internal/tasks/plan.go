package tasks

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/engagement"
)

// planned is a generated task as the program says it should be today.
type planned struct {
	key         string
	kind        string
	controlID   int64
	evidenceID  *int64
	ownerID     *int64
	title       string
	label       string
	windowStart string
	windowEnd   string
	opensOn     string
	dueOn       string
	engagements []int64
	coveredBy   *int64 // the evidence that fulfils it, if any
}

type plannedControl struct {
	ID            int64
	Ref           string
	Frequency     string
	OwnerID       *int64
	ImplementedOn *string
	Status        string
	CreatedAt     time.Time
}

type linkedEvidence struct {
	ControlID  int64
	EvidenceID int64
	Title      string
	engagement.EvidenceDates
	ExpiresOn    *string
	CreatedAt    time.Time
	FirstControl int64 // the lowest control linked: a renewal task belongs to it
}

// activeEngagement is a Type II engagement whose evidence is still being
// gathered, with the controls in its scope.
type activeEngagement struct {
	engagement.Detail
	start, end time.Time
	inScope    map[int64]bool
}

// plan works out the generated tasks of some controls (nil: all).
func (s *Service) plan(ctx context.Context, controlIDs []int64) (map[string]*planned, error) {
	q := s.db.R.WithContext(ctx)
	engagements, err := s.activeEngagements(ctx)
	if err != nil {
		return nil, err
	}
	var controls []plannedControl
	cq := q.Table("controls").Select("id, ref, frequency, owner_id, implemented_on, status, created_at")
	if controlIDs != nil {
		cq = cq.Where("id IN ?", controlIDs)
	}
	if err := cq.Order("id").Scan(&controls).Error; err != nil {
		return nil, err
	}
	evidence, err := s.linkedEvidence(q, controlIDs)
	if err != nil {
		return nil, err
	}
	out := map[string]*planned{}
	for _, c := range controls {
		ev := evidence[c.ID]
		if err := s.planOccurrences(out, c, ev, engagements); err != nil {
			return nil, err
		}
		if err := s.planRenewals(out, c, ev); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) activeEngagements(ctx context.Context) ([]activeEngagement, error) {
	var ids []int64
	err := s.db.R.WithContext(ctx).Table("engagements").
		Where("report_type = 'type2' AND status IN ?", []string{"planning", "fieldwork", "reporting"}).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, err
	}
	out := make([]activeEngagement, 0, len(ids))
	for _, id := range ids {
		d, err := s.engagements.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		in, err := s.engagements.InScope(ctx, d)
		if err != nil {
			return nil, err
		}
		start, err := engagement.Day(*d.PeriodStart)
		if err != nil {
			return nil, fmt.Errorf("engagement %d: period start: %w", id, err)
		}
		end, err := engagement.Day(*d.PeriodEnd)
		if err != nil {
			return nil, fmt.Errorf("engagement %d: period end: %w", id, err)
		}
		out = append(out, activeEngagement{Detail: d, start: start, end: end, inScope: in})
	}
	return out, nil
}

// linkedEvidence reads the live evidence of the controls, by control.
func (s *Service) linkedEvidence(q *gorm.DB, controlIDs []int64) (map[int64][]linkedEvidence, error) {
	var rows []linkedEvidence
	eq := q.Table("evidence_controls AS ec").
		Select(`ec.control_id, e.id AS evidence_id, e.title, e.covers_from, e.covers_to, e.as_of,
			e.collected_on, e.expires_on, e.created_at,
			(SELECT MIN(x.control_id) FROM evidence_controls x WHERE x.evidence_id = e.id) AS first_control`).
		Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Where("e.deleted_at IS NULL")
	if controlIDs != nil {
		eq = eq.Where("ec.control_id IN ?", controlIDs)
	}
	if err := eq.Order("ec.control_id, e.id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int64][]linkedEvidence{}
	for _, r := range rows {
		out[r.ControlID] = append(out[r.ControlID], r)
	}
	return out, nil
}

// planOccurrences adds one task per occurrence window of the control: the
// windows of every active engagement that has it in scope, and those of
// continuous monitoring from the later of its implementation date and the
// day it was recorded here (so importing an old control does not bury
// its owner in years of overdue tasks) up to the current window.
func (s *Service) planOccurrences(out map[string]*planned, c plannedControl, ev []linkedEvidence, engagements []activeEngagement) error {
	mine := map[string]*planned{}
	add := func(windows []engagement.Window, engagementID int64) {
		for _, w := range windows {
			label := w.Label
			if c.Frequency == "continuous" {
				label = w.Start.Format(time.DateOnly) + " to " + w.End.Format(time.DateOnly)
			}
			key := fmt.Sprintf("occurrence/%d/%s/%s", c.ID, c.Frequency, label)
			p := mine[key]
			if p == nil {
				p = &planned{key: key, kind: "occurrence", controlID: c.ID, ownerID: c.OwnerID, label: label,
					title:       "Upload evidence for " + c.Ref + ", " + label,
					windowStart: w.Start.Format(time.DateOnly), windowEnd: w.End.Format(time.DateOnly)}
				mine[key] = p
			}
			// A window cut by one engagement's period and whole in another
			// asks for evidence anywhere in the whole window.
			p.windowStart = min(p.windowStart, w.Start.Format(time.DateOnly))
			p.windowEnd = max(p.windowEnd, w.End.Format(time.DateOnly))
			p.dueOn = max(p.dueOn, w.End.AddDate(0, 0, s.settings.GraceDays).Format(time.DateOnly))
			if engagementID != 0 && !slices.Contains(p.engagements, engagementID) {
				p.engagements = append(p.engagements, engagementID)
			}
		}
	}
	if c.Status != "retired" {
		for _, e := range engagements {
			if !e.inScope[c.ID] {
				continue
			}
			windows, err := engagement.Windows(c.Frequency, e.start, e.end)
			if err != nil {
				return err
			}
			add(windows, e.ID)
		}
	}
	if from, ok := s.monitoringStart(c); ok {
		to := engagement.WindowEnd(c.Frequency, s.todayTime())
		if !to.Before(from) {
			windows, err := engagement.Windows(c.Frequency, from, to)
			if err != nil {
				return err
			}
			add(windows, 0)
		}
	}
	for key, p := range mine {
		out[key] = p
		p.opensOn = p.windowStart
		for _, e := range ev {
			if from, to, ok := e.Span(); ok && from <= p.windowEnd && to >= p.windowStart {
				p.coveredBy = &e.EvidenceID
				break
			}
		}
	}
	return nil
}

// monitoringStart is where continuous monitoring of an active control
// begins; false for controls not monitored by calendar (event-driven ones
// are sized by their population, continuous ones once per period).
func (s *Service) monitoringStart(c plannedControl) (time.Time, bool) {
	if c.Status != "active" || c.ImplementedOn == nil || c.Frequency == "event-driven" || c.Frequency == "continuous" {
		return time.Time{}, false
	}
	implemented, err := engagement.Day(*c.ImplementedOn)
	if err != nil {
		return time.Time{}, false
	}
	recorded := civil.Of(c.CreatedAt.In(s.settings.Location)).Time()
	if recorded.After(implemented) {
		return recorded, true
	}
	return implemented, true
}

// planRenewals adds a renewal task for each piece of the control's evidence
// that expires within the notice period (or has expired). Evidence linked
// to several controls is renewed by the owner of the first of them. The
// task is fulfilled by newer evidence on the control that expires later
// (or never).
func (s *Service) planRenewals(out map[string]*planned, c plannedControl, ev []linkedEvidence) error {
	horizon := s.todayTime().AddDate(0, 0, s.settings.RenewalDays).Format(time.DateOnly)
	for _, e := range ev {
		if e.ExpiresOn == nil || *e.ExpiresOn > horizon || e.FirstControl != c.ID {
			continue
		}
		expires, err := engagement.Day(*e.ExpiresOn)
		if err != nil {
			return fmt.Errorf("evidence %d: expiry date: %w", e.EvidenceID, err)
		}
		p := &planned{key: fmt.Sprintf("renewal/%d/%s", e.EvidenceID, *e.ExpiresOn), kind: "renewal",
			controlID: c.ID, evidenceID: &e.EvidenceID, ownerID: c.OwnerID,
			title:   fmt.Sprintf("Renew evidence for %s: “%s” expires %s", c.Ref, e.Title, *e.ExpiresOn),
			opensOn: expires.AddDate(0, 0, -s.settings.RenewalDays).Format(time.DateOnly), dueOn: *e.ExpiresOn}
		for _, n := range ev {
			if n.EvidenceID != e.EvidenceID && n.CreatedAt.After(e.CreatedAt) && (n.ExpiresOn == nil || *n.ExpiresOn > *e.ExpiresOn) {
				p.coveredBy = &n.EvidenceID
				break
			}
		}
		out[p.key] = p
	}
	return nil
}
