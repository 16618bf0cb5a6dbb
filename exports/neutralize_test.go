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
