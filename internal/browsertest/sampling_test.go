//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/store"
)

// A preparer uploads a daily control's population, draws the sample the
// policy requires (25), records a failed attribute on an item and sees its
// exception appear; the conclusion reads "Exceptions noted (1 of 25)",
// counted from the sample, not typed.
func TestSampleDeviationIsCounted(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "preparer@example.com", "compliance")
	srv.addControl(t, "CM-01", "daily", "soc2-tsc-2017/CC8.1")
	ctx := context.Background()
	svc := engagement.NewService(srv.app.DB, nil)
	samples := sampling.NewService(srv.app.DB, svc)
	name, report, typ, from, to := "SOC 2 Type II H1 2026", "soc2", "type2", "2026-01-01", "2026-06-30"
	e, err := svc.Create(ctx, engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &from, PeriodEnd: &to})
	if err != nil {
		t.Fatal(err)
	}
	var ctl store.Control
	var preparer store.User
	if err := srv.app.DB.R.Take(&ctl, "ref = ?", "CM-01").Error; err != nil {
		t.Fatal(err)
	}
	if err := srv.app.DB.R.Take(&preparer, "email = ?", "preparer@example.com").Error; err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("item id,date,description\n")
	for i := range 60 {
		fmt.Fprintf(&csv, "CHG-%03d,2026-0%d-%02d,change %d\n", i+1, 1+i%6, 1+i%28, i+1)
	}
	file := filepath.Join(t.TempDir(), "changes.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	b.signIn(srv.base, "preparer@example.com")
	page := fmt.Sprintf("%s/engagements/%d/controls/%d", srv.base, e.ID, ctl.ID)
	b.run("upload the population and draw the sample",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`#population-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#population-file`), []string{file}),
		chromedp.SendKeys(chromedp.CSS(`input[name="source"]`), "Jira"),
		chromedp.Click(chromedp.CSS(`#population-upload`)),
		chromedp.WaitVisible(chromedp.CSS(`.population-summary`)),
		chromedp.SendKeys(chromedp.CSS(`#sample-attributes`), "approved before deployment"),
		chromedp.Click(chromedp.CSS(`#draw-sample`)),
		chromedp.WaitVisible(chromedp.CSS(`.sample table tbody tr`)),
	)
	if got := b.text(`.sample h3`); !strings.Contains(got, "Sample of 25") {
		t.Fatalf("drawn: %q, want a sample of 25", got)
	}

	// Twenty-four items pass (recorded directly, as a long session would);
	// the preparer fails the last one in the page.
	work, err := svc.Work(ctx, e.ID, ctl.ID)
	if err != nil || len(work.Samples) != 1 {
		t.Fatalf("work: %+v %v", work, err)
	}
	smp := work.Samples[0]
	items := work.Items[smp.ID]
	for _, it := range items[:24] {
		if err := samples.RecordSampleItem(ctx, e.ID, smp.ID, it.Seq, preparer.ID,
			sampling.ItemInput{Results: map[string]string{"approved before deployment": "pass"}}); err != nil {
			t.Fatal(err)
		}
	}
	last := items[24].ItemID
	b.run("record the failed attribute",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`.sample table tbody tr`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`select[aria-label="approved before deployment for %s"]`, last))),
		choose(fmt.Sprintf(`select[aria-label="approved before deployment for %s"]`, last), "fail"),
		chromedp.WaitVisible(fmt.Sprintf(`//ul[@class="exceptions"]//p[contains(., "%s")]`, last)),
	)
	if got := b.text(`#exceptions-title`); got != "Exceptions (1)" {
		t.Errorf("exceptions heading %q", got)
	}
	if got := b.text(fmt.Sprintf(`tr[data-item="%s"]`, last)); !strings.Contains(got, "preparer@example.com") || !strings.Contains(got, "yes") {
		t.Errorf("the failed item's row %q names no tester or exception", got)
	}
	b.run("conclude",
		chromedp.Click(`//label[contains(., "inspection")]/input`),
		chromedp.SetValue(chromedp.CSS(`#test-result`), "exceptions_noted"),
		chromedp.Click(chromedp.CSS(`#save-result`)),
		chromedp.WaitVisible(`//p[@id="result-label" and text()="Exceptions noted (1 of 25)"]`),
	)
	if got := b.text(`#n-of-m`); !strings.Contains(got, "1 of 25") {
		t.Errorf("n of m shown %q", got)
	}
	b.checkNoProblems()
}

// choose picks an option as a person does: the select's value changes and
// it fires its change event (the page then saves and reloads, so the
// element may be gone by the time chromedp.SetValue would look again).
func choose(css, value string) step {
	js := fmt.Sprintf(`(() => {
		const el = document.querySelector(%q)
		el.value = %q
		el.dispatchEvent(new Event('change', { bubbles: true }))
		return true
	})()`, css, value)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return chromedp.Void{}, err
	}
}
