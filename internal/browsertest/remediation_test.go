//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/sampling"
	"github.com/socmap/socmap/internal/store"
)

// The compliance lead records when an exception's control was remediated
// and who owns it, then draws a retest of the rest of the period; the
// exception shows the retest's result beside the original sample.
func TestExceptionIsRemediatedAndRetested(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
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
	var lead store.User
	if err := srv.app.DB.R.Take(&ctl, "ref = ?", "CM-01").Error; err != nil {
		t.Fatal(err)
	}
	if err := srv.app.DB.R.Take(&lead, "email = ?", "lead@example.com").Error; err != nil {
		t.Fatal(err)
	}
	var items []sampling.PopulationItem
	for i := range 60 {
		d := fmt.Sprintf("2026-%02d-%02d", 1+i/10, 1+2*(i%10))
		items = append(items, sampling.PopulationItem{Seq: i + 1, Row: i + 2, ItemID: fmt.Sprintf("CHG-%02d", i), Date: &d})
	}
	if _, err := samples.UploadPopulation(ctx, e.ID, ctl.ID, lead.ID, sampling.PopulationInput{Source: "Jira", FileName: "changes.csv", Items: items}); err != nil {
		t.Fatal(err)
	}
	if _, err := samples.DrawSample(ctx, e.ID, ctl.ID, lead.ID, sampling.DrawInput{Attributes: []string{"approved"}}); err != nil {
		t.Fatal(err)
	}
	x, err := svc.AddException(ctx, e.ID, ctl.ID, "CHG-12 was deployed before approval", "")
	if err != nil {
		t.Fatal(err)
	}
	form := fmt.Sprintf(`//form[@aria-label="Remediation of exception %d"]`, x.ID)

	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("record the remediation",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d/controls/%d", srv.base, e.ID, ctl.ID)),
		chromedp.WaitVisible(`//p[@class="remediation-line"][text()="Remediation not recorded yet."]`),
	)
	b.run("save it",
		setInput(fmt.Sprintf(`form[aria-label="Remediation of exception %d"] input[type="date"]`, x.ID), "2026-03-31"),
		pick(fmt.Sprintf("remediation-owner-%d", x.ID), "lead", "lead@example.com"),
		chromedp.Click(form+`//button[text()="Save remediation"]`),
		chromedp.WaitVisible(`//p[@class="remediation-line"][text()="Remediated on 2026-03-31 (owner: lead@example.com)."]`),
	)
	b.run("draw the retest of the rest of the period",
		chromedp.Click(fmt.Sprintf(`//form[@aria-label="Retest of exception %d"]//button`, x.ID)),
		chromedp.WaitVisible(`//p[@class="retest-result"][starts-with(., "Retest of 2026-04-01 to 2026-06-30: in progress (0 of ")]`),
		chromedp.WaitVisible(fmt.Sprintf(`//h3[starts-with(., "Retest of exception %d, 2026-04-01 to 2026-06-30,")]`, x.ID)),
	)
	work, err := svc.Work(ctx, e.ID, ctl.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, smp := range work.Samples {
		if !smp.Retest() {
			continue
		}
		for _, it := range work.Items[smp.ID] {
			if *it.ItemDate < "2026-04-01" {
				t.Errorf("retest item %s dated %s, before the day after the remediation", it.ItemID, *it.ItemDate)
			}
			if err := samples.RecordSampleItem(ctx, e.ID, smp.ID, it.Seq, lead.ID, sampling.ItemInput{Results: map[string]string{"approved": "pass"}}); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	b.run("the retest's result shows with the exception",
		chromedp.Reload(),
		chromedp.WaitVisible(fmt.Sprintf(`//p[@class="retest-result"][starts-with(., "Retest of 2026-04-01 to 2026-06-30: no exceptions noted (0 of %d)")]`, n)),
	)
	b.screenshot("retest-result")
	b.checkNoProblems()
}

// setInput gives a React-controlled input a value as typing would: through
// the element's own value setter, then its input event.
func setInput(css, value string) step {
	js := fmt.Sprintf(`(() => {
		const el = document.querySelector(%q)
		Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, %q)
		el.dispatchEvent(new Event('input', { bubbles: true }))
		return true
	})()`, css, value)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return chromedp.Void{}, err
	}
}
