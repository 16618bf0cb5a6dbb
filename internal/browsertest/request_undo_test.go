//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/requests"
)

// An auditor who accepted a request by mistake takes it back from the
// saved notice: the request is submitted again on the server, with the
// evidence handed over still attached, and can be decided again; an
// acceptance found later is reopened from the request's page.
func TestAuditorUndoesAnAcceptance(t *testing.T) {
	srv := startServer(t)
	id, _, ref := requestLoopFixture(t, srv)
	n, _ := requests.ParseRef(ref)
	svc := requests.NewService(srv.app.DB, engagement.NewService(srv.app.DB, nil), evidence.NewService(srv.app.DB, nil, 1<<20))
	get := func() requests.Detail {
		t.Helper()
		d, err := svc.Get(context.Background(), id, n)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	b := newBrowser(t)
	b.signIn(srv.base, "auditor@example.com")
	b.run("the auditor accepts",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d/requests/%s", srv.base, id, ref)),
		chromedp.Click(`#accept-request`),
		chromedp.WaitVisible(`//dd[@id="request-status"][text()="Accepted"]`),
		chromedp.WaitVisible(fmt.Sprintf(`//*[@id="toast"][contains(., "%s accepted.")]`, ref)),
	)
	if d := get(); d.Status != "accepted" {
		t.Fatalf("after accepting: %s", d.Status)
	}
	b.run("and undoes it from the notice",
		chromedp.Click(`#toast-undo`),
		chromedp.WaitVisible(`//*[@id="toast"][contains(., "Undone")]`),
		chromedp.WaitVisible(`//dd[@id="request-status"][text()="Submitted"]`),
		chromedp.WaitVisible(`#accept-request`),
	)
	if d := get(); d.Status != "submitted" || d.AcceptedAt != nil || len(d.Evidence) != 1 || len(d.History) != 3 {
		t.Errorf("after the undo: %s accepted at %v, %d evidence, %d steps", d.Status, d.AcceptedAt, len(d.Evidence), len(d.History))
	}
	b.run("accepts again, and later reopens it from the page",
		chromedp.Click(`#accept-request`),
		chromedp.WaitVisible(`//dd[@id="request-status"][text()="Accepted"]`),
		chromedp.Reload(),
		chromedp.Click(`#reopen-request`),
		chromedp.WaitVisible(`//dd[@id="request-status"][text()="Submitted"]`),
	)
	if d := get(); d.Status != "submitted" || len(d.History) != 5 {
		t.Errorf("after reopening: %s, %d steps", d.Status, len(d.History))
	}
	b.checkNoProblems()
}
