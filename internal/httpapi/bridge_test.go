package httpapi_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// docxText is the text of a Word document's body.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	if !names["[Content_Types].xml"] || !names["_rels/.rels"] {
		t.Fatalf("not a Word package: %v", names)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		// Well-formed XML, as Word requires.
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("word/document.xml: %v", err)
			}
		}
		return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(strings.ReplaceAll(string(b), "</w:p>", "\n"), "")
	}
	t.Fatal("no word/document.xml")
	return ""
}

// An issued Type II gets management's bridge letter: the report and its
// period, the gap, the changes to its controls since and the exceptions
// it noted, and the signer, as a well-formed Word document. Signed, it is
// kept as evidence and listed on the engagement.
func TestBridgeLetter(t *testing.T) {
	t.Parallel()
	f := newAuditorFixture(t)
	eng := fmt.Sprintf("/api/v1/engagements/%d", f.granted)
	coversTo := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	body := fmt.Sprintf(`{"covers_to":%q,"signer_name":"Ada Admin","signer_title":"Chief Executive Officer"}`, coversTo)
	if w := send(f.p.h, "POST", eng+"/bridge-letter", body, f.p.admin.headers()); w.Code != 409 {
		t.Errorf("before the report is issued: %d %s, want 409", w.Code, w.Body)
	}
	f.setStatus("issued", "")
	for _, bad := range []string{`{"covers_to":"2026-06-30","signer_name":"Ada"}`, `{"covers_to":"2026-09-30"}`, `{"covers_to":"soon","signer_name":"Ada"}`} {
		if w := send(f.p.h, "POST", eng+"/bridge-letter", bad, f.p.admin.headers()); w.Code != 400 {
			t.Errorf("%s: %d %s, want 400", bad, w.Code, w.Body)
		}
	}
	f.p.call(f.p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", f.inScope), `{"title":"Leaver access removed within a day"}`, 200, nil)
	w := send(f.p.h, "POST", eng+"/bridge-letter", body, f.p.admin.headers())
	if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), "wordprocessingml") ||
		!strings.Contains(w.Header().Get("Content-Disposition"), ".docx") {
		t.Fatalf("draft: %d %v %s", w.Code, w.Header(), w.Body)
	}
	text := docxText(t, w.Body.Bytes())
	for _, want := range []string{"Bridge letter", "covers the period from 2026-01-01 to 2026-06-30", "from 2026-07-01 to " + coversTo,
		"AC-01 was updated (title)", "AC-01: L-2 kept access", "Ada Admin", "Chief Executive Officer"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, text)
		}
	}
	// Asked for JSON, the draft previews what the letter says.
	hdr := f.p.admin.headers()
	hdr.Set("Accept", "application/json")
	pw := send(f.p.h, "POST", eng+"/bridge-letter", body, hdr)
	var preview struct {
		Letter struct {
			GapFrom      string   `json:"gap_from"`
			Changes      []string `json:"changes"`
			Deficiencies []string `json:"deficiencies"`
		} `json:"bridge_letter"`
	}
	if err := json.Unmarshal(pw.Body.Bytes(), &preview); pw.Code != 200 || err != nil || preview.Letter.GapFrom != "2026-07-01" ||
		!strings.Contains(strings.Join(preview.Letter.Changes, "\n"), "AC-01 was updated (title)") ||
		!strings.Contains(strings.Join(preview.Letter.Deficiencies, "\n"), "AC-01: L-2 kept access") {
		t.Errorf("preview: %d %s", pw.Code, pw.Body)
	}
	var signed struct {
		BridgeLetter struct {
			EvidenceID int64  `json:"evidence_id"`
			SHA256     string `json:"sha256"`
			SignerName string `json:"signer_name"`
		} `json:"bridge_letter"`
	}
	f.p.call(f.p.admin, "POST", eng+"/bridge-letter/sign", body, 400, nil) // with no control to keep it with
	f.p.call(f.p.admin, "POST", eng+"/bridge-letter/sign", strings.Replace(body, "{", fmt.Sprintf(`{"control_id":%d,`, f.outOfScope), 1), 400, nil)
	body = strings.Replace(body, "{", fmt.Sprintf(`{"control_id":%d,`, f.inScope), 1)
	f.p.call(f.p.admin, "POST", eng+"/bridge-letter/sign", body, 201, &signed)
	if signed.BridgeLetter.EvidenceID == 0 || len(signed.BridgeLetter.SHA256) != 64 || signed.BridgeLetter.SignerName != "Ada Admin" {
		t.Fatalf("signed: %+v", signed)
	}
	var ev evidenceOut
	f.p.call(f.p.admin, "GET", fmt.Sprintf("/api/v1/evidence/%d", signed.BridgeLetter.EvidenceID), "", 200, &ev)
	dl := send(f.p.h, "GET", fmt.Sprintf("/api/v1/evidence/%d/download", signed.BridgeLetter.EvidenceID), "", f.p.admin.headers())
	if dl.Code != 200 || !strings.Contains(docxText(t, dl.Body.Bytes()), "Ada Admin") {
		t.Errorf("the signed letter as evidence: %d", dl.Code)
	}
	var list struct {
		Letters []struct {
			CoversTo string `json:"covers_to"`
		} `json:"bridge_letters"`
	}
	f.p.call(f.auditor, "GET", eng+"/bridge-letters", "", 200, &list)
	if len(list.Letters) != 1 || list.Letters[0].CoversTo != coversTo {
		t.Errorf("letters: %+v", list)
	}
}
