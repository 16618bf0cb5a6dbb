package requests

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// planned is a request generation would make, under its source key.
type planned struct {
	key   string
	input Input
}

// Generate adds the requests that follow from the engagement and are not
// there yet (nor were deleted): one population request per sampled
// control and phase, one sample-evidence request per drawn sample listing
// its items, one request for the documents, and for a Type I one
// walkthrough per control. Running it again adds only what is new.
func (s *Service) Generate(ctx context.Context, p *auth.Principal, engagementID int64) ([]Detail, error) {
	d, err := s.eng.Get(ctx, engagementID)
	if err != nil {
		return nil, err
	}
	controls, err := s.eng.Controls(ctx, engagementID)
	if err != nil {
		return nil, err
	}
	// Retired controls stay listed with the scope but are asked for nothing.
	live, err := s.eng.InScopeControlIDs(ctx, engagementID)
	if err != nil {
		return nil, err
	}
	controls = slices.DeleteFunc(controls, func(c engagement.ScopedControl) bool { return !slices.Contains(live, c.ID) })
	samples, err := s.db.EngagementSamples(ctx, engagementID)
	if err != nil {
		return nil, err
	}
	have, err := s.db.RequestSourceKeys(ctx, engagementID)
	if err != nil {
		return nil, err
	}
	var created []Detail
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		for _, pl := range plan(d, controls, samples, s.eng.GraceDays) {
			if have[pl.key] {
				continue
			}
			key := pl.key
			r, err := s.Create(ctx, p, engagementID, pl.input, &key)
			if err != nil {
				return fmt.Errorf("generating %s: %w (%v)", key, err, fieldsOf(err))
			}
			created = append(created, r)
		}
		return nil
	})
	return created, err
}

// plan lists what the engagement asks for, in a stable order.
// Due dates are grace days after what a request covers, like the owners'
// evidence tasks (--task-grace-days).
func plan(d engagement.Detail, controls []engagement.ScopedControl, samples []store.DrawnSample, grace int) []planned {
	typeI := d.ReportType == "type1"
	var out []planned
	docPhase := "interim"
	if typeI {
		docPhase = "final"
	}
	out = append(out, planned{key: "documents", input: Input{Kind: ptr("document"), Phase: ptr(docPhase),
		Description: ptr("Policies and procedures in scope, organisation chart, system description and the list of " +
			"complementary user entity controls, as in force for " + d.Name),
		DueOn: due(d, docPhase, grace)}})
	byID := map[int64]engagement.ScopedControl{}
	for _, c := range controls {
		if !c.Included {
			continue
		}
		byID[c.ID] = c
		ids := []int64{c.ID}
		owner := ptr(c.OwnerEmail)
		if typeI {
			out = append(out, planned{key: fmt.Sprintf("walkthrough/%d", c.ID), input: Input{Kind: ptr("walkthrough"),
				Phase: ptr("final"), Description: ptr("Walkthrough of " + c.Ref + " " + c.Title + ": how it operates, who performs it and the evidence it leaves"),
				OwnerEmail: owner, DueOn: due(d, "final", grace), ControlIDs: &ids}})
			continue
		}
		if c.Sample == nil && c.Frequency != "event-driven" {
			continue
		}
		for _, phase := range Phases {
			out = append(out, planned{key: fmt.Sprintf("population/%d/%s", c.ID, phase), input: Input{Kind: ptr("population"),
				Phase: ptr(phase), Description: ptr(fmt.Sprintf("Complete population of %s %s for the %s period, with the query or report that produced it", c.Ref, c.Title, phase)),
				OwnerEmail: owner, DueOn: due(d, phase, grace), ControlIDs: &ids}})
		}
	}
	for _, smp := range samples {
		c, ok := byID[smp.ControlID]
		if !ok || typeI {
			continue
		}
		items := make([]ItemRef, len(smp.Seqs))
		for i, seq := range smp.Seqs {
			items[i] = ItemRef{SampleID: smp.ID, Seq: seq}
		}
		ids := []int64{c.ID}
		phase := samplePhase(d, smp.SelectedAt)
		out = append(out, planned{key: fmt.Sprintf("sample/%d", smp.ID), input: Input{Kind: ptr("sample_evidence"),
			Phase: ptr(phase), Description: ptr(fmt.Sprintf("Evidence for the %d items selected for %s %s", len(items), c.Ref, c.Title)),
			OwnerEmail: ptr(c.OwnerEmail), DueOn: dueAfter(smp.SelectedAt, grace), ControlIDs: &ids, SampleItems: &items}})
	}
	return out
}

// due is when a phase's request falls due: the interim half-way through a
// Type II period, the final at its end (a Type I's as-of date), plus the
// grace days.
func due(d engagement.Detail, phase string, grace int) *string {
	if d.ReportType == "type1" {
		if d.AsOf == nil {
			return nil
		}
		return after(*d.AsOf, *d.AsOf, 1, grace)
	}
	if d.PeriodStart == nil || d.PeriodEnd == nil {
		return nil
	}
	if phase == "interim" {
		return after(*d.PeriodStart, *d.PeriodEnd, 2, grace)
	}
	return after(*d.PeriodEnd, *d.PeriodEnd, 1, grace)
}

// after is grace days after the day 1/part of the way from start to end;
// nil if either is not a date (the engagement has checked they are).
func after(start, end string, part, grace int) *string {
	s, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return nil
	}
	e, err := time.Parse(time.DateOnly, end)
	if err != nil {
		return nil
	}
	day := s.Add(e.Sub(s) / time.Duration(part))
	return ptr(day.AddDate(0, 0, grace).Format(time.DateOnly))
}

// samplePhase is interim for a sample drawn before the period ended.
func samplePhase(d engagement.Detail, selected time.Time) string {
	if d.PeriodEnd != nil && selected.Format(time.DateOnly) <= *d.PeriodEnd {
		return "interim"
	}
	return "final"
}

func dueAfter(t time.Time, grace int) *string {
	return ptr(t.AddDate(0, 0, grace).Format(time.DateOnly))
}

func ptr(s string) *string { return &s }

func fieldsOf(err error) map[string]string {
	if e, ok := apperr.As(err); ok {
		return e.Fields
	}
	return nil
}
