//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
)

// Changing who tests an engagement, or moving it on to fieldwork, is a
// quick edit: the saved notice says what changed and its Undo puts the
// old value back on the server.
func TestEngagementQuickEditsUndo(t *testing.T) {
	srv := startServer(t)
	id, _, _ := requestLoopFixture(t, srv)
	srv.addUser(t, "lead@example.com", "compliance")
	eng := engagement.NewService(srv.app.DB, nil)
	get := func() (string, string) {
		t.Helper()
		d, err := eng.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return d.Status, d.Tester
	}
	status, tester := get()
	if status != "planning" || tester != "management_readiness" {
		t.Fatalf("the engagement starts in %s tested by %s", status, tester)
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("change who tests",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d", srv.base, id)),
		chromedp.WaitVisible(chromedp.CSS(`select[aria-label="Who tests"]`)),
		choose(`select[aria-label="Who tests"]`, "service_auditor"),
		chromedp.WaitVisible(`//*[@id="toast"][contains(., "Now tested by the service auditor.")]`),
	)
	if _, tester := get(); tester != "service_auditor" {
		t.Fatalf("tested by %s after the change", tester)
	}
	b.run("undo it", chromedp.Click(chromedp.CSS(`#toast-undo`)), chromedp.WaitVisible(`//*[@id="toast"][contains(., "Undone")]`))
	if _, tester := get(); tester != "management_readiness" {
		t.Fatalf("tested by %s after undo", tester)
	}
	b.run("move it to fieldwork",
		choose(`select[aria-label="Status"]`, "fieldwork"),
		chromedp.WaitVisible(`//*[@id="toast"][contains(., "The engagement is now in fieldwork.")]`),
	)
	if status, _ := get(); status != "fieldwork" {
		t.Fatalf("in %s after the move", status)
	}
	b.run("undo the move", chromedp.Click(chromedp.CSS(`#toast-undo`)), chromedp.WaitVisible(`//*[@id="toast"][contains(., "Undone")]`),
		chromedp.WaitVisible(`//select[@aria-label="Status"][.//option[@value="planning"]]`))
	if status, _ := get(); status != "planning" {
		t.Fatalf("in %s after undo", status)
	}
	b.checkNoProblems()
}
