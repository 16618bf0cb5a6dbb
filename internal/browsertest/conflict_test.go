//go:build browser

package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/controls"
)

// otherSession is a second browser context of the same chromium: its own
// cookies and storage, so it signs in as a separate session.
func (b *browser) otherSession() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a second browser context: %v", err)
	}
	other := &browser{ctx: ctx, t: b.t}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !expectedHTTPError(m) {
				other.mu.Lock()
				other.problems = append(other.problems, m.String())
				other.mu.Unlock()
			}
		}
	}()
	return other
}

// value returns the value of the first form field matching a CSS selector.
func (b *browser) value(css string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(css)))
	if err != nil {
		b.screenshot("value")
		b.t.Fatalf("read the value of %s: %v", css, err)
	}
	return v
}

const (
	controlForm = `form[aria-label="Control attributes"]`
	saveControl = `//form[@aria-label="Control attributes"]//button[text()="Save control"]`
)

// Two sessions load control 2. One saves a new description; the other
// saves its stale form and is refused: it sees the first description
// beside its own unsaved text, which stays in the form, and the first
// description is still the one stored.
func TestTwoSessionsEditControl2(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "alice@example.com", "compliance")
	srv.addUser(t, "bob@example.com", "compliance")
	srv.addControl(t, "AC-01", "quarterly", "soc2-tsc-2017/CC6.1")
	srv.addControl(t, "AC-02", "quarterly", "soc2-tsc-2017/CC6.2")

	alice := newBrowser(t)
	alice.signIn(srv.base, "alice@example.com")
	bob := alice.otherSession()
	bob.signIn(srv.base, "bob@example.com")
	for _, b := range []*browser{alice, bob} {
		b.run("load control 2",
			chromedp.Navigate(srv.base+"/controls/2"),
			chromedp.WaitVisible(`//h1[contains(., "AC-02")]`),
			chromedp.WaitVisible(chromedp.CSS(controlForm+" textarea")),
		)
	}

	const first, stale = "Alice: the CISO reviews access every quarter", "Bob: reviewed by IT"
	alice.run("save a new description",
		chromedp.SendKeys(chromedp.CSS(controlForm+" textarea"), first),
		chromedp.Click(saveControl),
		chromedp.WaitVisible(`//*[@role="status"][contains(., "Saved")]`),
	)
	bob.run("save the stale form",
		chromedp.SendKeys(chromedp.CSS(controlForm+" textarea"), stale),
		chromedp.Click(saveControl),
		chromedp.WaitVisible(chromedp.CSS(`[aria-label="Edit conflict"]`)),
	)
	notice := bob.text(`[aria-label="Edit conflict"]`)
	if !strings.Contains(notice, "Someone else saved this control") || !strings.Contains(notice, first) || !strings.Contains(notice, stale) {
		t.Errorf("conflict notice %q: want their description and the unsaved one", notice)
	}
	if kept := bob.value(controlForm + " textarea"); kept != stale {
		t.Errorf("bob's form holds %q, want his unsaved %q", kept, stale)
	}

	c, err := controls.NewService(srv.app.DB).Get(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if c.Control.Description != first {
		t.Errorf("stored description %q, want the first save's %q", c.Control.Description, first)
	}
	alice.run("reload",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(controlForm+" textarea")),
	)
	if shown := alice.value(controlForm + " textarea"); shown != first {
		t.Errorf("after a reload the form shows %q, want %q", shown, first)
	}
	alice.checkNoProblems()
	bob.checkNoProblems()
}
