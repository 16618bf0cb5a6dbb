// Package tabulartest makes hostile spreadsheets for the tests of the
// readers that must refuse them.
package tabulartest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
)

// ZipBomb is a valid XLSX workbook of about 2 MB whose one sheet
// inflates to unpacked bytes (e.g. 480 MiB) of rows with long text cells.
// When lie is set, the sheet's zip header claims it is 1 KiB, as a
// hand-made bomb would, so only counting what is inflated can stop it.
func ZipBomb(unpacked int64, lie bool) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			panic(err)
		}
	}
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	tail := `</sheetData></worksheet>`
	// One block of rows, deflated once and repeated: a deflate stream may
	// be cut into byte-aligned blocks, and each copy refers only to itself.
	var block strings.Builder
	for i := 0; block.Len() < 1<<20; i++ {
		fmt.Fprintf(&block, `<row><c t="inlineStr"><is><t>%s</t></is></c></row>`, strings.Repeat(fmt.Sprintf("payroll %06d ", i), 2000))
	}
	rows := block.String()
	copies := max((unpacked-int64(len(head)+len(tail)))/int64(len(rows)), 1)
	var deflated bytes.Buffer
	piece := func(s string) {
		var one bytes.Buffer
		fw, _ := flate.NewWriter(&one, flate.BestCompression)
		fw.Write([]byte(s))
		fw.Flush() // a byte-aligned end without the final block
		deflated.Write(one.Bytes())
	}
	piece(head)
	var blockBytes bytes.Buffer
	{
		fw, _ := flate.NewWriter(&blockBytes, flate.BestCompression)
		fw.Write([]byte(rows))
		fw.Flush()
	}
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	for i := int64(0); i < copies; i++ {
		deflated.Write(blockBytes.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, []byte(rows))
	}
	var last bytes.Buffer
	fw, _ := flate.NewWriter(&last, flate.BestCompression)
	fw.Write([]byte(tail))
	fw.Close()
	deflated.Write(last.Bytes())
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	size := uint64(len(head)+len(tail)) + uint64(copies)*uint64(len(rows))
	if lie {
		size = 1 << 10
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: size})
	if err != nil {
		panic(err)
	}
	if _, err := w.Write(deflated.Bytes()); err != nil {
		panic(err)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
