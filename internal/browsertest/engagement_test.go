//go:build browser

package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The scoping assistant recommends SOC 1 and SOC 2 for a payroll SaaS; the
// lead creates the SOC 2 Type II engagement and sees its occurrence grid.
func TestScopingToOccurrenceGrid(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	srv.addControl(t, "AC-03", "monthly", "soc2-tsc-2017/CC6.1")
	srv.addControl(t, "BK-01", "quarterly", "soc2-tsc-2017/A1.2")
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")

	b.run("answer the questionnaire",
		chromedp.Click(`//nav//a[text()="Engagements"]`),
		chromedp.Click(chromedp.CSS(`#start-scoping`)),
		chromedp.Click(chromedp.CSS(`input[name="services"][value="payroll"]`)),
		chromedp.Click(chromedp.CSS(`input[name="services"][value="saas"]`)),
		chromedp.Click(chromedp.CSS(`input[name="data"][value="personal"]`)),
		chromedp.Click(chromedp.CSS(`input[name="uptime_commitments"]`)),
		chromedp.Click(chromedp.CSS(`input[name="audited_before"]`)),
		chromedp.Click(chromedp.CSS(`#scoping-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#scoping-result`)),
	)
	if got := b.text(`#scoping-result`); got != "SOC 1 and SOC 2" {
		t.Fatalf("recommendation %q, want SOC 1 and SOC 2", got)
	}
	if reasons := b.text(`.reasons`); !strings.Contains(reasons, "payroll") || !strings.Contains(reasons, "Availability") {
		t.Errorf("reasons %q do not explain the recommendation", reasons)
	}
	soc2 := `[data-report="soc2"] `
	b.run("create the SOC 2 Type II engagement",
		chromedp.SendKeys(chromedp.CSS(soc2+`.period-start`), "01012026"),
		chromedp.SendKeys(chromedp.CSS(soc2+`.period-end`), "06302026"),
		chromedp.Click(chromedp.CSS(soc2+`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#occurrence-grid`)),
		chromedp.WaitVisible(chromedp.CSS(`#occurrence-grid tr[data-control="AC-03"] .cell.missing`)),
	)
	if grid := b.text(`#occurrence-grid`); !strings.Contains(grid, "AC-03") || !strings.Contains(grid, "BK-01") || !strings.Contains(grid, "2 of 6") {
		t.Errorf("occurrence grid %q: want AC-03 (monthly, sample 2 of 6) and BK-01", grid)
	}
	before := b.text(`#readiness-percent`)

	b.run("record the conclusion for AC-03",
		chromedp.Click(`//table[@id="occurrence-grid"]//a[code="AC-03"]`),
		chromedp.WaitVisible(chromedp.CSS(`#design-result`)),
		chromedp.SetValue(chromedp.CSS(`#design-result`), "suitably_designed"),
		chromedp.Click(chromedp.CSS(`#save-result`)),
		chromedp.WaitVisible(chromedp.CSS(`#result-label`)),
	)
	// Operating effectiveness waits for a tested sample (TestSampleDeviationIsCounted).
	if label := b.text(`#result-label`); label != "Testing in progress" {
		t.Errorf("result label %q", label)
	}
	b.run("readiness moves",
		chromedp.NavigateBack(),
		chromedp.WaitVisible(chromedp.CSS(`#readiness-percent`)),
	)
	if after := b.text(`#readiness-percent`); after == before {
		t.Errorf("readiness stayed at %s after a conclusion was recorded", after)
	}
	b.checkNoProblems()
}
