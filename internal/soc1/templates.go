package soc1

import (
	"context"
	"slices"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Templates returns every current objective template in catalog order,
// each with its suggested control activities.
func (s *Service) Templates(ctx context.Context) ([]Template, error) {
	reqs, _, err := s.db.ListRequirements(ctx, store.RequirementFilter{FrameworkID: store.SOC1Templates, Limit: -1})
	if err != nil {
		return nil, err
	}
	acts, err := s.db.ListActivities(ctx, store.SOC1Templates, nil)
	if err != nil {
		return nil, err
	}
	out := make([]Template, len(reqs))
	for i, r := range reqs {
		out[i] = Template{Requirement: r, Activities: activitiesOf(acts, r.Ref)}
	}
	return out, nil
}

func activitiesOf(acts []store.TemplateActivity, ref string) []store.TemplateActivity {
	out := []store.TemplateActivity{}
	for _, a := range acts {
		if a.RequirementRef == ref {
			out = append(out, a)
		}
	}
	return out
}

// Industries returns the industries the templates are written for.
func (s *Service) Industries(ctx context.Context) ([]store.Industry, error) {
	return s.db.ListIndustries(ctx, store.SOC1Templates)
}

// Objective is one of the organisation's objectives, what became of the
// template it was written from, and the control activities suggested
// beneath it (its template's, or those of the templates that replaced it).
type Objective struct {
	store.Requirement
	Template   *TemplateState
	Activities []store.TemplateActivity
}

// TemplateState says whether an objective's template is still in the
// catalog, or which current templates took its place.
type TemplateState struct {
	Ref        string
	Current    bool
	ReplacedBy []string
}

// Objectives lists the organisation's objectives in their order.
func (s *Service) Objectives(ctx context.Context) ([]Objective, error) {
	own, err := s.db.ListObjectives(ctx)
	if err != nil {
		return nil, err
	}
	templates, err := s.Templates(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Objective, len(own))
	for i, r := range own {
		out[i] = describe(r, templates)
	}
	return out, nil
}

// Objective returns one of the organisation's objectives, described as in
// Objectives.
func (s *Service) Objective(ctx context.Context, ref string) (Objective, error) {
	all, err := s.Objectives(ctx)
	if err != nil {
		return Objective{}, err
	}
	for _, o := range all { // an organisation has tens of objectives, not thousands
		if o.Ref == ref {
			return o, nil
		}
	}
	return Objective{}, apperr.NotFound("objective %s not found", ref)
}

func describe(r store.Requirement, templates []Template) Objective {
	o := Objective{Requirement: r, Activities: []store.TemplateActivity{}}
	if r.TemplateRef == "" {
		return o
	}
	o.Template = &TemplateState{Ref: r.TemplateRef, ReplacedBy: []string{}}
	for _, t := range templates {
		switch {
		case t.Ref == r.TemplateRef:
			o.Template.Current = true
			o.Activities = append(o.Activities, t.Activities...)
		case slices.Contains(t.Replaces, r.TemplateRef):
			o.Template.ReplacedBy = append(o.Template.ReplacedBy, t.Ref)
			o.Activities = append(o.Activities, t.Activities...)
		}
	}
	return o
}

// Propose returns the complete objective set for the industries named, or
// for those the scoping assistant's service answers point to.
func (s *Service) Propose(ctx context.Context, industries, services []string) (Proposal, error) {
	all, err := s.Industries(ctx)
	if err != nil {
		return Proposal{}, err
	}
	var picked []store.Industry
	var unknown []string
	for _, code := range industries {
		i := slices.IndexFunc(all, func(ind store.Industry) bool { return ind.Code == code })
		if i < 0 {
			unknown = append(unknown, code)
			continue
		}
		picked = appendIndustry(picked, all[i])
	}
	if len(unknown) > 0 {
		return Proposal{}, apperr.Invalid("unknown industry", map[string]string{
			"industries": strings.Join(unknown, ", ") + ": not an industry of the SOC 1 templates"})
	}
	for _, ind := range all {
		if slices.ContainsFunc(services, func(s string) bool { return slices.Contains(ind.Services, s) }) {
			picked = appendIndustry(picked, ind)
		}
	}
	if len(picked) == 0 {
		field, msg := "industries", "name at least one industry"
		if len(services) > 0 {
			field, msg = "services", "none of these services has a SOC 1 objective set: name an industry instead"
		}
		return Proposal{}, apperr.Invalid("no industry to propose objectives for", map[string]string{field: msg})
	}
	templates, err := s.Templates(ctx)
	if err != nil {
		return Proposal{}, err
	}
	existing, err := s.db.ListObjectives(ctx)
	if err != nil {
		return Proposal{}, err
	}
	return propose(picked, templates, existing), nil
}

func appendIndustry(list []store.Industry, ind store.Industry) []store.Industry {
	if slices.ContainsFunc(list, func(x store.Industry) bool { return x.Code == ind.Code }) {
		return list
	}
	return append(list, ind)
}
