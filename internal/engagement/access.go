package engagement

import (
	"context"
	"errors"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// ControlInScope reports whether a control is in the engagement's scope and
// not retired: what a granted auditor may open of the engagement.
func (s *Service) ControlInScope(ctx context.Context, id, controlID int64) (bool, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return false, err
	}
	return s.st.ControlInScopeOf(ctx, reportedOn(d), controlID)
}

// EvidenceInScope reports whether live evidence is linked to at least one
// control in the engagement's scope, or was handed over for one of its
// requests, so that an auditor of the engagement may download it.
func (s *Service) EvidenceInScope(ctx context.Context, id, evidenceID int64) (bool, error) {
	if attached, err := s.st.EvidenceAttachedInEngagement(ctx, id, evidenceID); err != nil || attached {
		return attached, err
	}
	ids, err := s.inScopeIDs(ctx, id)
	if err != nil || len(ids) == 0 {
		return false, err
	}
	return s.st.EvidenceLinkedToAny(ctx, evidenceID, ids)
}

// inScopeIDs lists the engagement's in-scope controls that are not retired.
func (s *Service) inScopeIDs(ctx context.Context, id int64) ([]int64, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	in, err := s.InScope(ctx, d)
	if err != nil {
		return nil, err
	}
	var candidates []int64
	for cid, ok := range in {
		if ok {
			candidates = append(candidates, cid)
		}
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	return s.st.LiveControlIDs(ctx, candidates)
}

// InScopeControlIDs lists the engagement's in-scope controls that are not
// retired, in ID order.
func (s *Service) InScopeControlIDs(ctx context.Context, id int64) ([]int64, error) {
	return s.inScopeIDs(ctx, id)
}

// TestedByServiceAuditor reports whether the auditors granted the
// engagement test it (rather than management, for readiness).
func (s *Service) TestedByServiceAuditor(ctx context.Context, id int64) (bool, error) {
	e, err := s.st.EngagementHead(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, apperr.NotFound("engagement %d not found", id)
	}
	if err != nil {
		return false, err
	}
	return Engagement(e).ServiceAuditorTests(), nil
}
