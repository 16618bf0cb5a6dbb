//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
)

// A preparer marks a missing window not expected with the reason: the
// grid shows it not expected, and the grid title says why.
func TestWindowMarkedNotExpected(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	srv.addControl(t, "AC-03", "monthly", "soc2-tsc-2017/CC6.1")
	name, report, typ, start, end := "SOC 2 Type II H1", "soc2", "type2", "2026-01-01", "2026-06-30"
	e, err := engagement.NewService(srv.app.DB, nil).Create(context.Background(),
		engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &start, PeriodEnd: &end})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	row := `#occurrence-grid tr[data-control="AC-03"] `
	b.run("open the engagement",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d", srv.base, e.ID)),
		chromedp.WaitVisible(chromedp.CSS(row+`.cell.missing`)),
		chromedp.WaitReady(chromedp.CSS(`#window-start option[value="2026-02-01"]`)),
	)
	b.run("mark February not expected",
		chromedp.SetValue(chromedp.CSS(`#window-start`), "2026-02-01"),
		chromedp.SendKeys(chromedp.CSS(`#window-reason`), "No joiners or leavers in February"),
		chromedp.Click(chromedp.CSS(`#window-not-expected`)),
		chromedp.WaitVisible(chromedp.CSS(row+`.cell.not_expected[title="1 not expected"]`)),
	)
	if state := b.text(`#window-state`); !strings.Contains(state, "No joiners or leavers in February") {
		t.Errorf("window state %q", state)
	}
	// The grid counts the windows; the control's page shows each, and why.
	b.run("the control's page says why",
		chromedp.Click(`//table[@id="occurrence-grid"]//a[code="AC-03"]`),
		chromedp.WaitVisible(chromedp.CSS(`#window-cells .cell.not_expected[data-start="2026-02-01"][title*="not expected: No joiners or leavers in February"]`)),
	)
	b.checkNoProblems()
}
