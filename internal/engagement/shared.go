package engagement

import (
	"context"
)

// SamplesSheet names the workbook's sheet of sampled items; its second
// column is the sample's number. The results import reads it back.
const SamplesSheet = "Samples"

// RequestsSheet is the name of the workbook's request (PBC) list, which
// is also exported on its own.
const RequestsSheet = "Requests (PBC)"

// UserEmails names every user by e-mail address, for who uploaded or
// generated what.
func (s *Service) UserEmails(ctx context.Context) (map[int64]string, error) {
	users, err := s.st.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(users))
	for _, u := range users {
		out[u.ID] = u.Email
	}
	return out, nil
}

// IncludedIDs are the ids of the engagement's controls in scope.
func (s *Service) IncludedIDs(ctx context.Context, id int64) ([]int64, error) {
	scoped, err := s.Controls(ctx, id)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, c := range scoped {
		if c.Included {
			ids = append(ids, c.ID)
		}
	}
	return ids, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// RollUpOf is the requirements' roll-up and the readiness of the
// engagement d from its scope and results as the caller read them, so a
// workbook's sheets agree with one another.
func (s *Service) RollUpOf(ctx context.Context, d Detail, scoped []ScopedControl, results map[int64]Result) ([]RequirementRollUp, Readiness, error) {
	return s.rollUp(ctx, d, scoped, results)
}

// CriterionEvaluations are the engagement's evaluations by requirement.
func (s *Service) CriterionEvaluations(ctx context.Context, id int64) (map[int64]CriterionEvaluation, error) {
	return s.evaluationsOf(ctx, id)
}

// Head is the engagement itself, or a not-found error naming it.
func (s *Service) Head(ctx context.Context, id int64) (Engagement, error) {
	return s.engagement(ctx, id)
}
