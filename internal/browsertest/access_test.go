//go:build browser

package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Each role sees the pages it may use, and a page it may not use is
// refused even when opened by its address.
func TestRolesSeeTheirPages(t *testing.T) {
	srv := startServer(t)
	srv.addUser(t, "admin@example.com", "admin")
	srv.addUser(t, "auditor@example.com", "auditor")
	srv.addUser(t, "lead@example.com", "compliance")

	t.Run("auditor", func(t *testing.T) {
		b := newBrowser(t)
		b.signIn(srv.base, "auditor@example.com")
		nav := b.text(`nav[aria-label="Main"]`)
		if !strings.Contains(nav, "Catalog") || !strings.Contains(nav, "Audit log") || strings.Contains(nav, "Users") {
			t.Errorf("auditor navigation %q: want Catalog and Audit log, no Users", nav)
		}
		if role := b.text(`#user-menu .role`); !strings.EqualFold(role, "auditor") {
			t.Errorf("user menu shows role %q", role)
		}
		b.run("open users by address",
			chromedp.Navigate(srv.base+"/users"),
			chromedp.WaitVisible(`//h1[text()="Not available to your role"]`),
		)
		b.run("audit log opens",
			chromedp.Navigate(srv.base+"/audit"),
			chromedp.WaitVisible(chromedp.CSS(`#audit-count`)),
		)
		b.checkNoProblems()
	})

	t.Run("compliance", func(t *testing.T) {
		b := newBrowser(t)
		b.signIn(srv.base, "lead@example.com")
		nav := b.text(`nav[aria-label="Main"]`)
		if !strings.Contains(nav, "Audit log") || strings.Contains(nav, "Users") {
			t.Errorf("compliance navigation %q: want Audit log, no Users", nav)
		}
		b.run("audit log shows sign-ins",
			chromedp.Navigate(srv.base+"/audit?action=login.success"),
			chromedp.WaitVisible(chromedp.CSS(`#audit-table`)),
		)
		if log := b.text(`#audit-table`); !strings.Contains(log, "lead@example.com") {
			t.Errorf("audit log %q lacks this sign-in", log)
		}
		b.run("change own password",
			chromedp.Click(chromedp.CSS(`#user-menu .who`)),
			chromedp.WaitVisible(chromedp.CSS(`#current-password`)),
			chromedp.SendKeys(chromedp.CSS(`#current-password`), password),
			chromedp.SendKeys(chromedp.CSS(`#new-password`), "a-brand-new-passphrase"),
			chromedp.SendKeys(chromedp.CSS(`#confirm-password`), "a-brand-new-passphrase"+kb.Enter),
			chromedp.WaitVisible(`//*[@role="status"][contains(., "Password changed")]`),
		)
		b.run("sign out",
			chromedp.Click(chromedp.CSS(`#sign-out`)),
			chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		)
		b.checkNoProblems()
	})

	t.Run("admin creates an auditor", func(t *testing.T) {
		b := newBrowser(t)
		b.signIn(srv.base, "admin@example.com")
		b.run("add an auditor without an end date",
			chromedp.Click(`//nav//a[text()="Users"]`),
			chromedp.WaitVisible(chromedp.CSS(`#users-table`)),
			chromedp.SendKeys(chromedp.CSS(`#new-user-email`), "firm@example.com"),
			chromedp.SetValue(chromedp.CSS(`#new-user-role`), "auditor"),
			chromedp.SendKeys(chromedp.CSS(`#new-user-password`), password),
			chromedp.SendKeys(chromedp.CSS(`#new-user-email`), kb.Enter),
			chromedp.WaitVisible(`//*[@role="alert"]`),
		)
		if msg := b.text(`.field-error`); !strings.Contains(msg, "access end date") {
			t.Errorf("field error %q, want the missing access end date named", msg)
		}
		b.run("add it with an end date",
			chromedp.SendKeys(chromedp.CSS(`#new-user-access`), "03312027"),
			chromedp.SendKeys(chromedp.CSS(`#new-user-email`), kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(`tr[data-email="firm@example.com"]`)),
		)
		b.checkNoProblems()
	})
}

// On a new installation the first visitor creates the administrator, asks
// for the demo organisation and lands on its dashboard.
func TestFirstRunSetup(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.run("setup",
		chromedp.Navigate(srv.base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#setup-email`)),
		chromedp.SendKeys(chromedp.CSS(`#setup-email`), "first@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#setup-password`), password),
		chromedp.SendKeys(chromedp.CSS(`#setup-confirm`), password),
		chromedp.Click(chromedp.CSS(`#setup-demo`)),
		chromedp.SendKeys(chromedp.CSS(`#setup-email`), kb.Enter),
		chromedp.WaitVisible(`//h1[text()="Organisation"]`),
		chromedp.WaitVisible(chromedp.CSS(`a.heat[data-requirement="soc2-tsc-2017/CC6.1"]`)),
		chromedp.WaitVisible(`//nav//a[text()="Users"]`),
	)
	b.checkNoProblems()
}
