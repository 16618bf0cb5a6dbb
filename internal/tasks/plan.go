package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/socmap/socmap/internal/civil"
	controlspkg "github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
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

// plannedControl is a control as the planner reads it.
type plannedControl struct {
	store.Control
	operation period.Control
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
// gathered, with the controls in its scope and what its windows follow.
type activeEngagement struct {
	engagement.Detail
	occurrences *engagement.Occurrences
	inScope     map[int64]bool
}

// plan works out the generated tasks of some controls (nil: all).
func (s *Service) plan(ctx context.Context, controlIDs []int64) (map[string]*planned, error) {
	engagements, err := s.activeEngagements(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.ControlsToPlan(ctx, controlIDs)
	if err != nil {
		return nil, err
	}
	controls := make([]plannedControl, len(rows))
	for i, c := range rows {
		controls[i].Control = c
		if controls[i].operation, err = controlspkg.OperationOf(c); err != nil {
			return nil, fmt.Errorf("control %s: %w", c.Ref, err)
		}
	}
	evidence, err := s.linkedEvidence(ctx, controlIDs)
	if err != nil {
		return nil, err
	}
	cal, err := s.engagements.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]*planned{}
	for _, c := range controls {
		ev := evidence[c.ID]
		if err := s.planOccurrences(out, c, ev, engagements, cal); err != nil {
			return nil, err
		}
		if err := s.planRenewals(out, c, ev); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) activeEngagements(ctx context.Context) ([]activeEngagement, error) {
	ids, err := s.db.EngagementsGatheringEvidence(ctx)
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
		occ, err := s.engagements.OccurrencesOf(ctx, d, civil.Of(s.now().In(s.settings.Location)))
		if err != nil {
			return nil, fmt.Errorf("engagement %d: %w", id, err)
		}
		out = append(out, activeEngagement{Detail: d, occurrences: occ, inScope: in})
	}
	return out, nil
}

// linkedEvidence reads the live evidence of the controls, by control.
func (s *Service) linkedEvidence(ctx context.Context, controlIDs []int64) (map[int64][]linkedEvidence, error) {
	rows, err := s.db.LinkedEvidenceOf(ctx, controlIDs)
	if err != nil {
		return nil, err
	}
	out := map[int64][]linkedEvidence{}
	for _, r := range rows {
		out[r.ControlID] = append(out[r.ControlID], linkedEvidence{ControlID: r.ControlID, EvidenceID: r.EvidenceID,
			Title: r.Title, EvidenceDates: engagement.EvidenceDates{CoversFrom: r.CoversFrom, CoversTo: r.CoversTo,
				AsOf: r.AsOf, CollectedOn: r.CollectedOn},
			ExpiresOn: r.ExpiresOn, CreatedAt: r.CreatedAt, FirstControl: r.FirstControl})
	}
	return out, nil
}

// planOccurrences adds the control's tasks for its expected occurrence
// windows (see occurrences.go).
func (s *Service) planOccurrences(out map[string]*planned, c plannedControl, ev []linkedEvidence, engagements []activeEngagement, cal period.Calendar) error {
	today := civil.Of(s.now().In(s.settings.Location))
	o, err := newOccurrencePlan(c, ev, s.settings.GraceDays, today, s.settings.LookAheadDays, cal)
	if err != nil {
		return err
	}
	if c.Status != "retired" || c.RetiredOn != nil {
		for _, e := range engagements {
			if !e.inScope[c.ID] || e.occurrences == nil {
				continue
			}
			windows, err := e.occurrences.Windows(c.ID, c.operation, o.dated)
			if err != nil {
				return fmt.Errorf("control %s: %w", c.Ref, err)
			}
			o.addEngagement(windows, e.ID, e.occurrences.Period())
		}
	}
	if from, ok := s.monitoringStart(c); ok {
		if err := o.addMonitoring(from, today); err != nil {
			return fmt.Errorf("control %s: %w", c.Ref, err)
		}
	}
	o.finish(out)
	return nil
}

// monitoringStart is where continuous monitoring of an active control
// begins; false for controls not monitored by windows (event-driven and
// continuous ones are sized by their population, automated ones tested
// once per period).
func (s *Service) monitoringStart(c plannedControl) (civil.Date, bool) {
	if c.Status != "active" || c.ImplementedOn == nil || c.operation.Basis() != period.ByWindows {
		return civil.Date{}, false
	}
	implemented, err := civil.Parse(*c.ImplementedOn)
	if err != nil {
		return civil.Date{}, false
	}
	recorded := civil.Of(c.CreatedAt.In(s.settings.Location))
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
