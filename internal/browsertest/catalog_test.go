//go:build browser

package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A person signs in, opens the catalog, sees the SOC 2 criteria, searches
// for one and finds it.
func TestCatalogSearch(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")

	b.run("open catalog",
		chromedp.Click(`//nav//a[text()="Catalog"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-ref="CC1.1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-ref="P8.1"]`)),
	)
	if count := b.text(`#result-count`); !strings.Contains(count, "61 requirements") {
		t.Errorf("result count %q, want the 61 SOC 2 criteria", count)
	}

	b.run("search",
		chromedp.SendKeys(chromedp.CSS(`#catalog-search`), "CC6.1"),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-ref="CC1.1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-ref="CC6.1"]`)),
	)
	if count := b.text(`#result-count`); !strings.Contains(count, "1 requirement matches") {
		t.Errorf("result count after search %q, want 1 match", count)
	}
	if title := b.text(`[data-ref="CC6.1"]`); !strings.Contains(strings.ToLower(title), "access") {
		t.Errorf("CC6.1 row shows %q, want its title about access", title)
	}
	if url := b.location(); !strings.Contains(url, "q=CC6.1") {
		t.Errorf("search not kept in the URL: %s", url)
	}

	// A shared link opens the SOC 1 templates with its search applied.
	b.run("open a shared link",
		chromedp.Navigate(srv.base+"/catalog/soc1-objective-templates?q=payroll"),
		chromedp.WaitVisible(chromedp.CSS(`[data-ref="BP-PAY-01"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-ref="BP-PAY-05"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-ref="ITGC-LA"]`)),
	)
	// One industry's set: its own objectives, the cross-industry ones, the
	// ITGC domains with their suggested activities, and the optional one.
	b.run("filter by industry",
		chromedp.Navigate(srv.base+"/catalog/soc1-objective-templates?industry=payroll"),
		chromedp.WaitVisible(chromedp.CSS(`[data-ref="BP-PAY-08"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-ref="BP-CLI-01"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-ref="BP-RK-01"]`)),
		chromedp.Click(chromedp.CSS(`[data-ref="ITGC-LA"] summary`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-activity="ITGC-LA.03"]`)),
	)
	if count := b.text(`#result-count`); !strings.Contains(count, "17 requirements") {
		t.Errorf("payroll set %q, want 16 objectives and the optional one", count)
	}
	b.checkNoProblems()
}
