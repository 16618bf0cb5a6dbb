package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/exports/exportstest"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

type taskOut struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	State         string `json:"state"`
	OwnerEmail    string `json:"owner_email"`
	WindowLabel   string `json:"window_label"`
	NotApplicable bool   `json:"not_applicable"`
	NAReason      string `json:"na_reason"`
	Engagements   []struct {
		ID int64 `json:"id"`
	} `json:"engagements"`
}

type taskList struct {
	Tasks []taskOut `json:"tasks"`
	Total int       `json:"total"`
}

func (l taskList) byLabel(label string) taskOut {
	for _, t := range l.Tasks {
		if t.WindowLabel == label {
			return t
		}
	}
	return taskOut{}
}

func userID(t *testing.T, db *store.DB, email string) int64 {
	t.Helper()
	var u store.User
	if err := db.R.Take(&u, "email = ?", email).Error; err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// tasksProgram: AC-03 (monthly, owned by owner@example.com) and CM-01
// (quarterly, no owner) in a SOC 2 Type II for 2026 H1, which is past.
func tasksProgram(t *testing.T, target storetest.Target) (p *program, owner session, ac int64) {
	p = newProgram(t, target)
	owner = signIn(t, p.svc, "owner")
	ac = p.control("AC-03", fmt.Sprintf(`,"frequency":"monthly","owner_id":%d`, userID(t, p.db, "owner@example.com")))
	cm := p.control("CM-01", "")
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},
		{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"}]}`, ac, cm), 200, nil)
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type II 2026 H1","report":"soc2","type":"type2",
		"period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, nil)
	return p, owner, ac
}

func TestTaskListsAndActions(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p, owner, ac := tasksProgram(t, target)
			compliance := signIn(t, p.svc, "compliance")

			// Owners see their own tasks whatever they ask for; compliance
			// sees the team's.
			var mine, all taskList
			p.call(owner, "GET", "/api/v1/tasks?owner_id=999", "", 200, &mine)
			if mine.Total != 6 || mine.Tasks[0].State != "overdue" || mine.Tasks[0].OwnerEmail != "owner@example.com" ||
				len(mine.Tasks[0].Engagements) != 1 {
				t.Fatalf("owner's tasks: %+v", mine)
			}
			p.call(compliance, "GET", "/api/v1/tasks", "", 200, &all)
			if all.Total != 8 {
				t.Errorf("team tasks: %d, want 6 monthly + 2 quarterly", all.Total)
			}
			var counts struct {
				Owners []struct {
					OwnerEmail string         `json:"owner_email"`
					States     map[string]int `json:"states"`
				} `json:"owners"`
			}
			p.call(compliance, "GET", "/api/v1/tasks/counts", "", 200, &counts)
			if len(counts.Owners) != 2 || counts.Owners[0].OwnerEmail != "owner@example.com" || counts.Owners[0].States["overdue"] != 6 {
				t.Errorf("counts: %+v", counts)
			}
			if w := send(p.h, "GET", "/api/v1/tasks?state=late", "", compliance.headers()); w.Code != 400 {
				t.Errorf("unknown state: %d", w.Code)
			}

			// Uploading evidence that covers March completes March's task.
			w := upload(p.h, owner, "/api/v1/evidence", map[string]string{"title": "March access review",
				"control_ids": fmt.Sprint(ac), "covers_from": "2026-03-01", "covers_to": "2026-03-31"}, "march.pdf", strings.NewReader("%PDF-1.4"))
			if w.Code != 201 {
				t.Fatalf("upload: %d %s", w.Code, w.Body)
			}
			p.call(owner, "GET", "/api/v1/tasks?state=done", "", 200, &mine)
			if mine.Total != 1 || mine.Tasks[0].WindowLabel != "March 2026" {
				t.Errorf("done tasks: %+v", mine)
			}

			// Not applicable: a reason is required, someone else's task is
			// refused, and evidence tasks cannot be ticked off by hand.
			p.call(owner, "GET", "/api/v1/tasks", "", 200, &mine)
			feb := mine.byLabel("February 2026")
			path := fmt.Sprintf("/api/v1/tasks/%d", feb.ID)
			p.call(owner, "POST", path+"/not-applicable", `{"reason":" "}`, 400, nil)
			p.call(owner, "POST", path+"/done", "", 409, nil)
			unassigned := all.byLabel("2026-Q1")
			p.call(owner, "POST", fmt.Sprintf("/api/v1/tasks/%d/not-applicable", unassigned.ID), `{"reason":"x"}`, 403, nil)
			p.call(owner, "GET", fmt.Sprintf("/api/v1/tasks/%d", unassigned.ID), "", 404, nil)
			var one struct{ Task taskOut }
			p.call(owner, "POST", path+"/not-applicable", `{"reason":"no access changes in February"}`, 200, &one)
			if one.Task.State != "not_applicable" || one.Task.NAReason != "no access changes in February" {
				t.Errorf("not applicable: %+v", one.Task)
			}
			p.call(owner, "POST", path+"/reopen", "", 200, &one)
			if one.Task.State != "overdue" {
				t.Errorf("reopened: %+v", one.Task)
			}
		})
	}
}

