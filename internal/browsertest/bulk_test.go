//go:build browser

package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// The compliance lead selects two controls on the Controls page and gives
// them one owner; the notice offers to undo, and undo gives each control
// back the owner it had.
func TestBulkOwnerAssignAndUndo(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	srv.addUser(t, "olive@example.com", "owner")
	srv.addControl(t, "AC-01", "quarterly", "soc2-tsc-2017/CC6.1")
	srv.addControl(t, "AC-02", "monthly", "soc2-tsc-2017/CC6.2")
	srv.addControl(t, "AC-03", "monthly", "soc2-tsc-2017/CC6.3")
	owners := func() map[string]string {
		var rows []struct{ Ref, Email string }
		err := srv.app.DB.R.Raw(`SELECT c.ref, COALESCE(u.email, '') AS email FROM controls c LEFT JOIN users u ON u.id = c.owner_id ORDER BY c.ref`).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range rows {
			out[r.Ref] = r.Email
		}
		return out
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("select two controls and assign an owner",
		chromedp.Navigate(srv.base+"/controls"),
		chromedp.Click(chromedp.CSS(`tr[data-control="AC-01"] input[type="checkbox"]`)),
		chromedp.Click(chromedp.CSS(`tr[data-control="AC-03"] input[type="checkbox"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#bulk-controls`)),
		pick("bulk-owner", "oli", "olive@example.com"),
		chromedp.Click(chromedp.CSS(`#bulk-assign`)),
		chromedp.WaitVisible(chromedp.CSS(`#toast-undo`)),
		chromedp.WaitVisible(`//tr[@data-control="AC-03"]/td[contains(., "olive@example.com")]`),
	)
	if got := owners(); got["AC-01"] != "olive@example.com" || got["AC-03"] != "olive@example.com" || got["AC-02"] != "" {
		t.Errorf("after the bulk assignment: %v", got)
	}
	b.run("undo it", chromedp.Click(chromedp.CSS(`#toast-undo`)), chromedp.WaitVisible(`//*[@id="toast"][contains(., "Undone")]`),
		chromedp.WaitNotPresent(`//tr[@data-control="AC-03"]/td[contains(., "olive@example.com")]`))
	if got := owners(); got["AC-01"] != "" || got["AC-03"] != "" {
		t.Errorf("after undo: %v", got)
	}
	b.checkNoProblems()
}
