//go:build browser

package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/reporting"
)

// loadDemo fills the server with the demo organisation.
func (s *server) loadDemo(t *testing.T) demo.Result {
	t.Helper()
	blobs, err := blob.Open(filepath.Join(s.dataDir, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := demo.Load(context.Background(), s.app.DB, blobs, s.app.Tasks, demo.Options{Seed: demo.DefaultSeed, Today: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// screenshotDir is where the README's screenshots go: SOCMAP_SCREENSHOTS
// (make screenshots sets it to docs/screenshots), else a temporary folder.
func screenshotDir(t *testing.T) string {
	if dir := os.Getenv("SOCMAP_SCREENSHOTS"); dir != "" {
		return dir
	}
	return t.TempDir()
}

// On the demo data a compliance lead opens the dashboard of the SOC 2
// engagement: the readiness figure is the API's, a heatmap cell leads to
// that criterion's controls, and the dashboard and the workbook are
// captured for the README.
func TestDashboardOnDemoData(t *testing.T) {
	srv := startServer(t)
	loaded := srv.loadDemo(t)
	srv.addUser(t, "lead@example.com", "compliance")
	shots := screenshotDir(t)
	b := newBrowser(t)
	b.signIn(srv.base, "lead@example.com")

	soc2 := loaded.Engagements[0]
	b.run("open the SOC 2 dashboard",
		chromedp.WaitVisible(`//h1[text()="Organisation"]`),
		chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`#dashboard-engagement option[value="%d"]`, soc2))),
		// Choose it as a user does: React listens for the change event.
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const s = document.querySelector('#dashboard-engagement');
				s.value = '%d'; s.dispatchEvent(new Event('change', { bubbles: true })); return true })()`, soc2))(ctx, t)
			return err
		}),
		chromedp.WaitVisible(`//h1[starts-with(., "SOC 2 Type II")]`),
		chromedp.WaitVisible(chromedp.CSS(`a.heat[data-requirement="soc2-tsc-2017/CC6.1"]`)),
	)
	shown := b.text(`#dashboard-readiness`)
	api, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](
		fmt.Sprintf(`fetch('/api/v1/engagements/%d/rollup').then(r => r.json()).then(j => j.readiness.percent)`, soc2),
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if shown != fmt.Sprint(api) || api == 0 {
		t.Errorf("the dashboard shows %s%% readiness, the API says %d%%", shown, api)
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	writeShot(t, shots, "dashboard.png", png)

	b.run("a heatmap cell opens the criterion's controls",
		chromedp.Click(chromedp.CSS(`a.heat[data-requirement="soc2-tsc-2017/CC6.1"]`)),
		chromedp.WaitVisible(`//*[contains(., "Mapped to CC6.1")]`),
		chromedp.WaitVisible(chromedp.CSS(`#controls-table tbody tr`)),
	)
	if loc := b.location(); !strings.Contains(loc, "/controls?requirement=soc2-tsc-2017%2FCC6.1") {
		t.Errorf("landed on %s", loc)
	}
	b.checkNoProblems()

	b.run("the workbook, rendered",
		chromedp.Navigate("data:text/html;charset=utf-8,"+workbookHTML(t, srv, soc2)),
		chromedp.WaitVisible(chromedp.CSS(`table`)),
	)
	png, err = chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	writeShot(t, shots, "workbook.png", png)
}

func writeShot(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// workbookHTML exports the engagement's workbook as an auditor gets it and
// renders the top of its Control matrix sheet as a spreadsheet-like page.
func workbookHTML(t *testing.T, srv *server, id int64) string {
	t.Helper()
	blobs, err := blob.Open(filepath.Join(srv.dataDir, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	svc := engagement.NewService(srv.app.DB, nil)
	var buf bytes.Buffer
	rep := reporting.Reporter{Engagements: svc, DB: srv.app.DB, Blobs: blobs, TmpDir: t.TempDir()}
	if err := rep.Workbook(context.Background(), id, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	rows, err := f.GetRows("Control matrix")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><style>body{font:12px Calibri,Arial,sans-serif;margin:0}` +
		`.tabs span{display:inline-block;padding:4px 10px;border:1px solid #bbb;border-top:0;background:#eee}.tabs .on{background:#fff;font-weight:bold}` +
		`table{border-collapse:collapse}td,th{border:1px solid #d4d4d4;padding:3px 6px;max-width:260px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}` +
		`th{background:#1f4e78;color:#fff;text-align:left}td.n{background:#f3f3f3;color:#666;text-align:center}</style><table>`)
	for i, r := range rows {
		if i > 24 {
			break
		}
		b.WriteString("<tr><td class=n>" + fmt.Sprint(i+1) + "</td>")
		for j, v := range r {
			if j > 11 {
				break
			}
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			b.WriteString("<" + tag + ">" + html.EscapeString(v) + "</" + tag + ">")
		}
		b.WriteString("</tr>")
	}
	b.WriteString(`</table><div class=tabs>`)
	for _, s := range sheets {
		class := ""
		if s == "Control matrix" {
			class = " class=on"
		}
		b.WriteString("<span" + class + ">" + html.EscapeString(s) + "</span>")
	}
	b.WriteString("</div>")
	return strings.NewReplacer("%", "%25", "#", "%23").Replace(b.String())
}
