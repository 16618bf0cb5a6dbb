//go:build browser

package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// acceptDialogs accepts every confirmation the page asks for, as a person
// clicking OK would, and sends what each asked on the channel.
func (b *browser) acceptDialogs() <-chan string {
	asked := make(chan string, 8)
	opening := chromedp.Events(b.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range opening {
			if err != nil {
				return
			}
			asked <- ev.Message
			// Answering waits on the tab's reader, so it runs apart from the loop that reads its events.
			go func() {
				err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
					return err
				}))
				if err != nil && b.ctx.Err() == nil {
					b.t.Errorf("accept the dialog: %v", err)
				}
			}()
		}
	}()
	return asked
}

// On the demo an administrator makes an owner compliance: the browser's
// own confirmation names the account and the role, and the saved notice
// takes the change back.
func TestRoleChangeConfirmedAndUndone(t *testing.T) {
	srv := startServer(t)
	srv.loadDemo(t)
	srv.addUser(t, "root@example.com", "admin")
	const who = "legal@larkspur.example"
	role := func() string {
		var r string
		if err := srv.app.DB.R.Table("users").Where("email = ?", who).Pluck("role", &r).Error; err != nil {
			t.Fatal(err)
		}
		return r
	}
	b := newBrowser(t)
	b.signIn(srv.base, "root@example.com")
	asked := b.acceptDialogs()
	b.run("make legal compliance",
		chromedp.Navigate(srv.base+"/users"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-email="`+who+`"] select`)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`(() => { const s = document.querySelector('tr[data-email="`+who+`"] select');
				s.value = 'compliance'; s.dispatchEvent(new Event('change', { bubbles: true })); return true })()`)(ctx, tg)
			return err
		}),
		chromedp.WaitVisible(`//*[@id="toast"][contains(., "is now compliance")]`),
	)
	select {
	case m := <-asked:
		if want := "Make " + who + " compliance? What they may see and do changes at once."; m != want {
			t.Errorf("asked %q, want %q", m, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no confirmation was asked")
	}
	if got := role(); got != "compliance" {
		t.Fatalf("after the change the role is %q", got)
	}
	b.run("undo it", chromedp.Click(chromedp.CSS(`#toast-undo`)), chromedp.WaitVisible(`//*[@id="toast"][contains(., "Undone")]`))
	if got := role(); got != "owner" {
		t.Errorf("after undo the role is %q, want owner", got)
	}
	b.checkNoProblems()
}
