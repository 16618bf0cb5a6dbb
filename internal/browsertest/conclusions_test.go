//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// In the demo's SOC 2 the leavers' control HR-02, a key control, has a
// deviation on CC6.2: the criterion shows "deviations — evaluation
// needed" and the opinion impact lists it. The preparer records the
// evaluation with an effective key control compensating; CC6.2 is
// then met after evaluation and the opinion impact has nothing left.
func TestEvaluatingADeviation(t *testing.T) {
	srv := startServer(t)
	loaded := srv.loadDemo(t)
	srv.addUser(t, "preparer@example.com", "compliance")
	ctx := context.Background()
	eng := engagement.NewService(srv.app.DB, nil)
	soc2 := loaded.Engagements[0]
	// Management tests this engagement for readiness, so its compliance
	// team prepares the evaluations.
	tester := engagement.ManagementReadiness
	if _, err := eng.Update(ctx, soc2, engagement.Input{Tester: &tester}); err != nil {
		t.Fatal(err)
	}
	var preparer store.User
	if err := srv.app.DB.R.Take(&preparer, "email = ?", "preparer@example.com").Error; err != nil {
		t.Fatal(err)
	}
	concludeOnlyTested(t, eng, soc2, "CC6.2")
	evaluateAllBut(t, eng, soc2, preparer.ID, "CC6.2")
	// The demo's results depend on the day it is loaded, so the
	// compensating control is whichever effective key control the
	// product offers, not a fixed one.
	compensating := firstKeyCompensator(t, eng, soc2, "CC6.2")

	b := newBrowser(t)
	b.signIn(srv.base, "preparer@example.com")
	row := `#deviations-table tr[data-ref="CC6.2"]`
	b.run("CC6.2 needs its evaluation and the opinion impact lists it",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d", srv.base, soc2)),
		chromedp.WaitVisible(row+`[data-state="deviations_evaluation_needed"]`),
		chromedp.WaitVisible(`#opinion-impact-list li[data-ref="CC6.2"]`),
	)
	if got := b.text(row); !strings.Contains(got, "evaluation needed") || !strings.Contains(got, "HR-02") {
		t.Errorf("CC6.2's row %q", got)
	}
	b.run("open the evaluation",
		chromedp.Click(row+` button`),
		chromedp.WaitVisible(`#evaluation-form label[data-control="`+compensating+`"]`),
	)
	if got := b.text(`#evaluation-rate`); !strings.Contains(got, "against a tolerable rate of") {
		t.Errorf("rate shown %q", got)
	}
	b.run("record the evaluation with a compensating key control",
		chromedp.SendKeys(`#evaluation-form textarea[name="cause"]`, "One leaver's access was removed late during the year-end freeze"),
		chromedp.Click(`#evaluation-form input[name="extent"][value="isolated"]`),
		chromedp.Click(`#evaluation-form label[data-control="`+compensating+`"] input`),
		choose(`#evaluation-form select[name="conclusion"]`, "met"),
		chromedp.Click(`#save-evaluation`),
		chromedp.WaitVisible(row+`[data-state="met_after_evaluation"]`),
		chromedp.WaitVisible(`#opinion-impact-empty`),
	)
	if got := b.text(row); !strings.Contains(got, "met after evaluation") {
		t.Errorf("CC6.2's row after the evaluation %q", got)
	}
	b.checkNoProblems()
}

// firstKeyCompensator is the ref of the first effective key control the
// evaluation of ref offers as compensating.
func firstKeyCompensator(t *testing.T, eng *engagement.Service, id int64, ref string) string {
	t.Helper()
	v, err := eng.Evaluation(context.Background(), id, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range v.Compensators {
		if c.Key {
			return c.Ref
		}
	}
	t.Fatalf("%s has no effective key control to compensate", ref)
	return ""
}

// concludeOnlyTested takes the controls of ref that are still being tested
// out of the engagement's scope, so that its conclusion rests on concluded
// controls only: an evaluated criterion is met after evaluation only once
// all of its controls are concluded.
func concludeOnlyTested(t *testing.T, eng *engagement.Service, id int64, ref string) {
	t.Helper()
	ctx := context.Background()
	reqs, _, err := eng.RollUp(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	results, _, err := eng.Results(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	scoped, err := eng.Controls(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.Ref != ref {
			continue
		}
		for _, c := range scoped {
			if res := results[c.ID].Result; slices.Contains(r.Controls, c.Ref) && (res == "" || res == "pending") {
				if err := eng.SetScope(ctx, id, c.ID, false, "Tested in the next period"); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// evaluateAllBut records, as userID, a "met" evaluation of every
// criterion of the engagement that needs one except ref, compensated by
// an effective key control where there is one.
func evaluateAllBut(t *testing.T, eng *engagement.Service, id, userID int64, ref string) {
	t.Helper()
	ctx := context.Background()
	reqs, _, err := eng.RollUp(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	isolated := false
	for _, r := range reqs {
		if r.State != engagement.DeviationsEvaluationNeeded || r.Ref == ref {
			continue
		}
		v, err := eng.Evaluation(ctx, id, r.Ref)
		if err != nil {
			t.Fatal(err)
		}
		var comp []int64
		for _, c := range v.Compensators {
			if c.Key {
				comp = []int64{c.ID}
				break
			}
		}
		if _, err := eng.Evaluate(ctx, id, r.Ref, userID, engagement.CriterionEvaluationInput{Cause: "Evaluated for the test",
			Systemic: &isolated, CompensatingID: comp, Conclusion: "met"}); err != nil {
			t.Fatalf("%s: %v", r.Ref, err)
		}
	}
}
