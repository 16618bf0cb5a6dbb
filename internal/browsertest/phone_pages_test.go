//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// insideCards reports form fields and buttons that end past the right
// edge of the card or form around them (outside a box that scrolls): on
// a phone such a field is cut off or pushes its card wider than the screen.
const insideCards = `(() => {
	const out = []
	for (const e of document.querySelectorAll('main input, main select, main textarea, main button')) {
		const box = e.closest('.card, form')
		if (!box || e.getBoundingClientRect().width === 0) continue
		let scrolls = false // a wide table scrolls inside its own box, its actions reachable
		for (let p = e.parentElement; p && p !== box; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') scrolls = true
		if (scrolls) continue
		const over = e.getBoundingClientRect().right - box.getBoundingClientRect().right
		if (over > 1) out.push(e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + Math.round(over) + ' px past its ' + (box.id || box.className || box.tagName))
	}
	return out.slice(0, 5)
})()`

// On a 390×844 phone every main page of the demo, its forms included,
// fits the screen: nothing ends past the screen's right edge and no field
// runs past the card it sits in.
func TestMainPagesFitAPhone(t *testing.T) {
	srv := startServer(t)
	loaded := srv.loadDemo(t)
	srv.addUser(t, "admin@example.com", "admin")
	var controlID int64
	if err := srv.app.DB.R.Table("controls").Where("ref = ?", "AC-03").Pluck("id", &controlID).Error; err != nil {
		t.Fatal(err)
	}
	soc2 := loaded.Engagements[0]
	b := newBrowser(t)
	b.signIn(srv.base, "admin@example.com")
	b.run("a phone's screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	pages := []string{"/dashboard", "/tasks", "/team-tasks", "/engagements", fmt.Sprintf("/engagements/%d", soc2),
		fmt.Sprintf("/engagements/%d/requests", soc2), fmt.Sprintf("/engagements/%d/controls/%d", soc2, controlID),
		"/engagements/scoping", "/controls", fmt.Sprintf("/controls/%d", controlID), "/matrix", "/soc1-objectives", "/evidence",
		"/automated", "/coverage", "/catalog", "/users", "/audit", "/outbox", "/settings", "/tokens", "/account"}
	for _, p := range pages {
		b.run("open "+p, chromedp.Navigate(srv.base+p), chromedp.WaitVisible(chromedp.CSS(`main h1`)),
			chromedp.WaitNotPresent(chromedp.CSS(`.loading`)))
		b.fits(p)
		cut, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](insideCards))
		if err != nil {
			t.Fatal(err)
		}
		if len(cut) > 0 {
			b.screenshot("card" + strings.ReplaceAll(p, "/", "-"))
			t.Errorf("%s has fields past their card: %v", p, cut)
		}
	}
	b.checkNoProblems()
}
