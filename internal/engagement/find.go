package engagement

import (
	"context"
	"time"
)

// Find returns an engagement, or a not-found error naming it: what the
// sub-domains (sampling, results …) start every change of an engagement
// with.
func (s *Service) Find(ctx context.Context, id int64) (Engagement, error) {
	return s.engagement(ctx, id)
}

// Now is the service's clock, which the sub-domains share so a test that
// sets it (SetClock) sets it for them too.
func (s *Service) Now() time.Time { return s.now() }
