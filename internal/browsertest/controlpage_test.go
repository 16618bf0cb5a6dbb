//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// On the demo, AC-03's page lists the engagements it is tested in with a
// way into each, its requirement codes open the catalog at that
// criterion, and deleting a control with evidence is refused with the
// advice to retire it.
func TestControlPageEngagementsLinksAndDelete(t *testing.T) {
	srv := startServer(t)
	loaded := srv.loadDemo(t)
	srv.addUser(t, "lead@example.com", "compliance")
	var id int64
	if err := srv.app.DB.R.Table("controls").Where("ref = ?", "AC-03").Pluck("id", &id).Error; err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	soc2 := loaded.Engagements[0]
	b.run("open AC-03",
		chromedp.Navigate(fmt.Sprintf("%s/controls/%d", srv.base, id)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#control-engagements tr[data-engagement="%d"] a[href="/engagements/%d/controls/%d"]`, soc2, soc2, id))),
	)
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.confirm = () => true; true`)); err != nil {
		t.Fatal(err)
	}
	b.run("delete is refused", chromedp.Click(chromedp.CSS(`#control-delete`)),
		chromedp.WaitVisible(`//*[@role="alert"][contains(., "retire")]`))
	ref := b.text(`#control-mappings li code`)
	b.run("a requirement code opens the catalog", chromedp.Click(chromedp.CSS(`#control-mappings li a`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`li.requirement[data-ref=%q]`, ref))))
	if loc := b.location(); !strings.Contains(loc, "/catalog/") {
		t.Errorf("landed on %s", loc)
	}
	b.checkNoProblems()
}
