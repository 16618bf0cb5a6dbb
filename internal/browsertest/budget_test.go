//go:build browser && pagebudget

// The page budgets are measured by `make bench-pages`, on a quiet machine:
// on two shared cores pages land either side of 500 ms from run to run.

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The budgets every page keeps on the large programme.
const (
	shownBudget   = 500 * time.Millisecond // main content shown after navigation
	blockedBudget = 200 * time.Millisecond // longest main-thread task
	answerBudget  = 1 << 20                // largest API answer a page reads
	idleBudget    = 1                      // API requests in ten seconds of idling
)

// budgetPage is one page and the element that says its main content is
// shown: a row, a figure or a card the page reads, never its heading alone.
type budgetPage struct{ name, path, ready string }

// figures are what one page measured.
type figures struct {
	shown, blocked time.Duration
	answer         int64
	answerURL      string
	idle           int
}

// watchShown is run in a tab before its page loads: it notes the time
// since navigation at the first frame painted with the page's ready
// element visible and no loading notice left. Timed in the page, the
// figure leaves out how often the test polls and how long it takes to ask.
const watchShown = `(() => {
  const ready = %s
  window.__shownAt = 0
  let seen = false
  const check = () => {
    const el = seen ? null : document.querySelector(ready)
    if (!el || el.getClientRects().length === 0 || document.querySelector('.loading')) return
    seen = true
    observer.disconnect()
    requestAnimationFrame(() => { window.__shownAt = performance.now() })
  }
  const observer = new MutationObserver(check)
  observer.observe(document, { childList: true, subtree: true, attributes: true })
})()`

// pageFigures reads, in the page, when its main content was first shown,
// the longest task so far and the largest API answer.
const pageFigures = `new Promise((resolve) => {
  const now = window.__shownAt || performance.now()
  let longest = 0
  new PerformanceObserver((list) => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration) })
    .observe({ type: 'longtask', buffered: true })
  let size = 0, url = ''
  for (const e of performance.getEntriesByType('resource')) {
    if (e.name.includes('/api/') && e.decodedBodySize > size) { size = e.decodedBodySize; url = e.name }
  }
  setTimeout(() => resolve({ shown: now, blocked: longest, size, url }), 0)
})`

type pageRead struct {
	Shown   float64 `json:"shown"`
	Blocked float64 `json:"blocked"`
	Size    int64   `json:"size"`
	URL     string  `json:"url"`
}

// On the large programme (1,000 controls, 100,000 evidence records, ten
// Type II engagements) every page shows its main content within 500 ms of
// navigation, blocks the main thread for at most 200 ms, reads no API
// answer over 1 MB, and left idle makes at most one request in ten
// seconds. Each page is opened in its own tab and the tabs idle together.
func TestPageBudgetsOnLargeProgramme(t *testing.T) {
	l := onLarge(t)
	counter, base := newAPICounter(t, l.srv.base)
	b := newBrowser(t)
	b.signIn(base, l.admin)
	pages := l.pages(t)
	l.settled(t)

	tabs := map[string]context.Context{}
	got := map[string]*figures{}
	counter.start()
	for _, p := range pages {
		tab, cancel := chromedp.NewContext(b.ctx)
		t.Cleanup(cancel)
		tabs[p.name] = tab
		got[p.name] = measurePage(t, tab, base, p)
	}
	time.Sleep(2 * time.Second) // the last page's first reads finish
	counter.stop()
	counter.start()
	time.Sleep(idleWindow)
	idle := counter.stop()
	for _, p := range pages {
		got[p.name].idle = len(idle[pathOnly(p.path)])
	}
	logFigures(t, pages, got, idle)
	for _, p := range pages {
		checkBudgets(t, p, got[p.name], idle[pathOnly(p.path)])
	}
	b.checkNoProblems()
}

// settled waits until the server has computed ahead the first engagement's
// progress, as it does once it starts and after a change (the sign-in is
// one): the budgets are those of a settled server, not of its start-up.
func (l *largeServer) settled(t *testing.T) {
	t.Helper()
	start := time.Now()
	for time.Since(start) < time.Minute {
		kept, err := l.srv.app.ProgressKept(context.Background(), l.res.Engagements[0])
		if err != nil {
			t.Fatal(err)
		}
		if kept {
			t.Logf("the server computed the engagement's progress ahead in %v", time.Since(start).Round(time.Millisecond))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the server did not compute engagement %d's progress ahead in a minute", l.res.Engagements[0])
}

// measurePage opens the page in its tab and reads its figures once its
// ready element is visible and no loading notice is left.
func measurePage(t *testing.T, tab context.Context, base string, p budgetPage) *figures {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, stepTimeout)
	defer cancel()
	watch := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		ready, err := json.Marshal(p.ready)
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: fmt.Sprintf(watchShown, ready)})
		return err
	})
	if err := chromedp.Do(ctx, watch, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)),
		chromedp.WaitNotPresent(chromedp.CSS(`.loading`)), chromedp.Poll[chromedp.Void](`window.__shownAt > 0`)); err != nil {
		t.Errorf("%s (%s): main content not shown in %v: %v", p.name, p.path, stepTimeout, err)
		return &figures{shown: stepTimeout}
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[pageRead](pageFigures, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("figures of %s: %v", p.name, err)
	}
	return &figures{shown: ms(r.Shown), blocked: ms(r.Blocked), answer: r.Size, answerURL: r.URL}
}

