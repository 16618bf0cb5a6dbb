//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/tasks"
)

// A list longer than a page says how many it holds and which of them it
// shows, and any page is one click away: the Controls page with 60
// controls shows "1–50 of 60", and page 2 the last ten.
func TestPagedListShowsTotalAndPages(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	for i := 1; i <= 60; i++ {
		srv.addControl(t, fmt.Sprintf("AC-%02d", i), "quarterly", "soc2-tsc-2017/CC6.1")
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("the first page names the total",
		chromedp.Navigate(srv.base+"/controls"),
		chromedp.WaitVisible(`//nav[@class="pager"]/span[text()="1–50 of 60"]`),
		chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Page 2"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Page 1"][aria-current="page"]`)),
	)
	b.run("page 2 shows the rest",
		chromedp.Click(chromedp.CSS(`button[aria-label="Page 2"]`)),
		chromedp.WaitVisible(`//nav[@class="pager"]/span[text()="51–60 of 60"]`),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-control="AC-60"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`tr[data-control="AC-01"]`)),
	)
	if loc := b.location(); !strings.Contains(loc, "offset=50") {
		t.Errorf("the page is not in the address: %s", loc)
	}
	b.checkNoProblems()
}

// The compliance lead chooses two ad-hoc tasks on Team tasks and gives
// them to someone else at once; undo gives each back to its owner.
func TestBulkTaskReassignAndUndo(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "lead@example.com", "compliance")
	srv.addUser(t, "olive@example.com", "owner")
	srv.addUser(t, "oscar@example.com", "owner")
	ctx := context.Background()
	id := func(email string) int64 {
		var id int64
		if err := srv.app.DB.R.Raw(`SELECT id FROM users WHERE email = ?`, email).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	lead, olive := id("lead@example.com"), id("olive@example.com")
	for _, title := range []string{"Send the HR leavers list", "Send the firewall review"} {
		due := "2099-01-31"
		if _, err := srv.app.Tasks.CreateAdhoc(ctx, lead, tasks.AdhocInput{Title: &title, OwnerID: &olive, DueOn: &due}); err != nil {
			t.Fatal(err)
		}
	}
	owners := func() string {
		var emails []string
		if err := srv.app.DB.R.Raw(`SELECT u.email FROM tasks t JOIN users u ON u.id = t.owner_id ORDER BY t.id`).Scan(&emails).Error; err != nil {
			t.Fatal(err)
		}
		return strings.Join(emails, ",")
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	asked := b.acceptDialogs()
	b.run("choose both tasks and reassign them",
		chromedp.Navigate(srv.base+"/team-tasks"),
		chromedp.WaitVisible(`//table[@id="team-tasks"]//tr[contains(., "HR leavers")]`),
		chromedp.Click(chromedp.CSS(`#team-tasks-select-all`)),
		chromedp.WaitVisible(chromedp.CSS(`#tasks-bulk`)),
		pick("tasks-bulk-owner", "osc", "oscar@example.com"),
		chromedp.Click(chromedp.CSS(`#tasks-bulk-reassign`)),
		chromedp.WaitVisible(`//*[@id="toast"][contains(., "Reassigned 2 tasks to oscar@example.com")]`),
		chromedp.WaitVisible(`//table[@id="team-tasks"]//tr[contains(., "firewall")]/td[contains(., "oscar@example.com")]`),
	)
	if m := <-asked; m != "Reassign 2 tasks to oscar@example.com? Their current owners stop seeing them." {
		t.Errorf("asked %q", m)
	}
	if got := owners(); got != "oscar@example.com,oscar@example.com" {
		t.Errorf("after reassigning: %s", got)
	}
	b.run("undo it", chromedp.Click(chromedp.CSS(`#toast-undo`)), chromedp.WaitVisible(`//*[@id="toast"][contains(., "Undone")]`),
		chromedp.WaitVisible(`//table[@id="team-tasks"]//tr[contains(., "firewall")]/td[contains(., "olive@example.com")]`))
	if got := owners(); got != "olive@example.com,olive@example.com" {
		t.Errorf("after undo: %s", got)
	}
	b.checkNoProblems()
}

// On a 390 px phone the dashboard's readiness bars end inside the screen.
func TestReadinessBarsFitAPhone(t *testing.T) {
	srv := startServer(t)
	srv.loadDemo(t)
	srv.addUser(t, "lead@example.com", "compliance")
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("open the dashboard on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
		chromedp.Navigate(srv.base+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`#readiness-parts svg.chart.bar`)),
	)
	right := b.number(`Math.max(...[...document.querySelectorAll('#readiness-parts svg.chart.bar, #readiness-parts')].map(e => e.getBoundingClientRect().right))`)
	if right > 390 {
		t.Errorf("the readiness bars end at %v px, past the 390 px screen", right)
	}
	b.checkNoProblems()
}
