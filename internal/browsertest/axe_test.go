//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core as npm installed it for the UI build: the test
// injects it into each page, with no network.
func axeSource(t *testing.T) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	src, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "frontend", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed: run `cd frontend && npm ci` (%v)", err)
	}
	return string(src)
}

// axeRun checks the page against WCAG 2.2 AA and answers one line per
// violation: rule, impact, and the first few elements it found.
const axeRun = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
  .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
    v.nodes.slice(0, 4).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ') + ']' : '')).join('; ')))`

// On the demo, the pages people spend their day on have no WCAG 2.2 AA
// violation that axe-core finds: labels, names, contrast, landmarks.
func TestPagesHaveNoAccessibilityViolations(t *testing.T) {
	srv := startServer(t)
	loaded := srv.loadDemo(t)
	srv.addUser(t, "a11y@example.com", "compliance")
	b := newBrowser(t)
	b.signIn(srv.base, "a11y@example.com")
	axe := axeSource(t)

	var controlID int64
	if err := srv.app.DB.R.Table("controls").Where("ref = ?", "AC-03").Pluck("id", &controlID).Error; err != nil {
		t.Fatal(err)
	}
	soc2 := loaded.Engagements[0]
	pages := []struct{ path, ready string }{
		{"/dashboard", `#dashboard-readiness`},
		{"/controls", `#controls-table tbody tr`},
		{fmt.Sprintf("/controls/%d", controlID), `main h1`},
		{fmt.Sprintf("/engagements/%d", soc2), `#readiness-percent`},
		{fmt.Sprintf("/engagements/%d/controls/%d", soc2, controlID), `main h1`},
		{"/tasks", `main h1`},
		{fmt.Sprintf("/engagements/%d/requests", soc2), `main h1`},
	}
	for _, p := range pages {
		// Checked once every read has answered: no loading notice is left.
		b.run("open "+p.path, chromedp.Navigate(srv.base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)),
			chromedp.WaitNotPresent(chromedp.CSS(`.loading`)))
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axe+";\n"+axeRun, chromedp.EvalAwaitPromise))
		cancel()
		if err != nil {
			t.Fatalf("axe on %s: %v", p.path, err)
		}
		if len(violations) > 0 {
			b.screenshot("axe" + strings.ReplaceAll(p.path, "/", "-"))
			t.Errorf("%s has %d accessibility violations:\n  %s", p.path, len(violations), strings.Join(violations, "\n  "))
		}
	}
	b.checkNoProblems()
}
