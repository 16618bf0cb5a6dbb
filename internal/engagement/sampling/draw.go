package sampling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/period"
	"github.com/socmap/socmap/internal/store"
)

// DrawInput is a request for a first draw from a population.
type DrawInput struct {
	PopulationID *int64 // nil: the current population not sampled yet
	Seed         *uint64
	Size         *int // nil: the size the engagement's policy requires
	Attributes   []string
}

// DrawSample selects items from one of the control's current populations.
// Without a seed one is drawn at random and recorded; without a size the
// policy's is used. The size the policy required is kept with the sample,
// so a later change of the table never resizes it.
func (s *Service) DrawSample(ctx context.Context, id, controlID, userID int64, in DrawInput) (store.Sample, error) {
	var out store.Sample
	attrs, err := engagement.CleanAttributes(in.Attributes)
	if err != nil {
		return out, err
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.eng.Find(ctx, id)
		if err != nil {
			return err
		}
		pops, err := s.eng.CurrentPopulations(ctx, e, controlID)
		if err != nil {
			return err
		}
		pop, err := s.populationToDraw(ctx, pops, in.PopulationID)
		if err != nil {
			return err
		}
		req, err := s.requiredFor(ctx, e, controlID, pop, pops)
		if err != nil {
			return err
		}
		n := req.Size
		if in.Size != nil {
			if *in.Size < 1 || *in.Size > pop.ItemCount {
				return apperr.Invalid("the sample size must be between 1 and the population size",
					map[string]string{"size": fmt.Sprintf("1 to %d", pop.ItemCount)})
			}
			n = *in.Size
		}
		sd := engagement.RandomSeed()
		if in.Seed != nil {
			sd = *in.Seed
		}
		attrJSON, err := json.Marshal(attrs)
		if err != nil {
			return err
		}
		out = store.Sample{EngagementID: id, ControlID: controlID, PopulationID: pop.ID, Seed: strconv.FormatUint(sd, 10),
			Method: period.SelectionMethod, Size: n, RequiredSize: req.Size, Risk: string(req.Risk), SizeReason: req.Reason,
			Attributes: string(attrJSON), SelectedBy: &userID, SelectedAt: s.now()}
		if err := s.eng.SaveDraw(ctx, &out, period.Select(pop.ItemCount, n, sd)); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.sample", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"control_id": controlID,
				"sample_id": out.ID, "population_id": pop.ID, "seed": out.Seed, "size": n, "required": req.Size,
				"risk": out.Risk, "method": out.Method})})
	})
	return out, err
}

// populationToDraw picks the population a first draw is taken from.
func (s *Service) populationToDraw(ctx context.Context, pops []store.Population, want *int64) (store.Population, error) {
	if len(pops) == 0 {
		return store.Population{}, apperr.Invalid("upload the control's population first", map[string]string{"population": "none uploaded"})
	}
	for _, p := range pops {
		if want != nil && p.ID != *want {
			continue
		}
		first, drawn, err := s.st.FirstDrawFrom(ctx, p.ID)
		switch {
		case err != nil:
			return p, err
		case drawn && want != nil:
			return p, apperr.Invalid("the population already has a sample: extend it instead",
				map[string]string{"population_id": fmt.Sprintf("sample %d was drawn from population %d", first.ID, p.ID)})
		case drawn:
			continue
		case p.ItemCount == 0:
			return p, apperr.Invalid("the population is empty: there is nothing to sample",
				map[string]string{"population": "conclude that the control did not need to operate, relying on the completeness evidence"})
		}
		return p, nil
	}
	if want != nil {
		return store.Population{}, apperr.Invalid("not one of the control's current populations",
			map[string]string{"population_id": fmt.Sprintf("population %d is not current for this control", *want)})
	}
	return store.Population{}, apperr.Invalid("every current population already has a sample: extend it instead, or upload a new population",
		map[string]string{"population": "already sampled"})
}

// requiredFor is the size the engagement's policy requires of a first draw
// from pop: the period's size for a whole-period population; for an
// interim its share of the period's, estimated from its count; for a
// remainder what the interim did not cover.
func (s *Service) requiredFor(ctx context.Context, e engagement.Engagement, controlID int64, pop store.Population, pops []store.Population) (period.Requirement, error) {
	policy, err := s.eng.PolicyOf(e)
	if err != nil {
		return period.Requirement{}, err
	}
	sc, err := s.eng.ScopedControlOf(ctx, e.ID, controlID)
	if err != nil {
		return period.Requirement{}, err
	}
	r, err := s.st.ResultOf(ctx, e.ID, controlID)
	if err != nil {
		return period.Requirement{}, err
	}
	ctl, risk := period.Control{Frequency: sc.Frequency, Nature: sc.Nature}, period.Risk(r.SampleRisk)
	size := func(count int) (period.Requirement, error) {
		req, err := policy.Required(ctl, risk, len(sc.Windows), count)
		if err != nil {
			return req, apperr.Invalid(err.Error(), nil)
		}
		return req, nil
	}
	from, to := coversOf(pop, e)
	days, periodDays := daysBetween(from, to), daysBetween(*e.PeriodStart, *e.PeriodEnd)
	switch pop.Phase {
	case period.Interim:
		req, err := size(period.InterimCount(pop.ItemCount, days, periodDays))
		req.Size = period.InterimSize(req.Size, pop.ItemCount, days, periodDays)
		req.Reason = fmt.Sprintf("%s; interim of %d of %d days: sample %d", req.Reason, days, periodDays, req.Size)
		return req, err
	case period.Remainder:
		total, interim := pop.ItemCount, 0
		for _, p := range pops {
			if p.Phase == period.Interim {
				total += p.ItemCount
				drawn, err := s.st.RequiredDrawnFrom(ctx, p.ID)
				if err != nil {
					return period.Requirement{}, err
				}
				interim += drawn
			}
		}
		req, err := size(total)
		req.Size = period.RemainderSize(req.Size, interim, pop.ItemCount)
		req.Reason = fmt.Sprintf("%s; %d drawn at interim: remainder sample %d", req.Reason, interim, req.Size)
		return req, err
	}
	return size(pop.ItemCount)
}

