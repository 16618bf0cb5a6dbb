//go:build browser

package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/store"
)

// A control owner signs in, sees an overdue evidence task, uploads the
// evidence from the task and sees the task done.
func TestOwnerCompletesOverdueTask(t *testing.T) {
	srv := startServer(t)
	file := ownerWithMarchTask(t, srv)

	b := newBrowser(t)
	b.signIn(srv.base, "owner@example.com")
	march := `//table[@id="tasks-table-overdue"]//tr[contains(., "AC-03, March 2026")]`
	b.run("the owner lands on their overdue tasks",
		chromedp.WaitVisible(`//h1[text()="My tasks"]`),
		chromedp.WaitVisible(march),
	)
	b.run("upload evidence from the task",
		chromedp.Click(march+`//button[text()="Upload evidence"]`),
		chromedp.WaitVisible(chromedp.CSS(`form.task-upload`)),
		chromedp.SetUploadFiles(chromedp.CSS(`form.task-upload input.task-file`), []string{file}),
		chromedp.Click(chromedp.CSS(`.task-upload-submit`)),
		chromedp.WaitNotPresent(march),
	)
	b.run("the task is done",
		chromedp.Click(chromedp.CSS(`#tasks-show-closed`)),
		chromedp.WaitVisible(`//table[@id="tasks-table-done"]//tr[contains(., "AC-03, March 2026")]`),
	)
	b.checkNoProblems()
}

// ownerWithMarchTask adds owner@example.com, owner of the monthly control
// AC-03 in a SOC 2 Type II engagement over 2026 H1, so that the owner has
// an overdue task for March 2026; it returns a file to upload for it.
func ownerWithMarchTask(t *testing.T, srv *server) string {
	t.Helper()
	srv.addUser(t, "owner@example.com", "owner")
	ctx := context.Background()
	var owner store.User
	if err := srv.app.DB.R.Take(&owner, "email = ?", "owner@example.com").Error; err != nil {
		t.Fatal(err)
	}
	ref, title, freq, nature, typ := "AC-03", "Monthly access review", "monthly", "manual", "detective"
	ctl := controls.NewService(srv.app.DB)
	c, err := ctl.Create(ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &freq, Nature: &nature, Type: &typ, OwnerID: &owner.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctl.ApplyMappings(ctx, []controls.MappingChange{{ControlID: c.ID, Requirement: "soc2-tsc-2017/CC6.1"}}, nil); err != nil {
		t.Fatal(err)
	}
	name, report, kind, start, end := "SOC 2 Type II 2026 H1", "soc2", "type2", "2026-01-01", "2026-06-30"
	if _, err := engagement.NewService(srv.app.DB, nil).Create(ctx, engagement.Input{Name: &name, Report: &report,
		ReportType: &kind, PeriodStart: &start, PeriodEnd: &end}); err != nil {
		t.Fatal(err)
	}
	if err := srv.app.Tasks.Refresh(ctx, nil); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "march-access-review.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.7 March access review, signed\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	return file
}
