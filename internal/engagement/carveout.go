package engagement

import (
	"context"
	"strings"
)

// carveOutInputs is, per requirement ("framework/ref"), what the carved-out
// subservice organisations of the engagement contribute to its
// conclusion: an organisation presented carve-out whose CSOCs name the
// requirement carves it out; its monitoring control must be in scope and
// effective. socmap records no review of a subservice organisation's own
// SOC report yet, so no review is current: a carved-out criterion is not
// "addressed by the subservice organisation" until one can be recorded,
// and meanwhile asks for an evaluation like any other deviation.
func (s *Service) carveOutInputs(ctx context.Context, id int64, outcomes map[int64]ControlOutcome) (map[string]CarveOut, error) {
	_, subs, err := s.complementaryIn(s.db.R.WithContext(ctx), id)
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
		for _, c := range sub.CSOCs {
			for _, req := range strings.Split(c.Requirements, ",") {
				if req = strings.TrimSpace(req); req != "" {
					prev := out[req]
					out[req] = CarveOut{Carved: true, CSOCsMapped: true,
						MonitoringEffective: monitored && (!prev.Carved || prev.MonitoringEffective)}
				}
			}
		}
	}
	return out, nil
}