func daysBetween(from, to string) int {
	f, err1 := engagement.Day(from)
	t, err2 := engagement.Day(to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(t.Sub(f).Hours()/24) + 1
}

// ExtendSample draws n more items for a sample, typically after a
// deviation, from the items of its population not yet selected by it or
// any of its extensions, with its own seed: an extension never re-picks
// an item, tested or not.
func (s *Service) ExtendSample(ctx context.Context, id, sampleID, userID int64, n int, seed *uint64, reason string) (store.Sample, error) {
	var out store.Sample
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 2000 {
		return out, apperr.Invalid("the reason is too long", map[string]string{"reason": "at most 2000 characters"})
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		first, err := s.firstDraw(ctx, id, sampleID)
		if err != nil {
			return err
		}
		if first.Retest() {
			return apperr.Invalid("a retest covers only the rest of the period after the remediation: draw another retest instead",
				map[string]string{"sample": fmt.Sprintf("sample %d is a retest", first.ID)})
		}
		pop, err := s.currentPopulationOf(ctx, first)
		if err != nil {
			return err
		}
		taken, err := s.st.SeqsSelectedWith(ctx, first.ID)
		if err != nil {
			return err
		}
		left := pop.ItemCount - len(taken)
		if left == 0 {
			return apperr.Invalid("every item of the population is already in the sample", map[string]string{"size": "nothing left to draw"})
		}
		if n < 1 || n > left {
			return apperr.Invalid("the extension's size must be between 1 and the items not yet selected",
				map[string]string{"size": fmt.Sprintf("1 to %d", left)})
		}
		for i := range taken {
			taken[i]-- // seqs are 1-based, selection indices 0-based
		}
		sd := engagement.RandomSeed()
		if seed != nil {
			sd = *seed
		}
		why := fmt.Sprintf("extension of sample %d", first.ID)
		if reason != "" {
			why += ": " + reason
		}
		out = store.Sample{EngagementID: id, ControlID: first.ControlID, PopulationID: first.PopulationID, ExtendsID: &first.ID,
			Seed: strconv.FormatUint(sd, 10), Method: period.SelectionMethod, Size: n, RequiredSize: n, Risk: first.Risk,
			SizeReason: why, Attributes: first.Attributes, SelectedBy: &userID, SelectedAt: s.now()}
		if err := s.eng.SaveDraw(ctx, &out, period.Extend(pop.ItemCount, taken, n, sd)); err != nil {
			return err
		}
		return auditlog.AppendIn(ctx, s.st, auditlog.Event{Action: "engagement.sample_extension", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: auditlog.Diff(nil, map[string]any{"control_id": first.ControlID,
				"sample_id": out.ID, "extends": first.ID, "seed": out.Seed, "size": n, "reason": reason})})
	})
	return out, err
}

// firstDraw is the first draw a sample is, or extends.
func (s *Service) firstDraw(ctx context.Context, id, sampleID int64) (store.Sample, error) {
	smp, err := s.st.SampleIn(ctx, id, sampleID)
	if errors.Is(err, store.ErrNotFound) {
		return smp, apperr.NotFound("sample %d not found in engagement %d", sampleID, id)
	} else if err != nil || smp.ExtendsID == nil {
		return smp, err
	}
	return s.st.SampleByID(ctx, *smp.ExtendsID)
}

// currentPopulationOf refuses to extend a sample of a superseded population.
func (s *Service) currentPopulationOf(ctx context.Context, smp store.Sample) (store.Population, error) {
	e, err := s.eng.Find(ctx, smp.EngagementID)
	if err != nil {
		return store.Population{}, err
	}
	pops, err := s.eng.CurrentPopulations(ctx, e, smp.ControlID)
	if err != nil {
		return store.Population{}, err
	}
	for _, p := range pops {
		if p.ID == smp.PopulationID {
			return p, nil
		}
	}
	return store.Population{}, apperr.Invalid("the sample's population was replaced by a newer upload: draw from the new one",
		map[string]string{"sample": fmt.Sprintf("population %d is no longer current", smp.PopulationID)})
}
