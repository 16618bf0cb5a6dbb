//go:build browser

package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/store"
)

// The compliance lead sends a Prowler scan from the Automated page, maps a
// check no control takes, and sees on the control's page the scans of the
// period, the failing resource and the window a passing scan covers.
func TestIngestMapAndHistory(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	srv.addControl(t, "AC-01", "daily", "soc2-tsc-2017/CC6.1")
	var ac store.Control
	if err := srv.app.DB.R.Take(&ac, "ref = ?", "AC-01").Error; err != nil {
		t.Fatal(err)
	}
	ocsf, err := filepath.Abs("../ingest/testdata/prowler-ocsf-1.4.0.json")
	if err != nil {
		t.Fatal(err)
	}
	today := filepath.Join(t.TempDir(), "mfa-today.json")
	now := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	if err := os.WriteFile(today, []byte(fmt.Sprintf(`{"scan_id": "mfa-today", "scanned_at": %q, "results": [
		{"check_id": "iam_user_mfa_enabled_console_access", "status": "pass", "resource": "arn:aws:iam::210987654321:user/dana", "criteria": ["CC6.1"]}]}`, now)), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("send Prowler's output",
		chromedp.Navigate(srv.base+"/automated"),
		chromedp.WaitVisible(`//h1[text()="Automated evidence"]`),
		chromedp.SetUploadFiles(chromedp.CSS(`#scan-file`), []string{ocsf}),
		chromedp.SendKeys(chromedp.CSS(`#scan-source`), "aws-prod"),
		chromedp.Click(`//button[text()="Ingest"]`),
		chromedp.WaitVisible(`//div[@id="scan-result"][contains(., "Controls failed: AC-01")]`),
		chromedp.WaitVisible(`//table[@id="ingest-sources"]//tr[contains(., "aws-prod")]`),
		chromedp.WaitVisible(`//table[@id="ingest-runs"]//tr[contains(., "4 passed")]`),
	)
	unmapped := `//table[@id="unmapped-checks"]//tr[contains(., "ec2_instance_imdsv2_enabled")]`
	b.run("map a check no control takes",
		chromedp.WaitVisible(unmapped),
		chromedp.SendKeys(unmapped+`//input[@role="combobox"]`, "AC-01"),
		chromedp.Click(unmapped+`//li[@role="option"][starts-with(., "AC-01 ")]`),
		chromedp.Click(unmapped+`//button[text()="Map"]`),
		chromedp.WaitNotPresent(unmapped),
		chromedp.WaitVisible(`//table[@id="ingest-rules"]//tr[contains(., "ec2_instance_imdsv2_enabled")][contains(., "AC-01")]`),
	)
	b.run("send today's passing scan",
		chromedp.SetUploadFiles(chromedp.CSS(`#scan-file`), []string{today}),
		chromedp.Click(`//button[text()="Ingest"]`),
		chromedp.WaitVisible(`//div[@id="scan-result"][contains(., "Controls passed: AC-01")]`),
	)
	b.run("the control's automated history",
		chromedp.Navigate(fmt.Sprintf("%s/controls/%d", srv.base, ac.ID)),
		chromedp.WaitVisible(`//h2[text()="Automated checks"]`),
		chromedp.WaitVisible(`//p[@id="history-coverage"][starts-with(., "1 of 90 windows covered")]`),
		chromedp.WaitVisible(`//table[@id="history-runs"]//tr[contains(., "aws-prod")][contains(., "passed")]`),
		chromedp.WaitVisible(chromedp.CSS(`svg.trend`)),
	)
	b.checkNoProblems()
}
