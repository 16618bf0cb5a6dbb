package exports

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// PackageFile is one file of an evidence package.
type PackageFile struct {
	Path   string // folder/name inside the archive, made safe by SafePath
	SHA256 string // expected hash; the copy is checked against it
	Open   func() (io.ReadCloser, error)
	// Modified is the entry's time in the archive: when its evidence was
	// uploaded; zero takes the package's time.
	Modified time.Time
}

var (
	unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._ -]+`)
	dotRuns     = regexp.MustCompile(`\.{2,}`)
	underscores = regexp.MustCompile(`_{2,}`)
)

// SafePath turns a folder and a file name into an archive path that can
// never leave its folder: no separators, no leading dots, nothing but
// letters, digits, dot, dash, underscore and space.
func SafePath(folder, name string) string {
	return path.Join(cleanName(folder, "_"), cleanName(name, "file"))
}

func cleanName(s string, fallback string) string {
	s = dotRuns.ReplaceAllString(unsafeChars.ReplaceAllString(s, "_"), "_")
	s = strings.TrimLeft(strings.TrimSpace(underscores.ReplaceAllString(s, "_")), ".")
	if s == "" {
		return fallback
	}
	return s
}

// UniqueFolders gives each control reference its own folder name in a
// package. Cleaning makes "AC/01" and "AC_01" the same name, and
// "ac-01" and "AC-01" are the same folder where the package is unpacked
// on Windows or macOS, so a later reference in sorted order that would
// share a folder (ignoring case) gets "-2", "-3"…
func UniqueFolders(refs []string) map[string]string {
	sorted := slices.Clone(refs)
	slices.Sort(sorted)
	out := map[string]string{}
	taken := map[string]bool{"workbook.xlsx": true, "manifest.sha256": true} // the package's own files
	for _, ref := range slices.Compact(sorted) {
		base := cleanName(ref, "_")
		name := base
		for n := 2; taken[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		taken[strings.ToLower(name)] = true
		out[ref] = name
	}
	return out
}

// WritePackage writes a ZIP with the files and a manifest.sha256 that
// `sha256sum -c` accepts. Each file is hashed while it is copied, and a
// file whose bytes do not match its expected hash stops the package.
func WritePackage(w io.Writer, files []PackageFile, modified time.Time) error {
	zw := zip.NewWriter(w)
	var manifest strings.Builder
	for _, f := range files {
		if strings.HasPrefix(f.Path, "/") || strings.Contains(f.Path, "..") || strings.Contains(f.Path, `\`) {
			return fmt.Errorf("unsafe path in package: %q", f.Path)
		}
		sum, err := addFile(zw, f, modified)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		if f.SHA256 != "" && sum != f.SHA256 {
			return fmt.Errorf("%s: stored file does not match its hash (expected %s, read %s)", f.Path, f.SHA256, sum)
		}
		fmt.Fprintf(&manifest, "%s  %s\n", sum, f.Path)
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: "manifest.sha256", Method: zip.Deflate, Modified: modified})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(mw, manifest.String()); err != nil {
		return err
	}
	return zw.Close()
}

func addFile(zw *zip.Writer, f PackageFile, modified time.Time) (string, error) {
	r, err := f.Open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	if !f.Modified.IsZero() {
		modified = f.Modified
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Path, Method: zip.Deflate, Modified: modified.UTC()})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
