//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
)

// From reporting on an engagement is frozen: its pages say so, a result
// saved from a page opened before the lock is refused in words, and an
// admin moves it back only with a reason, after a confirmation.
func TestLockedEngagementIsFrozenAndMovesBackWithAReason(t *testing.T) {
	srv := startServer(t)
	id, control, _ := requestLoopFixture(t, srv)
	srv.addUser(t, "admin@example.com", "admin")
	eng := engagement.NewService(srv.app.DB, nil)
	ctx := context.Background()
	testPage := fmt.Sprintf("%s/engagements/%d/controls/%d", srv.base, id, control)

	b := newBrowser(t)
	b.signIn(srv.base, "admin@example.com")
	b.run("the control test page is open while testing goes on",
		chromedp.Navigate(testPage),
		chromedp.WaitVisible(`//button[text()="Save conclusions"]`),
	)
	// Someone else takes the engagement to reporting meanwhile.
	for _, s := range []string{"fieldwork", "reporting"} {
		status := s
		if _, err := eng.Update(ctx, id, engagement.Input{Status: &status}); err != nil {
			t.Fatal(err)
		}
	}
	b.run("the result saved now is refused in words",
		choose(`#test-result`, "no_exceptions"),
		chromedp.Click(`#save-result`),
		chromedp.WaitVisible(`//p[@role="alert"][starts-with(., "Not saved: the engagement is locked.")][contains(., "move it back to fieldwork")]`),
	)
	b.run("reloaded, the page shows the lock and offers no testing",
		chromedp.Navigate(testPage),
		chromedp.WaitVisible(`//p[@id="lock-banner"][contains(., "Frozen from reporting on: scope, period, results, samples and evidence relied on cannot change")]`),
	)
	var saves int
	b.run("no save button", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var err error
		saves, err = chromedp.Evaluate[int](`document.querySelectorAll("#save-result").length`)(ctx, tg)
		return err
	}))
	if saves != 0 {
		t.Errorf("a locked engagement's control page offers %d save buttons", saves)
	}
	b.run("the engagement page shows the lock; moving back asks for a reason first",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d", srv.base, id)),
		chromedp.WaitVisible(`#lock-banner`),
		choose(`select[aria-label="Status"]`, "fieldwork"),
		chromedp.WaitVisible(`//form[@aria-label="Move the engagement back"]//p[contains(., "from reporting to fieldwork?")]`),
		chromedp.WaitVisible(`//button[normalize-space(.)="Move back to fieldwork"][@disabled]`),
	)
	if d, err := eng.Get(ctx, id); err != nil || d.Status != "reporting" {
		t.Fatalf("moved back before the reason was given: %v %v", d.Status, err)
	}
	b.screenshot("move-back-asks-a-reason")
	b.run("with a reason it goes back and the lock is gone",
		chromedp.SendKeys(`//label[contains(., "Why it goes back")]/textarea`, "a sampled item was recorded against the wrong ticket"),
		chromedp.Click(`//button[normalize-space(.)="Move back to fieldwork"]`),
		chromedp.WaitNotPresent(`#lock-banner`),
		chromedp.WaitVisible(`//button[text()="Exclude"]`), // the scope is editable again
	)
	if d, err := eng.Get(ctx, id); err != nil || d.Status != "fieldwork" {
		t.Fatalf("not moved back: %v %v", d.Status, err)
	}
	b.checkNoProblems()
}
