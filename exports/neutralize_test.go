package exports

import "testing"

func TestNeutralize(t *testing.T) {
	tests := map[string]string{
		"":                              "",
		"AC-03 access review":           "AC-03 access review",
		`=HYPERLINK("http://x","y")`:    `'=HYPERLINK("http://x","y")`,
		"@SUM(A1:A9)":                   "'@SUM(A1:A9)",
		"+1 555 0100":                   "'+1 555 0100",
		"-2+3":                          "'-2+3",
		"\tleading tab":                 "'\tleading tab",
		"\rleading CR":                  "'\rleading CR",
		"\x00=cmd":                      "'=cmd",
		"ok\x00then":                    "okthen",
		"\x00":                          "",
		"a = b":                         "a = b",
		"Controls provide reasonable …": "Controls provide reasonable …",
	}
	for in, want := range tests {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNeutralizeField(t *testing.T) {
	tests := map[string]string{
		"plain, text; with separators":  "plain, text; with separators",
		"=1+1":                          "'=1+1",
		"a,=1+1":                        "a,'=1+1",
		"a;=1+1":                        "a;'=1+1",
		"a; +1 555":                     "a; '+1 555",
		"line\n@SUM(A1)":                "line\n'@SUM(A1)",
		"line\r\n-2":                    "line\r\n'-2",
		"tab\t=x":                       "tab\t'=x",
		"a - b, c = d":                  "a - b, c = d",
		"CC6.1; CC6.2,CC7.1":            "CC6.1; CC6.2,CC7.1",
		"2026-01-01, -5":                "2026-01-01, '-5",
		"\x00;=x":                       ";'=x",
		"Controls provide reasonable …": "Controls provide reasonable …",
	}
	for in, want := range tests {
		if got := neutralizeField(in); got != want {
			t.Errorf("neutralizeField(%q) = %q, want %q", in, got, want)
		}
	}
}
