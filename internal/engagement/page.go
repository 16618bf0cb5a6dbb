package engagement

import (
	"context"

	"github.com/socmap/socmap/internal/store"
)

// Page returns one page of the engagements f selects, the newest first,
// and how many it selects in all.
func (s *Service) Page(ctx context.Context, f store.EngagementFilter) ([]Engagement, int64, error) {
	rows, total, err := s.st.EngagementsPage(ctx, f)
	out := make([]Engagement, len(rows))
	for i, e := range rows {
		out[i] = Engagement(e)
	}
	return out, total, err
}
