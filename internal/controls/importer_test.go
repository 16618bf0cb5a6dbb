package controls

import (
	"testing"

	"github.com/socmap/socmap/internal/tabular"
)

func TestUnneutralise(t *testing.T) {
	for in, want := range map[string]string{
		`'=HYPERLINK("x")`: `=HYPERLINK("x")`,
		"'@SUM(A1)":        "@SUM(A1)",
		"'-2":              "-2",
		"'quoted":          "'quoted", // a quote the user typed stays
		"plain":            "plain",
		"'":                "'",
	} {
		if got := unneutralise(in); got != want {
			t.Errorf("unneutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

func rowsOf(cells ...[]string) []tabular.Row {
	out := make([]tabular.Row, len(cells))
	for i, c := range cells {
		out[i] = tabular.Row{Number: i + 1, Cells: c}
	}
	return out
}

func TestParseImportHeaders(t *testing.T) {
	m := ParseImport(rowsOf(
		[]string{"Control ID", "Title", "Owner e-mail", "Mapped requirement IDs", "Design result", "Colour"},
		[]string{"AC-03", "'=x", "a@example.com", "CC6.1; CC6.2", "Suitably designed", "blue"},
		[]string{"", "", "", "", "", ""},
		[]string{"AC-04", "Second", "", "", "", ""},
	))
	if len(m.Problems) != 0 || len(m.Rows) != 2 {
		t.Fatalf("rows %+v problems %+v", m.Rows, m.Problems)
	}
	first := m.Rows[0]
	if first.Row != 2 || first.Fields["ref"] != "AC-03" || first.Fields["title"] != "=x" || first.Fields["owner"] != "a@example.com" ||
		first.Fields["requirements"] != "CC6.1; CC6.2" {
		t.Errorf("first row: %+v", first)
	}
	if len(m.Warnings) != 2 || m.Warnings[0].Cell != "E1" || m.Warnings[1].Column != "Colour" || m.Rows[1].Row != 4 {
		t.Errorf("columns not imported must be reported and blank rows skipped: %+v %+v", m.Warnings, m.Rows)
	}
	if m := ParseImport(rowsOf([]string{"Title"}, []string{"x"})); len(m.Problems) != 1 {
		t.Errorf("no reference column: %+v", m.Problems)
	}
	for v, want := range map[string]bool{"Yes": true, "x": true, "No": false, "": false, "Key": true, "Non-key": false} {
		if got, ok := yes(v); !ok || got != want {
			t.Errorf("yes(%q) = %v %v", v, got, ok)
		}
	}
	if _, ok := yes("maybe"); ok {
		t.Error("maybe is not yes or no")
	}
}

func TestNormalise(t *testing.T) {
	for _, tt := range []struct{ field, in, want string }{
		{"frequency", "Quarterly", "quarterly"},
		{"frequency", "ANNUALLY", "annual"},
		{"frequency", "Yearly", "annual"},
		{"frequency", "Fortnightly", "bi-weekly"},
		{"frequency", "Bi-weekly", "bi-weekly"},
		{"frequency", "Semi-annual", "semi-annual"},
		{"frequency", "As needed", "event-driven"},
		{"frequency", "Several times a day", "several-times-a-day"},
		{"frequency", "hourly-ish", "hourly-ish"}, // kept, for the row's check to report
		{"nature", "IT-dependent manual", "it-dependent-manual"},
		{"nature", "ITDM", "it-dependent-manual"},
		{"nature", "Manual", "manual"},
		{"nature", "Automatic", "automated"},
		{"type", "Preventative", "preventive"},
		{"status", "Active", "active"},
		{"implemented_on", "15 January 2026", "2026-01-15"},
		{"implemented_on", "2026/01/15", "2026-01-15"},
		{"implemented_on", "03/04/2026", "03/04/2026"}, // ambiguous: reported, not guessed
		{"requirements", "CC6.1,CC6.2;CC7.1\nA1.2", "CC6.1; CC6.2; CC7.1; A1.2"},
	} {
		if got := normalise(tt.field, tt.in); got != tt.want {
			t.Errorf("normalise(%s, %q) = %q, want %q", tt.field, tt.in, got, tt.want)
		}
	}
}
