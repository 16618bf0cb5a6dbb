package exports

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSafePath(t *testing.T) {
	for _, tt := range []struct{ folder, name, want string }{
		{"AC-03", "12-review.pdf", "AC-03/12-review.pdf"},
		{"AC-03", "../../etc/passwd", "AC-03/_etc_passwd"},
		{"..", "x", "_/x"},
		{"AC-03", "a..b.pdf", "AC-03/a_b.pdf"},
		{"AC-03", `..\..\win.ini`, "AC-03/_win.ini"},
		{"AC-03", "", "AC-03/file"},
		{"AC/03", "a\x00b", "AC_03/a_b"},
	} {
		if got := SafePath(tt.folder, tt.name); got != tt.want {
			t.Errorf("SafePath(%q, %q) = %q, want %q", tt.folder, tt.name, got, tt.want)
		}
	}
}

func opener(s string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}

func TestWritePackageVerifiesWithSha256sum(t *testing.T) {
	var buf bytes.Buffer
	files := []PackageFile{
		{Path: "workbook.xlsx", Open: opener("xlsx bytes")},
		{Path: SafePath("AC-03", "1-review.pdf"), Open: opener("pdf bytes")},
		{Path: SafePath("CM-01", "2-changes 2026.csv"), Open: opener("a,b\n")},
	}
	if err := WritePackage(&buf, files, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		target := filepath.Join(dir, filepath.FromSlash(zf.Name))
		os.MkdirAll(filepath.Dir(target), 0o755)
		r, _ := zf.Open()
		data, _ := io.ReadAll(r)
		os.WriteFile(target, data, 0o644)
	}
	cmd := exec.Command("sha256sum", "-c", "manifest.sha256")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || strings.Count(string(out), ": OK") != 3 {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	// A stored file that no longer matches its hash stops the package.
	bad := []PackageFile{{Path: "x/y", SHA256: strings.Repeat("0", 64), Open: opener("tampered")}}
	if err := WritePackage(io.Discard, bad, time.Now()); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("tampered file: %v", err)
	}
	if err := WritePackage(io.Discard, []PackageFile{{Path: "../evil", Open: opener("x")}}, time.Now()); err == nil {
		t.Error("an escaping path was written")
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	d := "2026-03-31"
	err := WriteCSV(&buf, Table{Columns: []Column{{Header: "ID"}, {Header: "Title"}, {Header: "Date", Kind: Date},
		{Header: "Count", Kind: Number}, {Header: "Result", Words: true}},
		Rows: [][]any{{"0012", `=HYPERLINK("http://x","y")`, &d, 3, "suitably_designed"},
			{"AC-04", "@SUM(A1)\nsecond line, with comma;=1+1", nil, nil, "no_exceptions"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF\"ID\",\"Title\",\"Date\",\"Count\",\"Result\"\r\n" +
		"\"0012\",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2026-03-31,3,\"Suitably designed\"\r\n" +
		"\"AC-04\",\"'@SUM(A1)\nsecond line, with comma;'=1+1\",,,\"No exceptions noted\"\r\n"
	if buf.String() != want {
		t.Errorf("CSV:\n%q\nwant\n%q", buf.String(), want)
	}
}

// References that differ only by punctuation or case used to share one
// folder in the package (and on Windows or macOS one directory).
func TestUniqueFolders(t *testing.T) {
	got := UniqueFolders([]string{"AC-01", "ac-01", "AC/01", "AC_01", "AC-01", "AC-01-2", "workbook.xlsx", "CM-02"})
	want := map[string]string{"AC-01": "AC-01", "AC-01-2": "AC-01-2", "AC/01": "AC_01", "AC_01": "AC_01-2",
		"CM-02": "CM-02", "ac-01": "ac-01-3", "workbook.xlsx": "workbook.xlsx-2"}
	if len(got) != len(want) {
		t.Fatalf("UniqueFolders = %v", got)
	}
	seen := map[string]bool{}
	for ref, folder := range want {
		if got[ref] != folder {
			t.Errorf("%q: folder %q, want %q", ref, got[ref], folder)
		}
		if seen[strings.ToLower(got[ref])] {
			t.Errorf("folder %q given twice", got[ref])
		}
		seen[strings.ToLower(got[ref])] = true
	}
}
