package engagement

import (
	"context"
	"fmt"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/period"
)

// checkResult sets a Type II result's n of m from the control's samples
// and refuses a conclusion they do not support.
func (s *Service) checkResult(ctx context.Context, e Engagement, r *Result) (apperr.Fields, error) {
	st, err := s.SampleStatsOf(ctx, e, r.ControlID)
	if err != nil {
		return nil, err
	}
	r.ExceptionsFound, r.TestedCount = st.Failed, st.Tested
	if r.Result != "not_tested_no_operation" {
		return checkConclusion(*r, st, period.Control{}), nil
	}
	sc, err := s.ScopedControlOf(ctx, e.ID, r.ControlID)
	if err != nil {
		return nil, err
	}
	return checkConclusion(*r, st, controlOf(sc.Frequency, sc.Nature)), nil
}

// checkConclusion says what is wrong with concluding r from the samples:
// a tested result needs every sampled item tested, as many tested as
// required (or the reason why not), and its n of m to agree with it;
// "did not operate" needs a conditional control whose population is empty
// and shown complete.
func checkConclusion(r Result, st SampleStats, c period.Control) apperr.Fields {
	fields := apperr.Fields{}
	switch r.Result {
	case "no_exceptions", "exceptions_noted":
		switch {
		case st.Tested == 0 && len(st.Untested) == 0:
			fields["result"] = "no sampled item is tested: draw a sample and record its results first"
		case len(st.Untested) > 0:
			fields["samples"] = fmt.Sprintf("%s not tested yet: %s", plural(len(st.Untested), "sampled item"), listSome(st.Untested))
		case st.Tested < st.Required && r.ShortfallReason == "":
			fields["shortfall_reason"] = fmt.Sprintf("%d of the %d items required were tested: say why fewer were tested", st.Tested, st.Required)
		case r.Result == "no_exceptions" && st.Failed > 0:
			fields["result"] = fmt.Sprintf("%d of %d tested items failed an attribute: the result is exceptions noted", st.Failed, st.Tested)
		case r.Result == "exceptions_noted" && st.Failed == 0:
			fields["result"] = fmt.Sprintf("none of the %d tested items failed an attribute: the result is no exceptions noted", st.Tested)
		}
	case "not_tested_no_operation":
		switch {
		case c.Basis() != period.ByPopulation:
			fields["result"] = fmt.Sprintf("a %s control operates in every period it is in place: only an event-driven or conditional control can have had nothing to do", c.Frequency)
		case len(st.Populations) == 0:
			fields["result"] = "upload the control's population (a header row alone when it is empty) with the evidence that it is complete"
		case st.Items() > 0:
			fields["result"] = fmt.Sprintf("the population has %s: the control operated, so test it", plural(st.Items(), "item"))
		case !st.Evidenced:
			fields["result"] = "attach the evidence that the empty population is complete (the query and its empty result)"
		}
	}
	return fields
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// listSome names up to five items and says how many more there are.
func listSome(ids []string) string {
	if len(ids) <= 5 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:5], ", "), len(ids)-5)
}
