//go:build browser

package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A recordkeeper answers the scoping questions, follows the link to a
// proposed SOC 1 objective set, leaves one objective out, rewords another,
// adopts the set in one step, and turns a control activity suggested
// beneath logical access into a draft control.
func TestScopingToAdoptedObjectives(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")

	b.run("answer the questionnaire",
		chromedp.Navigate(srv.base+"/engagements/scoping"),
		chromedp.Click(chromedp.CSS(`input[name="services"][value="retirement_recordkeeping"]`)),
		chromedp.Click(chromedp.CSS(`#scoping-submit`)),
		chromedp.Click(chromedp.CSS(`#scoping-objectives`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-template="BP-RK-01"]`)),
	)
	if got := b.text(`#adopt-submit`); got != "Adopt 16 objectives" {
		t.Fatalf("proposal button %q, want the 9 recordkeeping and 7 ITGC objectives", got)
	}
	rk := `[data-template="BP-RK-02"] `
	b.run("leave out the output objective and reword participant data",
		chromedp.Click(chromedp.CSS(`[data-template="BP-OUT-01"] input[type="checkbox"]`)),
		chromedp.Focus(chromedp.CSS(rk+`input[name="title"]`)),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.SendKeys(chromedp.CSS(rk+`input[name="title"]`), "Member data changes are authorised"),
		chromedp.WaitVisible(`//button[@id="adopt-submit" and normalize-space(.)="Adopt 15 objectives"]`),
		chromedp.Click(chromedp.CSS(`#adopt-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#objectives-list`)),
	)
	if list := b.text(`#objectives-list`); !strings.Contains(list, "CO-02") || !strings.Contains(list, "Member data changes are authorised") ||
		!strings.Contains(list, "CO-15") || strings.Contains(list, "CO-16") {
		t.Errorf("adopted objectives %q: want CO-01 … CO-15 with the rewording", list)
	}
	// After eight recordkeeping objectives, logical access is CO-09.
	la := `[data-ref="CO-09"] `
	if head := b.text(la + `.req-head`); !strings.Contains(head, "Logical access") {
		t.Fatalf("CO-09 is %q, want logical access", head)
	}
	b.run("create a draft from the quarterly access review",
		chromedp.Click(chromedp.CSS(la+`details.activities summary`)),
		chromedp.Click(chromedp.CSS(la+`[data-activity="ITGC-LA.03"] input`)),
		chromedp.Click(`//li[@data-ref="CO-09"]//button[normalize-space(.)="Create 1 draft control"]`),
		chromedp.WaitVisible(chromedp.CSS(la+`.notice a`)),
		chromedp.Click(chromedp.CSS(la+`.notice a`)),
		chromedp.WaitVisible(chromedp.CSS(`#control-title`)),
	)
	if page := b.text(`main`); !strings.Contains(page, "CO-09.1") || !strings.Contains(page, "CO-09 Logical access — From the suggested control activity ITGC-LA.03") {
		t.Errorf("the draft control's page %q: want CO-09.1 mapped to CO-09", page)
	}
	b.checkNoProblems()
}
