package tasks

import (
	"context"
	"fmt"

	"github.com/socmap/socmap/internal/store"
)

// owedRequests is, per user, the lines of their digest for the auditors'
// requests they have to answer, and their addresses.
func (s *Service) owedRequests(ctx context.Context) (map[int64][]string, map[int64]string, error) {
	rows, err := s.db.OwedRequests(ctx)
	if err != nil {
		return nil, nil, err
	}
	lines, emails := map[int64][]string{}, map[int64]string{}
	for _, r := range rows {
		line := fmt.Sprintf("- %s %s (%s", r.Engagement, store.RequestRef(r.Number), r.Status)
		if r.Status == "returned" {
			line = fmt.Sprintf("- %s %s (returned by the auditor", r.Engagement, store.RequestRef(r.Number))
		}
		if r.DueOn != nil {
			line += ", due " + *r.DueOn
		}
		lines[r.UserID] = append(lines[r.UserID], line+")")
		emails[r.UserID] = r.Email
	}
	return lines, emails, nil
}
