package exports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"

	"github.com/xuri/excelize/v2"
)

// sheetZip is the archive excelize writes the workbook into. It writes
// straight to the destination (excelize would otherwise build the whole
// archive in memory first) and fills in each sheet's used range: the
// stream writer writes <dimension> before the rows, when the number of
// rows of a streamed sheet is not known yet, so it always says A1, and
// readers that trust it see only one cell.
type sheetZip struct {
	zw      *zip.Writer
	dims    map[string]string // sheet part -> used range
	pending *dimensionWriter
}

func newSheetZip(w io.Writer) *sheetZip {
	return &sheetZip{zw: zip.NewWriter(w), dims: map[string]string{}}
}

// wrap is given to excelize.File.SetZipWriter; excelize's own buffer is
// ignored.
func (z *sheetZip) wrap(io.Writer) excelize.ZipWriter { return z }

// dimension records a sheet's used range, e.g. "A1:K120".
func (z *sheetZip) dimension(f *excelize.File, sheet, ref string) {
	for id, name := range f.GetSheetMap() {
		if name == sheet {
			// A new workbook names each sheet's part after its ID.
			z.dims[fmt.Sprintf("xl/worksheets/sheet%d.xml", id)] = ref
		}
	}
}

func (z *sheetZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.zw.Create(name)
	if err != nil {
		return nil, err
	}
	if ref, ok := z.dims[name]; ok {
		z.pending = &dimensionWriter{w: w, ref: ref}
		return z.pending, nil
	}
	return w, nil
}

func (z *sheetZip) AddFS(fsys fs.FS) error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

func (z *sheetZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.Close()
}

func (z *sheetZip) finish() error {
	if z.pending == nil {
		return nil
	}
	err := z.pending.flush()
	z.pending = nil
	return err
}

// placeholder is what the stream writer writes before the rows.
var placeholder = []byte(`<dimension ref="A1"></dimension>`)

// headLimit is how far into a sheet part the placeholder is looked for:
// it follows the XML declaration and the worksheet's namespaces.
const headLimit = 16 << 10

// dimensionWriter passes a sheet part through, replacing the placeholder
// dimension near its start with the real used range.
type dimensionWriter struct {
	w    io.Writer
	ref  string
	head []byte
	done bool
}

func (d *dimensionWriter) Write(p []byte) (int, error) {
	if d.done {
		return d.w.Write(p)
	}
	d.head = append(d.head, p...)
	if len(d.head) < headLimit && !bytes.Contains(d.head, placeholder) {
		return len(p), nil
	}
	return len(p), d.flush()
}

func (d *dimensionWriter) flush() error {
	if d.done {
		return nil
	}
	d.done = true
	head := bytes.Replace(d.head, placeholder, []byte(`<dimension ref="`+d.ref+`"></dimension>`), 1)
	d.head = nil
	_, err := d.w.Write(head)
	return err
}
