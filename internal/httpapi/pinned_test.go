package httpapi_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/socmap/socmap/internal/store/storetest"
)

// packageFile returns the bytes of the package entry whose path ends so.
func packageFile(t *testing.T, pkg []byte, suffix string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if strings.HasSuffix(zf.Name, suffix) {
			r, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	t.Fatalf("no %s in the package", suffix)
	return ""
}

// indexSHA is the SHA-256 the workbook's evidence index gives evidence 1.
func indexSHA(t *testing.T, p *program, base string) string {
	t.Helper()
	w := send(p.h, "GET", base+"/workbook", "", p.admin.headers())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Evidence index")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 4 && r[0] == "1" {
			return r[4]
		}
	}
	t.Fatalf("evidence 1 is not in the index: %v", rows)
	return ""
}

// A conclusion relied on the first revision of a review; uploading a
// second one used to change the workbook and the package under it. Both
// keep showing and shipping the revision relied on, also after the result
// is saved again.
func TestConclusionEvidenceIsPinnedToItsRevision(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p) // evidence 1: q1.pdf "%PDF q1" on AC-03 (1)
	first := sha256.Sum256([]byte("%PDF q1"))
	p.call(p.admin, "PUT", base+"/controls/1/result", `{"design_result":"suitably_designed","result":"no_exceptions","evidence_ids":[1]}`, 200, nil)
	if w := upload(p.h, p.admin, "/api/v1/evidence/1/revisions", nil, "q1.pdf", strings.NewReader("%PDF q1, corrected")); w.Code != 201 {
		t.Fatalf("new revision: %d %s", w.Code, w.Body)
	}
	p.call(p.admin, "PUT", base+"/controls/1/result", `{"design_notes":"Walked through again","evidence_ids":[1]}`, 200, nil)
	var res struct {
		Result struct {
			Revisions map[string]int `json:"evidence_revisions"`
		} `json:"result"`
	}
	p.call(p.admin, "GET", base+"/controls/1/result", "", 200, &res)
	if res.Result.Revisions["1"] != 1 {
		t.Errorf("the result shows evidence 1 at revisions %v, want 1", res.Result.Revisions)
	}
	if got := indexSHA(t, p, base); got != hex.EncodeToString(first[:]) {
		t.Errorf("evidence index SHA-256 %s, want the relied-on revision's %x", got, first)
	}
	pkg := send(p.h, "GET", base+"/package", "", p.admin.headers())
	if got := packageFile(t, pkg.Body.Bytes(), "/1-q1.pdf"); got != "%PDF q1" {
		t.Errorf("the package ships %q, want the relied-on revision", got)
	}
	// Relied on afresh (dropped, then chosen again), it is the newest.
	p.call(p.admin, "PUT", base+"/controls/1/result", `{"evidence_ids":[]}`, 200, nil)
	p.call(p.admin, "PUT", base+"/controls/1/result", `{"evidence_ids":[1]}`, 200, nil)
	pkg = send(p.h, "GET", base+"/package", "", p.admin.headers())
	if got := packageFile(t, pkg.Body.Bytes(), "/1-q1.pdf"); got != "%PDF q1, corrected" {
		t.Errorf("relied on again, the package ships %q", got)
	}
}
