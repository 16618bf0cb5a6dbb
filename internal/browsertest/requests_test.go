//go:build browser

package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/controls"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/evidence"
	"github.com/socmap/socmap/internal/requests"
	"github.com/socmap/socmap/internal/store"
)

// The request loop end to end: the auditor opens CM-02 in their
// engagement and returns its population request with a comment; the
// control owner finds it on My tasks, attaches a file and submits; the
// auditor accepts; and the request's ID is the same in the workbook
// before and after.
func TestAuditorReturnsOwnerSubmitsAuditorAccepts(t *testing.T) {
	srv := startServer(t)
	id, control, ref := requestLoopFixture(t, srv)
	before := workbookRequestRow(t, srv, ref)

	auditor := newBrowser(t)
	auditor.signIn(srv.base, "auditor@example.com")
	page := fmt.Sprintf("%s/engagements/%d/requests/%s", srv.base, id, ref)
	auditor.run("the auditor opens CM-02 in the engagement",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d/controls/%d", srv.base, id, control)),
		chromedp.WaitVisible(`//h1[contains(., "CM-02")]`),
	)
	auditor.run("and returns its population request with a comment",
		chromedp.Navigate(fmt.Sprintf("%s/engagements/%d/requests", srv.base, id)),
		chromedp.Click(fmt.Sprintf(`//table[@id="requests-table"]//a[text()=%q]`, ref)),
		chromedp.WaitVisible(`#return-reason`),
		chromedp.SendKeys(`#return-reason`, "Please include the change tickets of June."),
		chromedp.Click(`#return-request`),
		chromedp.WaitVisible(`//dd[@id="request-status"][starts-with(., "Returned")]`),
		chromedp.WaitVisible(`//ol[@id="request-thread"]//p[contains(., "change tickets of June")]`),
	)

	owner := newBrowser(t)
	owner.signIn(srv.base, "owner@example.com")
	file := filepath.Join(t.TempDir(), "changes-h1.csv")
	if err := os.WriteFile(file, []byte("ticket,date\nCHG-1,2026-06-03\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	owner.run("the owner sees it on My tasks, attaches a file and submits",
		chromedp.WaitVisible(`//h1[text()="My tasks"]`),
		chromedp.Click(fmt.Sprintf(`//table[@id="tasks-requests-table"]//a[text()=%q]`, ref)),
		chromedp.WaitVisible(`#request-file`),
		chromedp.SetUploadFiles(`#request-file`, []string{file}),
		chromedp.Click(`#submit-request`),
		chromedp.WaitVisible(`//dd[@id="request-status"][text()="Submitted"]`),
		chromedp.WaitVisible(`//a[text()="changes-h1.csv"]`),
	)

	auditor.run("the auditor accepts",
		chromedp.Navigate(page),
		chromedp.Click(`#accept-request`),
		chromedp.WaitVisible(`//dd[@id="request-status"][text()="Accepted"]`),
	)
	after := workbookRequestRow(t, srv, ref)
	if after[0] != before[0] || after[5] != before[5] || after[8] != "Accepted" {
		t.Errorf("workbook row before %v, after %v", before, after)
	}
	auditor.checkNoProblems()
	owner.checkNoProblems()
}

// requestLoopFixture: CM-02, owned by owner@example.com, in a SOC 2 Type
// II granted to auditor@example.com, with its generated requests; the
// population request has been submitted with existing evidence. It
// returns the engagement, the control and that request's ID.
func requestLoopFixture(t *testing.T, srv *server) (int64, int64, string) {
	t.Helper()
	ctx := context.Background()
	srv.addUser(t, "owner@example.com", "owner")
	srv.addUser(t, "auditor@example.com", "auditor")
	var owner store.User
	if err := srv.app.DB.R.Take(&owner, "email = ?", "owner@example.com").Error; err != nil {
		t.Fatal(err)
	}
	ref, title, freq, nature, typ := "CM-02", "Change approval", "monthly", "manual", "preventive"
	ctl := controls.NewService(srv.app.DB)
	c, err := ctl.Create(ctx, controls.Input{Ref: &ref, Title: &title, Frequency: &freq, Nature: &nature, Type: &typ, OwnerID: &owner.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctl.ApplyMappings(ctx, []controls.MappingChange{{ControlID: c.ID, Requirement: "soc2-tsc-2017/CC8.1"}}, nil); err != nil {
		t.Fatal(err)
	}
	eng := engagement.NewService(srv.app.DB, nil)
	name, report, kind, start, end := "SOC 2 Type II 2026 H1", "soc2", "type2", "2026-01-01", "2026-06-30"
	e, err := eng.Create(ctx, engagement.Input{Name: &name, Report: &report, ReportType: &kind, PeriodStart: &start, PeriodEnd: &end})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.SetAuditors(ctx, e.ID, []string{"auditor@example.com"}, nil); err != nil {
		t.Fatal(err)
	}
	ownerP := &auth.Principal{User: owner}
	ev := evidence.NewService(srv.app.DB, nil, 1<<20)
	ids := []int64{c.ID}
	note, etitle := "Jira export of every change", "Change tickets"
	item, err := ev.CreateOther(ctx, ownerP, "note", "", note, evidence.Meta{Title: &etitle, ControlIDs: &ids})
	if err != nil {
		t.Fatal(err)
	}
	svc := requests.NewService(srv.app.DB, eng, ev)
	created, err := svc.Generate(ctx, auth.Trusted, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range created {
		if r.Kind == "population" && r.Phase == "interim" {
			if _, err := svc.Submit(ctx, ownerP, e.ID, r.Number, []int64{item.ID}, "Here it is."); err != nil {
				t.Fatal(err)
			}
			return e.ID, c.ID, r.Ref
		}
	}
	t.Fatalf("no population request among %d generated", len(created))
	return 0, 0, ""
}

// workbookRequestRow downloads the workbook as the auditor and returns
// the request's row of its Requests sheet.
func workbookRequestRow(t *testing.T, srv *server, ref string) []string {
	t.Helper()
	body := strings.NewReader(`{"email":"auditor@example.com","password":"` + password + `"}`)
	resp, err := http.Post(srv.base+"/api/v1/auth/login", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "socmap_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	var id struct{ Engagements []struct{ ID int64 } }
	get := func(path string) []byte {
		req, _ := http.NewRequest("GET", srv.base+path, nil)
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", path, resp.StatusCode, err)
		}
		return b
	}
	if err := json.Unmarshal(get("/api/v1/engagements"), &id); err != nil || len(id.Engagements) != 1 {
		t.Fatalf("engagements: %v %+v", err, id)
	}
	f, err := excelize.OpenReader(bytes.NewReader(get(fmt.Sprintf("/api/v1/engagements/%d/workbook", id.Engagements[0].ID))))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(engagement.RequestsSheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 8 && r[0] == ref {
			return r
		}
	}
	t.Fatalf("no row %s in %v", ref, rows)
	return nil
}
