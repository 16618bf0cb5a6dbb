package exports

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strings"
	"time"
)

// Paragraph is one paragraph of a Word document.
type Paragraph struct {
	Text    string
	Heading bool // a bold, larger heading
	Bullet  bool // an item of a list
}

// docxParts are the fixed parts of a minimal WordprocessingML package.
var docxParts = []struct{ name, body string }{
	{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`</Types>`},
	{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`</Relationships>`},
}

// WriteDocx writes the paragraphs as a Word document (.docx) that Word and
// LibreOffice open. Every entry carries the given time, so the same
// paragraphs and time give the same bytes.
func WriteDocx(w io.Writer, paragraphs []Paragraph, modified time.Time) error {
	zw := zip.NewWriter(w)
	for _, p := range docxParts {
		if err := docxEntry(zw, p.name, p.body, modified); err != nil {
			return err
		}
	}
	doc, err := documentXML(paragraphs)
	if err != nil {
		return err
	}
	if err := docxEntry(zw, "word/document.xml", doc, modified); err != nil {
		return err
	}
	return zw.Close()
}

func docxEntry(zw *zip.Writer, name, body string, modified time.Time) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, body)
	return err
}

func documentXML(paragraphs []Paragraph) (string, error) {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paragraphs {
		b.WriteString(`<w:p>`)
		switch {
		case p.Heading:
			b.WriteString(`<w:pPr><w:spacing w:before="240" w:after="120"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="28"/></w:rPr>`)
		case p.Bullet:
			b.WriteString(`<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr><w:r>`)
		default:
			b.WriteString(`<w:pPr><w:spacing w:after="120"/></w:pPr><w:r>`)
		}
		text := p.Text
		if p.Bullet {
			text = "• " + text
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		if err := xml.EscapeText(&b, []byte(clean(text))); err != nil {
			return "", err
		}
		b.WriteString(`</w:t></w:r></w:p>`)
	}
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String(), nil
}

// clean drops the characters XML 1.0 cannot hold.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
}
