package controls

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/tabular"
)

// FuzzReadImportFile feeds arbitrary bytes as a CSV or XLSX control
// matrix: reading and parsing may refuse the file, with a 4xx error, but
// must never panic.
func FuzzReadImportFile(f *testing.F) {
	f.Add(".csv", []byte("Control ID,Title,Mapped requirement IDs\nAC-03,Review,soc2-tsc-2017/CC6.1\n"))
	f.Add(".csv", []byte("\"unterminated,\n\x00\xff"))
	f.Add(".csv", []byte("Reference\n'=HYPERLINK(\"x\")\n"))
	f.Add(".xlsx", validWorkbook(f))
	f.Add(".xlsx", []byte("PK\x03\x04 not really a zip"))
	f.Add(".txt", []byte("anything"))
	f.Fuzz(func(t *testing.T, ext string, data []byte) {
		_, err := ReadMatrix("matrix"+ext, bytes.NewReader(data))
		var e *apperr.Error
		var tooBig *tabular.LimitError
		if err != nil && !(errors.As(err, &e) && e.Kind == apperr.KindInvalid) && !errors.As(err, &tooBig) {
			t.Fatalf("a bad file must be a 400 or 413, got %v", err)
		}
	})
}

func validWorkbook(f *testing.F) []byte {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Control ID", "Title", "Frequency"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"AC-03", "Quarterly review", "quarterly"})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}