func checkBudgets(t *testing.T, p budgetPage, f *figures, idle []string) {
	t.Helper()
	if f.shown > shownBudget {
		t.Errorf("%s: main content shown after %v, budget %v", p.name, f.shown, shownBudget)
	}
	if f.blocked > blockedBudget {
		t.Errorf("%s: main thread blocked for %v, budget %v", p.name, f.blocked, blockedBudget)
	}
	if f.answer > answerBudget {
		t.Errorf("%s: read %d bytes from %s, budget %d", p.name, f.answer, f.answerURL, answerBudget)
	}
	if f.idle > idleBudget {
		t.Errorf("%s: %d requests in %v of idling, budget %d: %v", p.name, f.idle, idleWindow, idleBudget, idle)
	}
}

func logFigures(t *testing.T, pages []budgetPage, got map[string]*figures, idle map[string][]string) {
	t.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-26s %9s %9s %11s %5s  largest answer\n", "page", "shown", "blocked", "answer", "idle")
	for _, p := range pages {
		f := got[p.name]
		fmt.Fprintf(&sb, "%-26s %9s %9s %11d %5d  %s\n", p.name, f.shown.Round(time.Millisecond), f.blocked.Round(time.Millisecond),
			f.answer, f.idle, strings.TrimPrefix(f.answerURL, "http://"))
	}
	t.Log(sb.String())
	var other []string
	for page, reqs := range idle {
		if !hasPage(pages, page) {
			other = append(other, fmt.Sprintf("%s: %v", page, reqs))
		}
	}
	sort.Strings(other)
	if len(other) > 0 {
		t.Logf("idle requests from no measured page: %v", other)
	}
}

func hasPage(pages []budgetPage, path string) bool {
	for _, p := range pages {
		if pathOnly(p.path) == path {
			return true
		}
	}
	return false
}

// pages are every page of the UI on the large programme: its first
// engagement, a control sampled in it, and a piece of its evidence.
func (l *largeServer) pages(t *testing.T) []budgetPage {
	t.Helper()
	db := l.srv.app.DB.R
	eng := l.res.Engagements[0]
	var control, evidence int64
	if err := db.Table("samples").Where("engagement_id = ?", eng).Order("control_id").Limit(1).Pluck("control_id", &control).Error; err != nil || control == 0 {
		t.Fatalf("a sampled control of engagement %d: %d %v", eng, control, err)
	}
	if err := db.Table("evidence").Order("id").Limit(1).Pluck("id", &evidence).Error; err != nil || evidence == 0 {
		t.Fatalf("a piece of evidence: %v", err)
	}
	e := fmt.Sprintf("/engagements/%d", eng)
	return []budgetPage{
		{"dashboard", "/dashboard", `#dashboard-readiness`},
		{"my tasks", "/tasks", `[id^="tasks-table-"] tbody tr, #tasks-empty`},
		{"team tasks", "/team-tasks", `#team-tasks`},
		{"engagements", "/engagements", `#engagements-table tbody tr`},
		{"engagement", e, `#readiness-percent`},
		{"control in engagement", fmt.Sprintf("%s/controls/%d", e, control), `.sample table tbody tr`},
		{"engagement requests", e + "/requests", `#requests-table tbody tr`},
		{"request", e + "/requests/" + l.request, `#request-status`},
		{"gaps", "/coverage", `#coverage-table`},
		{"controls", "/controls", `#controls-table tbody tr`},
		{"control", fmt.Sprintf("/controls/%d", control), `#control-evidence`},
		{"matrix", "/matrix", `#mapping-matrix`},
		{"SOC 1 objectives", "/soc1-objectives", `#objectives-list li, #objectives-empty`},
		{"evidence list", "/evidence", `#evidence-table tbody tr`},
		{"evidence detail", fmt.Sprintf("/evidence/%d", evidence), `#evidence-meta`},
		{"automated", "/automated", `#sources-title ~ :is(table, .empty)`},
		{"catalog", "/catalog", `#catalog-results .requirements li`},
		{"users", "/users", `#users-table tbody tr`},
		{"audit log", "/audit", `#audit-table tbody tr`},
		{"outbox", "/outbox", `#outbox-table tbody tr, #outbox-title ~ p:not(.hint):not(.error)`},
		{"settings", "/settings", `#settings-organisation`},
		{"API tokens", "/tokens", `#tokens-table tbody tr, #tokens-title ~ .empty`},
		{"account", "/account", `#account-title ~ .facts dd`},
	}
}
