package engagement

import (
	"context"
	"strings"

	"github.com/socmap/socmap/internal/store"
)

// carveOutInputs is, per requirement ("framework/ref"), what the carved-out
// subservice organisations of the engagement contribute to its
// conclusion. An organisation presented carve-out whose CSOCs name the
// requirement carves it out; the requirement is addressed by it only when
// our monitoring control of it is in scope and effective (outcomes holds
// the in-scope controls) and a current review of its own SOC report is
// recorded for this engagement (ReviewStanding). Where several
// organisations carve out one requirement, every one of them must hold.
func (s *Service) carveOutInputs(ctx context.Context, id int64, outcomes map[int64]ControlOutcome) (map[string]CarveOut, error) {
	_, subs, err := s.st.ComplementaryOf(ctx, id)
	if err != nil {
		return nil, err
	}
	standings, err := s.Standings(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[string]CarveOut{}
	for _, sub := range subs {
		if sub.Method != "carve-out" {
			continue
		}
		monitored := false
		if sub.MonitoringControlID != nil {
			o, ok := outcomes[*sub.MonitoringControlID]
			monitored = ok && o.Outcome == OutcomeOK
		}
		current := standings[sub.ID].State == ReviewCurrent
		for _, req := range carvedRequirements(sub) {
			prev := out[req]
			first := !prev.Carved
			out[req] = CarveOut{Carved: true, CSOCsMapped: true,
				MonitoringEffective: monitored && (first || prev.MonitoringEffective),
				ReviewCurrent:       current && (first || prev.ReviewCurrent)}
		}
	}
	return out, nil
}

// carvedRequirements is every requirement the organisation's CSOCs name,
// once each.
func carvedRequirements(sub store.Subservice) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range sub.CSOCs {
		for _, req := range strings.Split(c.Requirements, ",") {
			if req = strings.TrimSpace(req); req != "" && !seen[req] {
				seen[req] = true
				out = append(out, req)
			}
		}
	}
	return out
}
