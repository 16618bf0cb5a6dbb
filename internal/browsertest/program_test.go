//go:build browser

package browsertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A compliance lead creates a control, maps it to CC6.1, uploads a file and
// sees CC6.1 move from "no control" to covered in the gap view.
func TestControlToCoverage(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	file := filepath.Join(t.TempDir(), "access-review-q1.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.7 quarterly access review, signed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")

	b.run("gap view before",
		chromedp.Navigate(srv.base+"/coverage"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-requirement="soc2-tsc-2017/CC6.1"][data-state="no_control"]`)),
	)
	b.run("create a control",
		chromedp.Click(`//nav//a[text()="Controls"]`),
		chromedp.WaitVisible(chromedp.CSS(`#new-control-ref`)),
		chromedp.SendKeys(chromedp.CSS(`#new-control-ref`), "AC-03"),
		chromedp.SendKeys(chromedp.CSS(`#new-control-title-input`), "Quarterly user access review"+kb.Enter),
		chromedp.WaitVisible(`//h1[contains(., "Quarterly user access review")]`),
	)
	b.run("map it to CC6.1",
		chromedp.SendKeys(chromedp.CSS(`#map-ref`), "CC6.1"),
		chromedp.Click(`//ul[@id="map-ref-matches"]/li[starts-with(., "CC6.1 ")]`),
		chromedp.SendKeys(chromedp.CSS(`#map-rationale`), "reviews who has access"),
		chromedp.Click(chromedp.CSS(`#map-add`)),
		chromedp.WaitVisible(chromedp.CSS(`#control-mappings [data-requirement="soc2-tsc-2017/CC6.1"]`)),
	)
	b.run("gap view: mapped, no evidence yet",
		chromedp.Click(`//nav//a[text()="Gaps"]`),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-requirement="soc2-tsc-2017/CC6.1"][data-state="no_evidence"]`)),
		chromedp.Click(`//tr[@data-requirement="soc2-tsc-2017/CC6.1"]//a[text()="AC-03"]`),
		chromedp.WaitVisible(chromedp.CSS(`#evidence-file`)),
	)
	b.run("upload evidence",
		chromedp.SetUploadFiles(chromedp.CSS(`#evidence-file`), []string{file}),
		chromedp.SendKeys(chromedp.CSS(`#evidence-covers_from`), "01012026"),
		chromedp.SendKeys(chromedp.CSS(`#evidence-covers_to`), "03312026"),
		chromedp.Click(chromedp.CSS(`#evidence-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#control-evidence li`)),
	)
	if got := b.text(`#control-evidence`); got == "" {
		t.Error("evidence list is empty after the upload")
	}
	b.run("gap view after",
		chromedp.Click(`//nav//a[text()="Gaps"]`),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-requirement="soc2-tsc-2017/CC6.1"][data-state="covered"]`)),
	)
	b.checkNoProblems()
}
