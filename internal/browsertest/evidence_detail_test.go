//go:build browser

package browsertest

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// The compliance lead opens a demo evidence file from the library, sees
// its revisions and controls, unlinks one control, deletes the item with a
// reason and restores it from the same page.
func TestEvidenceDetailDeleteAndRestore(t *testing.T) {
	srv := startServer(t)
	srv.loadDemo(t)
	srv.addUser(t, "lead@example.com", "compliance")
	var ev struct {
		ID    int64
		Title string
	}
	db := srv.app.DB.R
	if err := db.Raw(`SELECT e.id, e.title FROM evidence e WHERE e.kind = 'file' AND e.deleted_at IS NULL
		AND (SELECT COUNT(*) FROM evidence_controls ec WHERE ec.evidence_id = e.id) >= 1 ORDER BY e.id LIMIT 1`).Scan(&ev).Error; err != nil || ev.ID == 0 {
		t.Fatalf("no file evidence in the demo: %v", err)
	}
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")
	b.run("open it from the library",
		chromedp.Navigate(srv.base+"/evidence?sort=id"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#evidence-table a[href="/evidence/%d"]`, ev.ID))),
		chromedp.WaitVisible(chromedp.CSS(`#evidence-revisions tbody tr[data-revision="1"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`#evidence-controls li[data-control]`)),
	)
	if h := b.text(`main h1`); h != ev.Title {
		t.Errorf("heading %q, want %q", h, ev.Title)
	}
	// The browser's own dialogs answer as the user would.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.confirm = () => true; window.prompt = () => 'Superseded by the Q3 listing'; true`)); err != nil {
		t.Fatal(err)
	}
	b.run("delete it", chromedp.Click(chromedp.CSS(`#evidence-delete`)), chromedp.WaitVisible(chromedp.CSS(`#evidence-missing`)))
	var deleted int64
	if err := db.Table("evidence").Where("id = ? AND deleted_at IS NOT NULL", ev.ID).Count(&deleted).Error; err != nil || deleted != 1 {
		t.Errorf("after delete: %d deleted rows, %v", deleted, err)
	}
	b.run("restore it", chromedp.Click(chromedp.CSS(`#evidence-restore`)), chromedp.WaitVisible(chromedp.CSS(`#evidence-meta`)))
	var live int64
	if err := db.Table("evidence").Where("id = ? AND deleted_at IS NULL", ev.ID).Count(&live).Error; err != nil || live != 1 {
		t.Errorf("after restore: %d live rows, %v", live, err)
	}
	b.checkNoProblems()
}
