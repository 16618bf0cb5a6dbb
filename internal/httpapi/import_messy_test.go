package httpapi_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/store/storetest"
)

// messyHeader is a control matrix header as other tools and templates
// write it: aliases, a column socmap does not know.
var messyHeader = []string{"Control No.", "Control Name", "Control Activity", "Control Owner", "Frequency", "Nature",
	"Control Type", "Key Control", "Implementation date", "TSC mapping", "Comments"}

// messyRows are 30 controls covering what real spreadsheets contain: any
// case, synonyms, dates in several forms, criteria separated by commas,
// semicolons or line breaks, and a lower-case reference of a control that
// exists already ("ac-01" updates AC-01).
var messyRows = [][]string{
	{"ac-01", "Access requests approved", "Requests are approved by the system owner.", "owner@example.com", "Event driven", "IT-dependent manual", "Preventive", "Yes", "2025-01-15", "CC6.1, CC6.2", "reviewed by IA"},
	{"AC-02", "SSO with MFA", "All staff sign in through SSO.", "", "CONTINUOUS", "Automated", "preventive", "Y", "15 January 2025", "CC6.1", ""},
	{"AC-03", "Quarterly access review", "Owners review accounts.", "OWNER@EXAMPLE.COM", "Quarterly", "Manual", "Detective", "Key", "2025/02/01", "CC6.2;CC6.3", ""},
	{"AC-04", "Leavers removed", "HR feed disables leavers.", "", "Daily", "automatic", "Preventive", "TRUE", "", "CC6.2\nCC6.3", ""},
	{"AC-05", "Privileged access review", "Admins reviewed.", "", "Monthly", "manual", "detective", "No", "", "CC6.3 ; CC6.1", ""},
	{"AC-06", "Service accounts owned", "Each has an owner.", "", "Semi-annual", "Manual", "Detective", "N", "", "CC6.2", ""},
	{"AC-07", "Password policy", "Length and lockout.", "", "Continuous", "System", "Preventive", "no", "", "CC6.1", ""},
	{"BCP-01", "Daily backups", "Point-in-time recovery.", "", "daily", "Automated", "Corrective", "yes", "", "A1.2", ""},
	{"BCP-02", "Backup monitoring", "Failures investigated.", "", "Weekly", "Manual", "Detective", "", "", "A1.2", ""},
	{"BCP-03", "Restore test", "Restores tested.", "", "Annually", "Manual", "Corrective", "Yes", "", "A1.3", ""},
	{"BCP-04", "BCP tested", "Plan tested.", "", "Yearly", "Manual", "Corrective", "Yes", "", "CC9.1, A1.3", ""},
	{"CM-01", "Change approval", "Changes approved.", "", "As needed", "ITDM", "Preventive", "Yes", "", "CC8.1", ""},
	{"CM-02", "Emergency changes", "Reviewed after.", "", "Ad hoc", "Manual", "Detective", "No", "", "CC8.1", ""},
	{"CM-03", "Segregation in deploys", "Pipeline enforces.", "", "Continuous", "Automated", "Preventive", "Yes", "", "CC8.1", ""},
	{"CM-04", "Release notes", "Published.", "", "Bi-weekly", "Manual", "Detective", "No", "", "CC8.1", ""},
	{"CM-05", "Sprint review", "Reviewed.", "", "Fortnightly", "Manual", "Detective", "No", "", "CC8.1", ""},
	{"HR-01", "Background checks", "Before start.", "", "Event-driven", "Manual", "Preventive", "Yes", "", "CC1.4", ""},
	{"HR-02", "Security training", "Annual training.", "", "ANNUAL", "Manual", "Preventive", "Yes", "", "CC2.2", ""},
	{"HR-03", "Code of conduct", "Acknowledged.", "", "Half-yearly", "Manual", "Preventive", "No", "", "CC1.1", ""},
	{"IR-01", "Incident response plan", "Maintained.", "", "annually", "Manual", "Corrective", "Yes", "", "CC7.3; CC7.4; CC7.5", ""},
	{"IR-02", "Alert triage", "On-call triages.", "", "Several times a day", "IT-dependent manual", "Detective", "Yes", "", "CC7.2", ""},
	{"MON-01", "Log review", "Reviewed.", "", "Daily", "Manual", "Detective", "Yes", "", "CC7.2", ""},
	{"MON-02", "Vulnerability scans", "Weekly scans.", "", "weekly", "Automated", "Detective", "Yes", "", "CC7.1", ""},
	{"RA-01", "Risk assessment", "Annual.", "", "Yearly", "Manual", "Preventive", "Yes", "", "CC3.1, CC3.2, CC3.3, CC3.4", ""},
	{"VEN-01", "Vendor reviews", "Reviewed.", "", "Annually", "Manual", "Detective", "Yes", "", "CC9.2", ""},
	{"VEN-02", "Subservice SOC reports", "Reviewed.", "", "Annual", "Manual", "Detective", "Yes", "", "CC9.2", ""},
	{"GOV-01", "Board oversight", "Quarterly meetings.", "", "quarterly", "Manual", "Detective", "No", "", "CC1.2", ""},
	{"GOV-02", "Policies reviewed", "Annual review.", "", "Annual", "manual", "Preventative", "No", "", "CC5.3", ""},
	{"DATA-01", "Encryption at rest", "Keys managed.", "", "Continuous", "Automated", "Preventive", "Yes", "", "C1.1", ""},
	{"DATA-02", "Data disposal", "Disposed on request.", "", "As required", "Manual", "Corrective", "No", "", "C1.2", ""},
}

