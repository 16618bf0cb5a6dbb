package engagement

import "context"

// OpinionImpact is what the conclusions mean for the opinion: the
// criteria not met (candidates for a qualification), the scope
// limitations, and whether together they are pervasive, meaning they
// affect more than the engagement's share of the applicable criteria.
type OpinionImpact struct {
	NotMet           []RequirementRollUp
	ScopeLimitations []RequirementRollUp
	EvaluationNeeded []RequirementRollUp // not concluded yet: the impact may still grow
	Applicable       int
	PervasivePercent int
	Pervasive        bool
}

// Affected is how many criteria modify the opinion.
func (o OpinionImpact) Affected() int { return len(o.NotMet) + len(o.ScopeLimitations) }

// opinionImpactOf reads the impact off the conclusions.
func opinionImpactOf(reqs []RequirementRollUp, pervasivePercent int) OpinionImpact {
	o := OpinionImpact{NotMet: []RequirementRollUp{}, ScopeLimitations: []RequirementRollUp{},
		EvaluationNeeded: []RequirementRollUp{}, PervasivePercent: pervasivePercent}
	for _, r := range reqs {
		switch r.State {
		case NotApplicable:
			continue
		case NotMet:
			o.NotMet = append(o.NotMet, r)
		case ScopeLimitation:
			o.ScopeLimitations = append(o.ScopeLimitations, r)
		case DeviationsEvaluationNeeded:
			o.EvaluationNeeded = append(o.EvaluationNeeded, r)
		}
		o.Applicable++
	}
	o.Pervasive = o.Applicable > 0 && o.Affected()*100 > pervasivePercent*o.Applicable
	return o
}

// OpinionImpact is the engagement's opinion impact as of now.
func (s *Service) OpinionImpact(ctx context.Context, id int64) (OpinionImpact, error) {
	p, err := s.Progress(ctx, id)
	if err != nil {
		return OpinionImpact{}, err
	}
	return opinionImpactOf(p.Requirements, p.PervasivePercent), nil
}
