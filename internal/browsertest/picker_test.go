//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// On the demo, the compliance lead retires AC-03 and names the control
// that replaces it by typing words of its title into the "Replaced by"
// picker and choosing the match with the keyboard; after saving, the page
// shows the chosen control by its reference and title.
func TestPickAControlByTyping(t *testing.T) {
	srv := startServer(t)
	srv.loadDemo(t)
	srv.addUser(t, "lead@example.com", "compliance")
	ids := map[string]int64{}
	for _, ref := range []string{"AC-03", "AC-05"} {
		var id int64
		if err := srv.app.DB.R.Table("controls").Where("ref = ?", ref).Pluck("id", &id).Error; err != nil {
			t.Fatal(err)
		}
		ids[ref] = id
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	asked := b.acceptDialogs()
	page := fmt.Sprintf("%s/controls/%d", srv.base, ids["AC-03"])
	const chosen = "AC-05 — Role-based access in the payroll console"
	b.run("type words of the title",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`#control-replaced-by`)),
		chromedp.SendKeys(chromedp.CSS(`#control-replaced-by`), "role-based"),
		chromedp.WaitVisible(fmt.Sprintf(`//ul[@id="control-replaced-by-matches"]/li[@role="option"][1][.=%q]`, chosen)),
	)
	b.run("choose it with the keyboard and save",
		chromedp.SendKeys(chromedp.CSS(`#control-replaced-by`), kb.Enter),
		chromedp.WaitNotPresent(chromedp.CSS(`#control-replaced-by-matches`)),
		chromedp.SendKeys(chromedp.CSS(`#control-retired-on`), "12312026"),
		chromedp.Click(`//button[text()="Save control"]`),
		chromedp.WaitVisible(`//*[@role="status"][contains(., "Saved")]`),
	)
	// Retiring it asks first, naming the control and the day.
	if m := <-asked; !strings.HasPrefix(m, "Retire AC-03 ") || !strings.Contains(m, " on 2026-12-31? It stops operating after that day") {
		t.Errorf("asked %q", m)
	}
	var replacedBy int64
	if err := srv.app.DB.R.Table("controls").Where("id = ?", ids["AC-03"]).Pluck("replaced_by", &replacedBy).Error; err != nil {
		t.Fatal(err)
	}
	if replacedBy != ids["AC-05"] {
		t.Fatalf("AC-03 is replaced by control %d, want AC-05 (%d)", replacedBy, ids["AC-05"])
	}
	b.run("the page shows the choice by name",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`#control-replaced-by`)),
	)
	// The name comes with a second request: wait for it, a while at most.
	var shown string
	for range 50 {
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#control-replaced-by").value`))
		if err != nil {
			t.Fatal(err)
		}
		if shown = v; shown == chosen {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if shown != chosen {
		t.Errorf("the picker shows %q, want %q", shown, chosen)
	}
	b.checkNoProblems()
}

// pick types into the search picker whose input has the ID and clicks the
// match that reads option, so the choice comes from the server's search.
func pick(id, typed, option string) step {
	steps := []step{
		chromedp.SendKeys(chromedp.CSS("#"+id), typed),
		chromedp.Click(fmt.Sprintf(`//ul[@id=%q]/li[@role="option"][.=%q]`, id+"-matches", option)),
		chromedp.WaitNotPresent(chromedp.CSS("#" + id + "-matches")),
	}
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		for _, s := range steps {
			if _, err := s(ctx, tg); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}