// TestMessyControlMatrix imports the messy matrix in a dry run, as a
// semicolon-separated CSV with a BOM, a title block and blank lines, and
// as an XLSX with a merged title row and real date cells: every row is
// understood, and the unknown column is reported.
func TestMessyControlMatrix(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	signIn(t, p.svc, "owner")
	p.control("AC-01", "")
	var csv strings.Builder
	csv.WriteString("\uFEFFLarkspur Payroll control matrix\nPrepared for the 2026 audit\n\n")
	write := func(cells []string) {
		quoted := make([]string, len(cells))
		for i, c := range cells {
			quoted[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		csv.WriteString(strings.Join(quoted, ";") + "\r\n")
	}
	write(messyHeader)
	for i, r := range messyRows {
		if i == 10 {
			csv.WriteString("\r\n")
		}
		write(r)
	}
	check := func(name string, data []byte, firstRow int) {
		t.Helper()
		code, plan := importFile(t, p, name, data, false)
		if code != 200 || len(plan.Plan.Problems) != 0 || len(plan.Plan.Changes) != 30 {
			t.Fatalf("%s: %d %+v", name, code, plan)
		}
		first := plan.Plan.Changes[0]
		if first.Ref != "AC-01" || first.Action != "update" || first.Row != firstRow {
			t.Errorf("%s: ac-01 should update AC-01 at row %d: %+v", name, firstRow, first)
		}
		for _, ch := range plan.Plan.Changes[1:] {
			if ch.Action != "create" {
				t.Errorf("%s: %+v", name, ch)
			}
		}
		if len(plan.Plan.Warnings) != 1 || plan.Plan.Warnings[0].Column != "Comments" {
			t.Errorf("%s: the unknown column is not reported: %+v", name, plan.Plan.Warnings)
		}
	}
	check("messy.csv", []byte(csv.String()), 5)

	f := excelize.NewFile()
	defer f.Close()
	f.SetCellValue("Sheet1", "A1", "Larkspur Payroll control matrix")
	f.MergeCell("Sheet1", "A1", "K1")
	header := make([]any, len(messyHeader))
	for i, h := range messyHeader {
		header[i] = h
	}
	f.SetSheetRow("Sheet1", "A3", &header)
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 15}) // d-mmm-yy
	for i, r := range messyRows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		if d, err := time.Parse(time.DateOnly, strings.ReplaceAll(r[8], "/", "-")); err == nil {
			cells[8] = d // an Excel date cell
		}
		row := i + 4
		f.SetSheetRow("Sheet1", "A"+strconv.Itoa(row), &cells)
		f.SetCellStyle("Sheet1", "I"+strconv.Itoa(row), "I"+strconv.Itoa(row), date)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	check("messy.xlsx", buf.Bytes(), 4)
}
