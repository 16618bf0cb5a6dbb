//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
)

// In a Type I, a control put in place after the as-of date is flagged on
// its test page and cannot be concluded implemented; another control's
// walkthrough is recorded on its page and read back after a reload, and
// the page offers no operating-effectiveness field.
func TestTypeOneImplementationAndWalkthrough(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	srv.addControl(t, "AC-03", "quarterly", "soc2-tsc-2017/CC6.1")
	srv.addControl(t, "CM-01", "quarterly", "soc2-tsc-2017/CC6.1")
	if err := srv.app.DB.W.Exec("UPDATE controls SET implemented_on = '2026-05-01' WHERE ref = 'CM-01'").Error; err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, ref := range []string{"AC-03", "CM-01"} {
		var id int64
		if err := srv.app.DB.R.Table("controls").Where("ref = ?", ref).Pluck("id", &id).Error; err != nil {
			t.Fatal(err)
		}
		ids[ref] = id
	}
	name, report, typ, asOf := "SOC 2 Type I", "soc2", "type1", "2026-03-31"
	e, err := engagement.NewService(srv.app.DB, nil).Create(context.Background(), engagement.Input{Name: &name, Report: &report, ReportType: &typ, AsOf: &asOf})
	if err != nil {
		t.Fatal(err)
	}
	page := func(ref string) string { return fmt.Sprintf("%s/engagements/%d/controls/%d", srv.base, e.ID, ids[ref]) }

	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("CM-01 was implemented after the as-of date",
		chromedp.Navigate(page("CM-01")),
		chromedp.WaitVisible(`//p[@id="implemented-after"][contains(., "Implemented on 2026-05-01, after the as-of date 2026-03-31")]`),
		chromedp.WaitReady(`//select[@id="implementation"]/option[@value="implemented"][@disabled]`), // a closed select's options are not visible
	)
	b.run("AC-03's walkthrough is recorded",
		chromedp.Navigate(page("AC-03")),
		chromedp.WaitVisible(`//p[@id="walkthrough-state"][text()="No walkthrough recorded yet."]`),
		chromedp.SendKeys(chromedp.CSS(`#walkthrough-performed-on`), "03202026"),
		chromedp.SendKeys(chromedp.CSS(`#walkthrough-participants`), "IT lead; compliance lead"),
		chromedp.SendKeys(chromedp.CSS(`#walkthrough-instance-traced`), "The March 2026 access review"),
		chromedp.SendKeys(chromedp.CSS(`#walkthrough-evidence-inspected`), "The review's sign-off"),
		chromedp.Click(chromedp.CSS(`#save-walkthrough`)),
		chromedp.WaitVisible(`//p[@id="walkthrough-state"][.="Performed on 2026-03-20, recorded by lead@example.com."]`),
	)
	b.run("it is there after a reload, beside design and implementation only",
		chromedp.Navigate(page("AC-03")),
		chromedp.WaitVisible(`//p[@id="walkthrough-state"][starts-with(., "Performed on 2026-03-20")]`),
		chromedp.WaitVisible(`//h2[text()="Design and implementation"]`),
		chromedp.WaitVisible(chromedp.CSS(`#implementation`)),
	)
	var n int
	b.run("no operating-effectiveness field", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var err error
		n, err = chromedp.Evaluate[int](`document.querySelectorAll("#test-result, #sample-risk, #n-of-m").length`)(ctx, tg)
		return err
	}))
	if n != 0 {
		t.Errorf("the Type I page has %d operating-effectiveness fields", n)
	}
	b.checkNoProblems()
}
