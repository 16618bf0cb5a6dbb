// Package exportstest checks the files socmap hands out the way a
// suspicious reader would, for the tests of every package that exports.
package exportstest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
)

var formulaElement = regexp.MustCompile(`<f[ >/]`)

// Formulas counts the formula cells of every sheet of an XLSX file, read
// from the XML itself, so nothing a library hides is missed.
func Formulas(xlsx []byte) (int, error) {
	n := 0
	err := eachSheet(xlsx, func(_ string, body []byte) {
		n += len(formulaElement.FindAll(body, -1))
	})
	return n, err
}

var dimensionRef = regexp.MustCompile(`<dimension ref="([^"]+)"`)

// Dimensions is the used range each sheet part declares, by part name.
func Dimensions(xlsx []byte) (map[string]string, error) {
	out := map[string]string{}
	err := eachSheet(xlsx, func(name string, body []byte) {
		if m := dimensionRef.FindSubmatch(body); m != nil {
			out[name] = string(m[1])
		}
	})
	return out, err
}

func eachSheet(xlsx []byte, fn func(name string, body []byte)) error {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return fmt.Errorf("not a zip archive: %w", err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		r, err := zf.Open()
		if err != nil {
			return err
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return err
		}
		fn(zf.Name, body)
	}
	return nil
}
