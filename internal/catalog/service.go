package catalog

import (
	"context"
	"errors"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Reader is what answering catalog questions needs from the store.
type Reader interface {
	ListFrameworks(ctx context.Context) ([]store.FrameworkSummary, error)
	ListRequirements(ctx context.Context, f store.RequirementFilter) ([]store.Requirement, int64, error)
	GetRequirement(ctx context.Context, frameworkID, ref string) (store.Requirement, error)
	GetIndustry(ctx context.Context, frameworkID, code string) (store.Industry, error)
	ListIndustries(ctx context.Context, frameworkID string) ([]store.Industry, error)
	ListActivities(ctx context.Context, frameworkID string, refs []string) ([]store.TemplateActivity, error)
}

// Service answers questions about the loaded catalogs.
type Service struct{ db Reader }

func NewService(db Reader) *Service { return &Service{db: db} }

// Frameworks lists every loaded framework with its categories.
func (s *Service) Frameworks(ctx context.Context) ([]store.FrameworkSummary, error) {
	return s.db.ListFrameworks(ctx)
}

// Requirements lists one page of a framework's requirements. An unknown
// framework is not found; an unknown category is a bad request.
func (s *Service) Requirements(ctx context.Context, f store.RequirementFilter) ([]store.Requirement, int64, error) {
	fw, err := s.framework(ctx, f.FrameworkID)
	if err != nil {
		return nil, 0, err
	}
	if f.Category != "" && !hasCategory(fw, f.Category) {
		return nil, 0, apperr.Invalid("unknown category for this framework",
			map[string]string{"category": "must be one of the framework's category codes"})
	}
	if f.Industry != "" {
		if _, err := s.db.GetIndustry(ctx, f.FrameworkID, f.Industry); errors.Is(err, store.ErrNotFound) {
			return nil, 0, apperr.Invalid("unknown industry for this framework",
				map[string]string{"industry": "must be one of the framework's industry codes"})
		} else if err != nil {
			return nil, 0, err
		}
	}
	return s.db.ListRequirements(ctx, f)
}

// Industries lists the industries a framework's templates are written for
// (none for the SOC 2 criteria).
func (s *Service) Industries(ctx context.Context, frameworkID string) ([]store.Industry, error) {
	if _, err := s.framework(ctx, frameworkID); err != nil {
		return nil, err
	}
	return s.db.ListIndustries(ctx, frameworkID)
}

// Activities lists the control activities suggested beneath the given
// requirements of a framework.
func (s *Service) Activities(ctx context.Context, frameworkID string, refs []string) ([]store.TemplateActivity, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	return s.db.ListActivities(ctx, frameworkID, refs)
}

// Requirement returns one requirement by framework and reference.
func (s *Service) Requirement(ctx context.Context, frameworkID, ref string) (store.Requirement, error) {
	if _, err := s.framework(ctx, frameworkID); err != nil {
		return store.Requirement{}, err
	}
	r, err := s.db.GetRequirement(ctx, frameworkID, ref)
	if errors.Is(err, store.ErrNotFound) {
		return r, apperr.NotFound("requirement %q not found in framework %q", ref, frameworkID)
	}
	return r, err
}

func (s *Service) framework(ctx context.Context, id string) (store.FrameworkSummary, error) {
	fws, err := s.db.ListFrameworks(ctx)
	if err != nil {
		return store.FrameworkSummary{}, err
	}
	for _, fw := range fws {
		if fw.ID == id {
			return fw, nil
		}
	}
	return store.FrameworkSummary{}, apperr.NotFound("framework %q not found", id)
}

func hasCategory(fw store.FrameworkSummary, code string) bool {
	for _, c := range fw.Categories {
		if c.Code == code {
			return true
		}
	}
	return false
}