func TestAdhocTasksAndExports(t *testing.T) {
	t.Parallel()
	p, owner, _ := tasksProgram(t, storetest.Targets(t)[0])
	ownerID := userID(t, p.db, "owner@example.com")
	signIn(t, p.svc, "viewer")
	for name, body := range map[string]string{
		"no due date":      fmt.Sprintf(`{"title":"x","owner_id":%d}`, ownerID),
		"no owner":         `{"title":"x","due_on":"2026-12-01"}`,
		"viewer assignee":  fmt.Sprintf(`{"title":"x","owner_id":%d,"due_on":"2026-12-01"}`, userID(t, p.db, "viewer@example.com")),
		"unknown control":  fmt.Sprintf(`{"title":"x","owner_id":%d,"due_on":"2026-12-01","control_id":999}`, ownerID),
		"bad date":         fmt.Sprintf(`{"title":"x","owner_id":%d,"due_on":"1 Dec"}`, ownerID),
		"unknown field":    fmt.Sprintf(`{"title":"x","owner_id":%d,"due_on":"2026-12-01","priority":1}`, ownerID),
		"title too long":   fmt.Sprintf(`{"title":%q,"owner_id":%d,"due_on":"2026-12-01"}`, strings.Repeat("x", 301), ownerID),
		"missing title":    fmt.Sprintf(`{"owner_id":%d,"due_on":"2026-12-01"}`, ownerID),
		"engagement is 99": fmt.Sprintf(`{"title":"x","owner_id":%d,"due_on":"2026-12-01","engagement_id":99}`, ownerID),
	} {
		if w := send(p.h, "POST", "/api/v1/tasks", body, p.admin.headers()); w.Code != 400 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	var list taskList
	p.call(p.admin, "GET", "/api/v1/tasks?kind=adhoc", "", 200, &list)
	if list.Total != 0 {
		t.Fatalf("a refused task was saved: %+v", list)
	}
	var created struct{ Task taskOut }
	p.call(p.admin, "POST", "/api/v1/tasks", fmt.Sprintf(`{"title":"=HYPERLINK(\"http://evil\",\"x\")","description":"auditor asks for the HR list",
		"owner_id":%d,"due_on":"2026-12-01","engagement_id":1}`, ownerID), 201, &created)
	if created.Task.Kind != "adhoc" || len(created.Task.Engagements) != 1 {
		t.Fatalf("created: %+v", created.Task)
	}
	path := fmt.Sprintf("/api/v1/tasks/%d", created.Task.ID)
	p.call(owner, "POST", path+"/done", "", 200, &created)
	if created.Task.State != "done" {
		t.Errorf("done: %+v", created.Task)
	}

	w := send(p.h, "GET", "/api/v1/tasks/export.csv?kind=adhoc", "", owner.headers())
	if w.Code != 200 || !strings.Contains(w.Body.String(), `'=HYPERLINK(""http://evil""`) ||
		!strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV export: %d %s %s", w.Code, w.Header(), w.Body)
	}
	checkExportEntry(t, p, "tasks.export", w.Body.Bytes())
	w = send(p.h, "GET", "/api/v1/tasks/export.xlsx", "", p.admin.headers())
	if w.Code != 200 {
		t.Fatalf("XLSX export: %d %s", w.Code, w.Body)
	}
	checkExportEntry(t, p, "tasks.export", w.Body.Bytes())
	if n, err := exportstest.Formulas(w.Body.Bytes()); err != nil || n != 0 {
		t.Errorf("the task workbook has %d formula cells (%v)", n, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Tasks")
	if len(rows) != 1+8+1 || rows[0][1] != "Task" {
		t.Fatalf("Tasks sheet has %d rows: %v", len(rows), rows[0])
	}
	for i, r := range rows {
		if strings.Contains(r[1], "HYPERLINK") {
			cellRef := fmt.Sprintf("B%d", i+1)
			if formula, _ := f.GetCellFormula("Tasks", cellRef); formula != "" {
				t.Errorf("%s became a formula: %s", cellRef, formula)
			}
		}
	}
	if sheets := f.GetSheetList(); sheets[0] != "Summary" {
		t.Errorf("sheets: %v", sheets)
	}
}

func TestCalendarFeedAndOutbox(t *testing.T) {
	t.Parallel()
	p, owner, _ := tasksProgram(t, storetest.Targets(t)[0])
	var state struct {
		Active bool `json:"active"`
	}
	p.call(owner, "GET", "/api/v1/calendar-feed", "", 200, &state)
	if state.Active {
		t.Error("a feed exists before one was made")
	}
	var feed struct {
		Path string `json:"path"`
	}
	p.call(owner, "POST", "/api/v1/calendar-feed", "", 201, &feed)
	w := send(p.h, "GET", feed.Path, "", nil) // calendar apps send no cookie
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/calendar") ||
		strings.Count(w.Body.String(), "BEGIN:VEVENT") != 6 {
		t.Fatalf("feed: %d %s %s", w.Code, w.Header(), w.Body)
	}
	p.call(owner, "DELETE", "/api/v1/calendar-feed", "", 204, nil)
	if w := send(p.h, "GET", feed.Path, "", nil); w.Code != 404 {
		t.Errorf("revoked feed: %d", w.Code)
	}
	var revoked struct {
		Active    bool       `json:"active"`
		RevokedAt *time.Time `json:"revoked_at"`
	}
	p.call(owner, "GET", "/api/v1/calendar-feed", "", 200, &revoked)
	if revoked.Active || revoked.RevokedAt == nil {
		t.Errorf("a turned-off feed is not shown as revoked: %+v", revoked)
	}
	// A password change revokes the feed too.
	p.call(owner, "POST", "/api/v1/calendar-feed", "", 201, &feed)
	p.call(owner, "POST", "/api/v1/auth/password", `{"current_password":"`+testPassword+`","new_password":"a-fresh-passphrase-31"}`, 204, nil)
	if w := send(p.h, "GET", feed.Path, "", nil); w.Code != 404 {
		t.Errorf("feed after a password change: %d", w.Code)
	}
	if w := send(p.h, "GET", "/api/v1/calendar.ics?token=guess", "", nil); w.Code != 404 {
		t.Errorf("guessed token: %d", w.Code)
	}
	// An API token cannot make feeds: they are account settings, like tokens.
	if w := send(p.h, "POST", "/api/v1/calendar-feed", "", tokenFor(t, p.db, "owner")); w.Code != 403 {
		t.Errorf("token made a feed: %d", w.Code)
	}
	var outbox struct {
		Digests []any `json:"digests"`
		Total   int   `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/outbox", "", 200, &outbox)
	if outbox.Total != 0 {
		t.Errorf("outbox: %+v", outbox)
	}
	var entries struct {
		Entries []struct {
			Action string `json:"action"`
		} `json:"entries"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=calendar_feed.revoke", "", 200, &entries)
	if len(entries.Entries) != 1 {
		t.Errorf("the revocation is not in the audit trail: %+v", entries)
	}
}
