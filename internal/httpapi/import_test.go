package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

type planOut struct {
	Plan struct {
		Changes []struct {
			Row     int      `json:"row"`
			Ref     string   `json:"ref"`
			Action  string   `json:"action"`
			Changes []string `json:"changes"`
		} `json:"changes"`
		Problems []importProblem `json:"problems"`
		Warnings []importProblem `json:"warnings"`
		Applied  bool            `json:"applied"`
	} `json:"plan"`
}

type importProblem struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Cell   string `json:"cell"`
	Reason string `json:"reason"`
}

func importFile(t *testing.T, p *program, name string, data []byte, apply bool) (int, planOut) {
	t.Helper()
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	part, _ := mw.CreateFormFile("file", name)
	part.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/controls/import?apply=%v", apply), body)
	req.Header = p.admin.headers()
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := serve(p.h, req)
	var out planOut
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	return w.Code, out
}

func TestControlMatrixImport(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			signIn(t, p.svc, "owner") // owner@example.com exists
			p.control("AC-03", `,"frequency":"monthly"`)
			csv := "Reference,Title,Description,Owner e-mail,Frequency,Nature,Type,Key,Mapped requirement IDs\n" +
				"AC-03,Quarterly access review,Reviews,owner@example.com,quarterly,manual,detective,Yes,CC6.1; CC6.2\n" +
				"CM-01,Change approval,,,event-driven,it-dependent-manual,preventive,No,CC8.1; soc2-tsc-2017/CC8.1\n" // the same criterion twice maps once
			code, plan := importFile(t, p, "matrix.csv", []byte(csv), false)
			if code != 200 || plan.Plan.Applied || len(plan.Plan.Problems) != 0 || len(plan.Plan.Changes) != 2 ||
				plan.Plan.Changes[0].Action != "update" || plan.Plan.Changes[1].Action != "create" {
				t.Fatalf("dry run: %d %+v", code, plan)
			}
			var n int64
			storetest.Must(t, p.db.R.Model(&store.Control{}).Count(&n))
			if n != 1 {
				t.Fatalf("the dry run changed the database: %d controls", n)
			}
			code, plan = importFile(t, p, "matrix.csv", []byte(csv), true)
			if code != 200 || !plan.Plan.Applied {
				t.Fatalf("apply: %d %+v", code, plan)
			}
			storetest.Must(t, p.db.R.Model(&store.Control{}).Count(&n))
			var maps int64
			storetest.Must(t, p.db.R.Model(&store.Mapping{}).Count(&maps))
			if n != 2 || maps != 3 {
				t.Errorf("after apply: %d controls, %d mappings", n, maps)
			}
			// Idempotent by reference.
			_, plan = importFile(t, p, "matrix.csv", []byte(csv), true)
			for _, ch := range plan.Plan.Changes {
				if ch.Action != "unchanged" {
					t.Errorf("second import changed %+v", ch)
				}
			}

			bad := "Reference,Title,Owner e-mail,Frequency,Nature,Type,Mapped requirement IDs\n" +
				"X-1,Fine,,daily,manual,detective,CC6.1\n" +
				"X-2,Bad owner,nobody@example.com,daily,manual,detective,\n" +
				"X-3,Bad enum,,every blue moon,manual,detective,\n" +
				"X-4,Bad requirement,,daily,manual,detective,CC99.9\n" +
				"X-1,Duplicate,,daily,manual,detective,\n" +
				",No ref,,daily,manual,detective,\n"
			code, plan = importFile(t, p, "bad.csv", []byte(bad), true)
			if code != 400 || plan.Plan.Applied {
				t.Fatalf("bad file applied: %d %+v", code, plan)
			}
			want := map[int]string{3: "owner", 4: "frequency", 5: "requirements", 6: "reference", 7: "ref"}
			for row, col := range want {
				found := false
				for _, pr := range plan.Plan.Problems {
					found = found || (pr.Row == row && pr.Column == col)
				}
				if !found {
					t.Errorf("no problem reported at row %d, column %s: %+v", row, col, plan.Plan.Problems)
				}
			}
			storetest.Must(t, p.db.R.Model(&store.Control{}).Count(&n))
			if n != 2 {
				t.Errorf("a failed import changed the controls: %d", n)
			}
			if code, plan := importFile(t, p, "m.csv", []byte("Title\nx\n"), false); code != 200 || len(plan.Plan.Problems) != 1 {
				t.Errorf("missing reference column: %d %+v", code, plan)
			}
		})
	}
}

// A workbook exported by socmap imports back unchanged.
func TestExportedWorkbookImportsBackUnchanged(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	if w.Code != 200 {
		t.Fatal(w.Body)
	}
	code, plan := importFile(t, p, "export.xlsx", w.Body.Bytes(), true)
	if code != 200 || len(plan.Plan.Problems) != 0 || len(plan.Plan.Changes) != 3 {
		t.Fatalf("re-import: %d %+v", code, plan)
	}
	for _, ch := range plan.Plan.Changes {
		if ch.Action != "unchanged" {
			t.Errorf("re-importing the export changed %s: %v", ch.Ref, ch.Changes)
		}
	}
	var titles []string
	storetest.Must(t, p.db.R.Model(&store.Control{}).Order("ref").Pluck("title", &titles))
	if !strings.HasPrefix(titles[1], "=HYPERLINK") {
		t.Errorf("the formula-like title did not survive the round trip: %q", titles[1])
	}
}
