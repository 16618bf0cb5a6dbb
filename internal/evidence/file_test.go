package evidence

import (
	"strings"
	"testing"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("é", 400) + ".xlsx"
	for in, want := range map[string]string{
		"review.pdf":              "review.pdf",
		"../../etc/passwd":        "passwd",
		`C:\Users\ann\Q1 log.csv`: "Q1 log.csv",
		"a\x00b\r\n.pdf":          "ab.pdf",
		"..":                      "file",
		"":                        "file",
		"  .hidden  ":             "hidden",
		long:                      strings.Repeat("é", 250) + ".xlsx",
		// Invisible format characters: "rtl\u202egnp.exe" shows as "rtlexe.png".
		"rtl\u202egnp.exe":              "rtlgnp.exe",
		"in\u200bvoi\u200dce\u200c.pdf": "invoice.pdf",
		"\u2066a\u2069\u200e\u200f.pdf": "a.pdf",
		"\ufeffbom\u2028.txt":           "bom.txt",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMediaType(t *testing.T) {
	pdf := []byte("%PDF-1.7")
	for _, tt := range []struct{ declared, want string }{
		{"application/pdf", "application/pdf"},
		{"text/csv; charset=utf-8", "text/csv; charset=utf-8"},
		{"", "application/pdf"},                         // sniffed
		{"application/octet-stream", "application/pdf"}, // sniffed
		{"not a type", "application/pdf"},
	} {
		if got := mediaType(tt.declared, pdf); got != tt.want {
			t.Errorf("mediaType(%q) = %q, want %q", tt.declared, got, tt.want)
		}
	}
}

func TestStatus(t *testing.T) {
	day := func(s string) *string { return &s }
	for _, tt := range []struct {
		expires *string
		want    string
	}{{nil, "current"}, {day("2026-03-09"), "expired"}, {day("2026-03-10"), "expiring"}, {day("2026-04-09"), "expiring"}, {day("2026-04-10"), "current"}} {
		if got := Status(tt.expires, "2026-03-10", "2026-04-09"); got != tt.want {
			t.Errorf("Status(%v) = %s, want %s", tt.expires, got, tt.want)
		}
	}
}
