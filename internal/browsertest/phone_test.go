//go:build browser

package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// fitsWidth is a script that reports the elements sticking out past the
// right edge of a phone's screen (the page itself scrolling sideways).
const fitsWidth = `(() => {
	const w = document.documentElement.clientWidth
	const out = [...document.querySelectorAll('body *')].filter((e) => {
		const r = e.getBoundingClientRect()
		if (r.width === 0 || r.right <= w + 1) return false
		for (let p = e.parentElement; p; p = p.parentElement) {
			if (getComputedStyle(p).overflowX !== 'visible') return false // scrolls inside its own box
		}
		return true
	})
	return out.slice(0, 5).map((e) => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
})()`

// A control owner on a 390×844 phone signs in, finds the navigation and
// Sign out behind the menu, and uploads the evidence of an overdue task;
// nothing on the way sticks out past the screen.
func TestOwnerUploadsEvidenceOnAPhone(t *testing.T) {
	srv := startServer(t)
	file := ownerWithMarchTask(t, srv)
	b := newBrowser(t)
	b.run("sign in on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
		chromedp.Navigate(srv.base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), "owner@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), password),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#menu-toggle`)),
		chromedp.WaitVisible(`//h1[text()="My tasks"]`),
		chromedp.WaitNotVisible(chromedp.CSS(`#sign-out`)),
	)
	b.fits("the task list")

	b.run("open the menu: every page and Sign out",
		chromedp.Click(chromedp.CSS(`#menu-toggle`)),
		chromedp.WaitVisible(chromedp.CSS(`#sign-out`)),
		chromedp.WaitVisible(`//nav[@id="main-nav"]//a[text()="My tasks"]`),
	)
	b.fits("the open menu")
	if right := b.number(`document.querySelector('#sign-out').getBoundingClientRect().right`); right > 390 {
		t.Errorf("Sign out ends at %v px, past the 390 px screen", right)
	}
	b.run("a link closes the menu",
		chromedp.Click(`//nav[@id="main-nav"]//a[text()="My tasks"]`),
		chromedp.WaitNotVisible(chromedp.CSS(`#sign-out`)),
	)

	march := `//table[@id="tasks-table-overdue"]//tr[contains(., "AC-03, March 2026")]`
	b.run("upload evidence from the task",
		chromedp.WaitVisible(march+`//button[text()="Upload evidence"]`),
		chromedp.Click(march+`//button[text()="Upload evidence"]`),
		chromedp.WaitVisible(chromedp.CSS(`form.task-upload`)),
	)
	b.fits("the upload form")
	b.run("send the file",
		chromedp.SetUploadFiles(chromedp.CSS(`form.task-upload input.task-file`), []string{file}),
		chromedp.Click(chromedp.CSS(`.task-upload-submit`)),
		chromedp.WaitNotPresent(march),
		chromedp.Click(chromedp.CSS(`#tasks-show-closed`)),
		chromedp.WaitVisible(`//table[@id="tasks-table-done"]//tr[contains(., "AC-03, March 2026")]`),
	)
	b.run("sign out from the menu",
		chromedp.Click(chromedp.CSS(`#menu-toggle`)),
		chromedp.Click(chromedp.CSS(`#sign-out`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
	)
	b.checkNoProblems()
}

// fits fails the test when something on the page sticks out past the
// screen's right edge.
func (b *browser) fits(what string) {
	b.t.Helper()
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](fitsWidth))
	if err != nil {
		b.t.Fatal(err)
	}
	if len(out) > 0 {
		b.screenshot(what)
		b.t.Errorf("%s is wider than the screen: %v", what, out)
	}
}

func (b *browser) number(expr string) float64 {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](expr))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}
