//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// editBudget is how soon an edit shows.
const editBudget = 300 * time.Millisecond

// editPages are the first engagement's page and that of a control sampled in it.
func (l *largeServer) editPages(t *testing.T) (string, string) {
	t.Helper()
	eng := l.res.Engagements[0]
	var control int64
	if err := l.srv.app.DB.R.Table("samples").Where("engagement_id = ?", eng).Order("control_id").Limit(1).Pluck("control_id", &control).Error; err != nil || control == 0 {
		t.Fatalf("a sampled control of engagement %d: %d %v", eng, control, err)
	}
	return fmt.Sprintf("/engagements/%d", eng), fmt.Sprintf("/engagements/%d/controls/%d", eng, control)
}

func pathOnly(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}

func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

// budgetEdit is one edit on a page: what a person does, and what shows it done.
type budgetEdit struct {
	name, page, ready string
	do, done          string // JavaScript statements; done is an expression
	// rereads are the reads of what the edit changes, which the page may
	// make again: any other read after the edit breaks the budget.
	rereads []string
}

// timeEdit performs the edit in the page and answers how long it took
// until an API answer arrived after it and the page shows it (-1: never).
const timeEdit = `(async () => {
  const t0 = performance.now()
  const answered = () => performance.getEntriesByType('resource').some((e) => e.startTime >= t0 && e.name.includes('/api/'))
  %s
  while (!(answered() && (%s))) {
    if (performance.now() - t0 > 10000) return -1
    await new Promise((r) => setTimeout(r, 2))
  }
  return performance.now() - t0
})()`

// pickOption sets a select to its first choice that is neither its value
// nor excluded, as a person choosing it does.
const pickOption = `const pick = (sel, skip) => {
    const el = document.querySelector(sel)
    const to = [...el.options].map((o) => o.value).find((v) => v !== el.value && !skip.includes(v))
    el.value = to
    el.dispatchEvent(new Event('change', { bubbles: true }))
    return to
  }`

// On the large programme an engagement's status change, a tick in the
// mapping matrix and a sample cell of a control in an engagement each show
// within 300 ms, and none of them reads the page's other data again: the
// only requests after the edit are the write itself.
func TestEditBudgetsOnLargeProgramme(t *testing.T) {
	l := onLarge(t)
	counter, base := newAPICounter(t, l.srv.base)
	b := newBrowser(t)
	b.signIn(base, l.admin)
	engPage, controlPage := l.editPages(t)
	path := map[string]string{"engagement": engPage, "matrix": "/matrix", "control in engagement": controlPage}
	edits := []budgetEdit{
		{"status change", path["engagement"], `select[aria-label="Status"]`,
			pickOption + `; window.to = pick('select[aria-label="Status"]', ['reporting', 'issued', 'closed'])`,
			`document.querySelector('select[aria-label="Status"]').value === window.to`, nil},
		{"matrix tick", path["matrix"], `#mapping-matrix input[type="checkbox"]`,
			`window.box = document.querySelector('#mapping-matrix input[type="checkbox"]:not(:checked)'); window.box.click()`,
			`window.box.checked`, nil},
		{"sample cell", path["control in engagement"], `.sample table tbody select`,
			pickOption + `; window.cell = '[aria-label="' + document.querySelector('.sample table tbody select').getAttribute('aria-label') + '"]'
  window.to = pick(window.cell, ['fail'])`,
			`document.querySelector(window.cell) && document.querySelector(window.cell).value === window.to`,
			[]string{"GET " + path["control in engagement"] + "/work", "GET " + path["engagement"] + "/exceptions"}},
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-16s %9s  requests after the edit\n", "edit", "shown")
	for _, e := range edits {
		took, reqs := runEdit(t, b, counter, base, e)
		fmt.Fprintf(&sb, "%-16s %9s  %v\n", e.name, took.Round(time.Millisecond), reqs)
		if took < 0 || took > editBudget {
			t.Errorf("%s on %s: shown after %v, budget %v", e.name, e.page, took, editBudget)
		}
		for _, r := range reqs {
			if strings.HasPrefix(r, "GET ") && !slices.Contains(e.rereads, strings.Replace(r, "/api/v1", "", 1)) {
				t.Errorf("%s on %s read %s again after the edit: %v", e.name, e.page, r, reqs)
			}
		}
	}
	t.Log(sb.String())
	b.checkNoProblems()
}

// runEdit opens the page, performs the edit and answers how long it took
// to show and the requests the page made from the edit until a second
// after it showed.
func runEdit(t *testing.T, b *browser, counter *apiCounter, base string, e budgetEdit) (time.Duration, []string) {
	t.Helper()
	b.run("open "+e.page, chromedp.Navigate(base+e.page), chromedp.WaitVisible(chromedp.CSS(e.ready)),
		chromedp.WaitNotPresent(chromedp.CSS(`.loading`)))
	time.Sleep(500 * time.Millisecond) // the page's first reads are done
	counter.start()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	took, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(timeEdit, e.do, e.done), chromedp.EvalAwaitPromise))
	cancel()
	if err != nil {
		b.screenshot(e.name)
		t.Fatalf("%s on %s: %v", e.name, e.page, err)
	}
	time.Sleep(time.Second)
	seen := counter.stop()
	if took < 0 {
		return -1, seen[pathOnly(e.page)]
	}
	return ms(took), seen[pathOnly(e.page)]
}
