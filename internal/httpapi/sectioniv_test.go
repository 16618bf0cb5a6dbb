package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/store/storetest"
)

// sheetRows downloads an engagement's workbook and returns one sheet.
func sheetRows(t *testing.T, p *program, base, sheet string) [][]string {
	t.Helper()
	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	if w.Code != 200 {
		t.Fatalf("workbook: %d %s", w.Code, w.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSectionIV: the criteria in catalog order, each a group row with its
// text and complementary controls, its controls beneath with the tests and
// results in words; management's responses follow, unaudited; a Type I
// has no tests and no results.
func TestSectionIV(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	rows := sheetRows(t, p, base, "Section IV")
	var groups []string
	at := map[string]int{}
	for i, r := range rows[1:] {
		if len(r) > 0 && r[0] != "" {
			groups = append(groups, r[0])
			at[r[0]] = i + 1
		}
		if len(r) < 2 || r[1] == "" {
			continue
		}
		if _, seen := at[r[1]]; !seen {
			at[r[1]] = i + 1 // its row under its criterion, not in section V
		}
	}
	if len(groups) != 34 || groups[0] != "CC1.1" || groups[1] != "CC1.2" || groups[32] != "CC9.2" || groups[33] != "Section V" {
		t.Fatalf("group rows %v", groups)
	}
	cc61 := rows[at["CC6.1"]]
	if !strings.Contains(cc61[2], "\n") || rows[at["CC6.1"]+1][1] != "AC-03" {
		t.Errorf("CC6.1 group row %q, then %q", cc61, rows[at["CC6.1"]+1])
	}
	if got := rows[at["CC6.2"]]; len(got) < 5 || got[4] != "Depends on CUEC-01" {
		t.Errorf("CC6.2 names no CUEC: %q", got)
	}
	if got := rows[at["CC6.4"]]; len(got) < 5 || got[4] != "Depends on CSOC-01 (Cloud Hosting Inc.)" {
		t.Errorf("CC6.4 names no CSOC: %q", got)
	}
	if got := rows[at["CC1.1"]+1]; got[2] != "No control is mapped to this criterion." {
		t.Errorf("an unmapped criterion: %q", got)
	}
	ac := rows[at["AC-03"]]
	if ac[2] != "Quarterly review of user access by system owners" || ac[3] != "Methods: Inquiry and inspection. Inspected both reviews Inspected a sample of 2 of 2 occurrences from Jira change tickets." ||
		ac[4] != "No exceptions noted." {
		t.Errorf("AC-03 in section IV: %q", ac)
	}
	cm := rows[at["CM-01"]]
	if !strings.HasPrefix(cm[3], "Methods: Reperformance. Inspected a sample of 3 of 3 occurrences") ||
		cm[4] != "Exceptions noted (1 of 3).\nC2 approved after deployment" {
		t.Errorf("CM-01 in section IV: %q", cm)
	}
	v := rows[at["Section V"]]
	if !strings.Contains(v[2], "(unaudited)") || at["CM-01"] == at["Section V"]-1 {
		t.Errorf("section V heading %q", v)
	}
	last := rows[len(rows)-1]
	if last[1] != "CM-01" || last[2] != "Exception: C2 approved after deployment\nManagement's response (unaudited): Pipeline now blocks unapproved changes" {
		t.Errorf("management's response: %q", last)
	}

	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2 Type I","report":"soc2","type":"type1","as_of":"2026-06-30","categories":["privacy","availability"]}`, 201, &e)
	typeI := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	rows = sheetRows(t, p, typeI, "Section IV")
	for _, r := range rows {
		if len(r) > 3 {
			t.Fatalf("a Type I section IV has tests or results: %q", r)
		}
	}
	groups = nil
	for _, r := range rows[1:] {
		if r[0] != "" {
			groups = append(groups, r[0])
		}
	}
	// The common criteria, then availability, then privacy, whatever
	// order the categories were given in.
	if rows[0][2] != "Control activity" || len(groups) != 33+3+18 || groups[0] != "CC1.1" || groups[33] != "A1.1" || groups[36] != "P1.1" || groups[53] != "P8.1" {
		t.Errorf("Type I section IV groups %q", groups)
	}
}
