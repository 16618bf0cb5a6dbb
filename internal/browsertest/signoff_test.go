//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
)

// Management's readiness testing says so on the control test page; once
// the service auditor tests the engagement, the auditor prepares the
// conclusion and a second auditor reviews it, each seeing the other's
// name and day, and the organisation's compliance team no longer has
// the buttons.
func TestServiceAuditorSignsOffAConclusion(t *testing.T) {
	srv := startServer(t)
	id, control, _ := requestLoopFixture(t, srv)
	srv.addUser(t, "reviewer@example.com", "auditor")
	srv.addUser(t, "lead@example.com", "compliance")
	eng := engagement.NewService(srv.app.DB, nil)
	ctx := context.Background()
	page := fmt.Sprintf("%s/engagements/%d/controls/%d", srv.base, id, control)

	lead := newBrowser(t)
	lead.signIn(srv.base, "lead@example.com")
	lead.run("readiness testing is labelled and the compliance team signs",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`//p[contains(@class, "readiness-banner")][text()="Readiness testing by management"]`),
		chromedp.WaitVisible(`//button[text()="Save conclusions"]`),
	)

	tester := engagement.ServiceAuditor
	if _, err := eng.Update(ctx, id, engagement.Input{Tester: &tester}); err != nil {
		t.Fatal(err)
	}
	if err := eng.SetAuditors(ctx, id, []string{"auditor@example.com", "reviewer@example.com"}, nil); err != nil {
		t.Fatal(err)
	}
	auditor := newBrowser(t)
	auditor.signIn(srv.base, "auditor@example.com")
	auditor.run("the auditor saves the conclusion and signs it off as preparer",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`//p[contains(., "Tested by the service auditor")]`),
		chromedp.Click(`#save-result`),
		chromedp.Click(`//p[@data-sign-off="conclusion"]/button[contains(., "as preparer")]`),
		chromedp.WaitVisible(`//p[@data-sign-off="conclusion"]/span[starts-with(., "Prepared: auditor@example.com, 20")]`),
	)
	reviewer := newBrowser(t)
	reviewer.signIn(srv.base, "reviewer@example.com")
	reviewer.run("another auditor reviews it",
		chromedp.Navigate(page),
		chromedp.Click(`//p[@data-sign-off="conclusion"]/button[contains(., "as reviewer")]`),
		chromedp.WaitVisible(`//p[@data-sign-off="conclusion"]/span[starts-with(., "Reviewed: reviewer@example.com, 20")]`),
	)
	reviewer.screenshot("conclusion-signed-off")
	lead.run("the compliance team sees the sign-offs, without the buttons",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`//p[@data-sign-off="conclusion"]/span[starts-with(., "Reviewed: reviewer@example.com")]`),
	)
	var buttons int
	lead.run("no testing buttons", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var err error
		buttons, err = chromedp.Evaluate[int](`document.querySelectorAll("p.sign-off button, #save-result").length`)(ctx, tg)
		return err
	}))
	if buttons != 0 {
		t.Errorf("the organisation has %d testing buttons in a service-auditor engagement", buttons)
	}
	auditor.checkNoProblems()
	reviewer.checkNoProblems()
	lead.checkNoProblems()
}
