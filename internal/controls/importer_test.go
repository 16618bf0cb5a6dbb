package controls

import "testing"

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

func TestParseImportHeaders(t *testing.T) {
	rows, problems := ParseImport([][]string{
		{"Control ID", "Title", "Owner e-mail", "Mapped requirement IDs", "Design result"},
		{"AC-03", "'=x", "a@example.com", "CC6.1; CC6.2", "suitably_designed"},
		{"", "", "", "", ""},
		{"AC-04", "Second", "", "", ""},
	})
	if len(problems) != 0 || len(rows) != 2 {
		t.Fatalf("rows %+v problems %+v", rows, problems)
	}
	first := rows[0]
	if first.Row != 2 || first.Fields["ref"] != "AC-03" || first.Fields["title"] != "=x" || first.Fields["owner"] != "a@example.com" ||
		first.Fields["requirements"] != "CC6.1; CC6.2" {
		t.Errorf("first row: %+v", first)
	}
	if _, ok := first.Fields["design result"]; ok || rows[1].Row != 4 {
		t.Errorf("unknown columns must be ignored and blank rows skipped: %+v", rows)
	}
	if _, problems := ParseImport([][]string{{"Title"}, {"x"}}); len(problems) != 1 {
		t.Errorf("no reference column: %+v", problems)
	}
	for v, want := range map[string]bool{"Yes": true, "x": true, "No": false, "": false} {
		if got, ok := yes(v); !ok || got != want {
			t.Errorf("yes(%q) = %v %v", v, got, ok)
		}
	}
	if _, ok := yes("maybe"); ok {
		t.Error("maybe is not yes or no")
	}
}
