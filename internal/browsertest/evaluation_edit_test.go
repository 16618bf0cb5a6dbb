//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// On the demo's SOC 2, tested by the service auditor, the auditor
// evaluates HR-02's deviation on CC6.2 as met with a compensating key
// control, then edits the evaluation to not met: the criterion and the
// opinion impact follow each save, and the share of criteria that decides
// pervasiveness counts CC6.2 once it is not met.
func TestAuditorEditsAnEvaluationAndTheShareFollows(t *testing.T) {
	srv := startServer(t)
	loaded := srv.loadDemo(t)
	srv.addUser(t, "auditor@firm.example", "auditor")
	ctx := context.Background()
	eng := engagement.NewService(srv.app.DB, nil)
	soc2 := loaded.Engagements[0]
	tester := engagement.ServiceAuditor
	if _, err := eng.Update(ctx, soc2, engagement.Input{Tester: &tester}); err != nil {
		t.Fatal(err)
	}
	if err := eng.SetAuditors(ctx, soc2, []string{"auditor@firm.example"}, nil); err != nil {
		t.Fatal(err)
	}
	var auditor store.User
	if err := srv.app.DB.R.Take(&auditor, "email = ?", "auditor@firm.example").Error; err != nil {
		t.Fatal(err)
	}
	concludeOnlyTested(t, eng, soc2, "CC6.2")
	evaluateAllBut(t, eng, soc2, auditor.ID, "CC6.2")
	compensating := firstKeyCompensator(t, eng, soc2, "CC6.2")

	b := newBrowser(t)
	b.signIn(srv.base, "auditor@firm.example")
	row := `#deviations-table tr[data-ref="CC6.2"]`
	b.run("evaluate CC6.2 as met",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d", srv.base, soc2)),
		chromedp.WaitVisible(row+`[data-state="deviations_evaluation_needed"]`),
		chromedp.Click(row+` button`),
		chromedp.WaitVisible(`#evaluation-form label[data-control="`+compensating+`"]`),
		chromedp.SendKeys(`#evaluation-form textarea[name="cause"]`, "One leaver's access was removed late"),
		chromedp.Click(`#evaluation-form input[name="extent"][value="isolated"]`),
		chromedp.Click(`#evaluation-form label[data-control="`+compensating+`"] input`),
		choose(`#evaluation-form select[name="conclusion"]`, "met"),
		chromedp.Click(`#save-evaluation`),
		chromedp.WaitVisible(row+`[data-state="met_after_evaluation"]`),
		chromedp.WaitVisible(`#opinion-impact-empty`),
	)
	before := b.text(`#opinion-pervasive`)
	if !strings.HasPrefix(before, "Not pervasive: 0 of ") {
		t.Errorf("share once met: %q", before)
	}
	// The form stays open on the evaluation just recorded, ready to edit.
	b.run("the recorded evaluation", chromedp.WaitVisible(`#evaluation-recorded`))
	b.run("conclude not met",
		choose(`#evaluation-form select[name="conclusion"]`, "not_met"),
		chromedp.Click(`#save-evaluation`),
		chromedp.WaitVisible(row+`[data-state="not_met"]`),
		chromedp.WaitVisible(`#opinion-impact-list li[data-ref="CC6.2"]`),
	)
	if got := b.text(`#opinion-impact-list li[data-ref="CC6.2"]`); !strings.Contains(got, "not met") {
		t.Errorf("opinion impact of CC6.2: %q", got)
	}
	after := b.text(`#opinion-pervasive`)
	if !strings.Contains(after, ": 1 of ") || !strings.Contains(after, "applicable criteria not met or limited in scope") {
		t.Errorf("share once not met: %q", after)
	}
	v, err := eng.Evaluation(ctx, soc2, "CC6.2")
	if err != nil || v.Evaluation == nil || v.Evaluation.Conclusion != "not_met" {
		t.Fatalf("the evaluation kept: %+v %v", v.Evaluation, err)
	}
	b.checkNoProblems()
}
