package engagement

import (
	"context"
	"fmt"
	"slices"
)

// active is whether an engagement's work is still going on: its windows
// are what the report will rest on.
func active(e Engagement) bool {
	return e.ReportType == "type2" && !slices.Contains([]string{"issued", "closed"}, e.Status)
}

// WindowFilledBy names the first occurrence window of an active Type II
// engagement that the evidence covers, or "" when it fills none: deleting
// such evidence takes a reason.
func (s *Service) WindowFilledBy(ctx context.Context, evidenceID int64) (string, error) {
	all, err := s.List(ctx, 0)
	if err != nil {
		return "", err
	}
	for _, e := range all {
		if !active(e) {
			continue
		}
		controls, err := s.Controls(ctx, e.ID)
		if err != nil {
			return "", err
		}
		for _, c := range controls {
			if !c.Included {
				continue
			}
			for _, w := range c.Windows {
				if slices.Contains(w.Evidence, evidenceID) {
					return fmt.Sprintf("the window %s of %s in the engagement %q", w.Label, c.Ref, e.Name), nil
				}
			}
		}
	}
	return "", nil
}
