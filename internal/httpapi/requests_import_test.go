package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type importOut struct {
	Plan struct {
		Rows []struct {
			Row        int    `json:"row"`
			AuditorRef string `json:"auditor_ref"`
			Action     string `json:"action"`
			Ref        string `json:"ref"`
		} `json:"rows"`
		Problems []struct {
			Row     int    `json:"row"`
			Column  string `json:"column"`
			Message string `json:"message"`
		} `json:"problems"`
		Applied bool `json:"applied"`
	} `json:"plan"`
}

func importList(t *testing.T, p *program, s session, path, csv string) (int, importOut) {
	t.Helper()
	w := postMultipart(p, s, path, nil, [][2]string{{"firm-requests.csv", csv}})
	var out importOut
	if w.Code < 300 || w.Code == 400 {
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	return w.Code, out
}

// An audit firm's request list imports with a dry run first: every row
// says what it would do and every problem names its row and column;
// applying writes all rows or none, keeps the firm's refs, and importing
// the list again updates the same requests.
func TestRequestListImport(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	p := f.p
	base := fmt.Sprintf("/api/v1/engagements/%d/requests", f.granted)
	good := "Example LLP — request list,,,,\n,,,,\nRef,Description,Controls,Due date,Type\n" +
		"PBC-1,Leavers list,ac-01,2026-07-15,Population\nPBC-2,Org chart,,15 July 2026,document\n"

	code, plan := importList(t, p, f.auditor, base+"/import", good)
	if code != 200 || plan.Plan.Applied || len(plan.Plan.Problems) != 0 || len(plan.Plan.Rows) != 2 ||
		plan.Plan.Rows[0].Action != "create" || plan.Plan.Rows[0].Row != 4 {
		t.Fatalf("dry run: %d %+v", code, plan)
	}
	var list struct {
		Requests []struct {
			Ref        string `json:"ref"`
			AuditorRef string `json:"auditor_ref"`
			Type       string `json:"type"`
			DueOn      string `json:"due_on"`
		} `json:"requests"`
	}
	p.call(p.admin, "GET", base, "", 200, &list)
	if len(list.Requests) != 1 {
		t.Fatalf("the dry run wrote: %+v", list)
	}

	bad := "Ref,Description,Controls,Due date,Type\nPBC-1,Leavers,OUT-1,2026-07-15,population\n,Something,,03/04/2026,selfie\nPBC-1,Again,,,\n"
	code, plan = importList(t, p, f.auditor, base+"/import?apply=true", bad)
	got := map[string]bool{}
	for _, pr := range plan.Plan.Problems {
		got[fmt.Sprintf("%d %s", pr.Row, pr.Column)] = true
	}
	for _, want := range []string{"2 controls", "3 ref", "3 due", "3 type", "4 ref"} {
		if !got[want] {
			t.Errorf("problem %s not reported: %+v", want, plan.Plan.Problems)
		}
	}
	if code != 400 || plan.Plan.Applied {
		t.Errorf("applying a list with problems: %d", code)
	}
	p.call(p.admin, "GET", base, "", 200, &list)
	if len(list.Requests) != 1 {
		t.Fatalf("a refused import wrote: %+v", list)
	}

	p.call(signInAs(t, p.svc, "owner@example.com", "owner"), "POST", base+"/import", "", 403, nil)
	if code, _ := importList(t, p, signInAs(t, p.svc, "stranger@example.com", "auditor"), base+"/import", good); code != 404 {
		t.Errorf("an auditor of another engagement imported: %d", code)
	}
	if code, plan = importList(t, p, f.auditor, base+"/import?apply=true", good); code != 200 || !plan.Plan.Applied || plan.Plan.Rows[1].Ref != "REQ-003" {
		t.Fatalf("apply: %d %+v", code, plan)
	}
	p.call(p.admin, "GET", base, "", 200, &list)
	if len(list.Requests) != 3 || list.Requests[1].AuditorRef != "PBC-1" || list.Requests[1].Type != "population" ||
		list.Requests[2].DueOn != "2026-07-15" || list.Requests[2].Type != "document" {
		t.Errorf("imported: %+v", list.Requests)
	}
	again := strings.Replace(good, "Leavers list", `"Leavers list, January to June"`, 1)
	if code, plan = importList(t, p, f.auditor, base+"/import?apply=true", again); code != 200 || plan.Plan.Rows[0].Action != "update" || plan.Plan.Rows[0].Ref != "REQ-002" {
		t.Errorf("import again: %d %+v", code, plan)
	}
	p.call(p.admin, "GET", base, "", 200, &list)
	if len(list.Requests) != 3 {
		t.Errorf("importing again added requests: %+v", list.Requests)
	}
	if code, _ := importList(t, p, f.auditor, base+"/import", "just,some,words\n"); code != 400 {
		t.Errorf("a file without a header row: %d", code)
	}
}
