package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// program is a router with signed-in users for the controls and evidence tests.
type program struct {
	t     testing.TB
	h     *gin.Engine
	db    *store.DB
	admin session
	svc   *auth.Service
}

func newProgram(t testing.TB, target storetest.Target) *program {
	db := loadedStore(t, target)
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	p := &program{t: t, db: db, svc: svc, h: newRouterWith(t, db, builtUI, svc, false)}
	p.admin = signIn(t, svc, "admin")
	return p
}

// call sends a JSON request as s and decodes the answer into out (if not nil).
func (p *program) call(s session, method, path, body string, want int, out any) {
	p.t.Helper()
	w := send(p.h, method, path, body, s.headers())
	if w.Code != want {
		p.t.Fatalf("%s %s: %d %s, want %d", method, path, w.Code, w.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			p.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (p *program) control(ref string, extra string) int64 {
	p.t.Helper()
	var out struct {
		Control struct {
			ID int64 `json:"id"`
		} `json:"control"`
	}
	body := fmt.Sprintf(`{"ref":%q,"title":"Control %s","frequency":"quarterly","nature":"manual","type":"detective"%s}`, ref, ref, extra)
	p.call(p.admin, "POST", "/api/v1/controls", body, 201, &out)
	return out.Control.ID
}

// upload sends a multipart file evidence request.
func upload(h http.Handler, s session, path string, fields map[string]string, name string, file io.Reader) *httptest.ResponseRecorder {
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		hdr := textproto.MIMEHeader{}
		// The name goes in raw, as a hostile client would send it.
		hdr.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		hdr.Set("Content-Type", "application/pdf")
		part, _ := mw.CreatePart(hdr)
		io.Copy(part, file)
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, body)
	req.Header = s.headers()
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := serve(h, req)
	return w
}

type evidenceOut struct {
	Evidence struct {
		ID       int64  `json:"id"`
		SHA256   string `json:"sha256"`
		FileName string `json:"file_name"`
		FileSize int64  `json:"file_size"`
		Status   string `json:"status"`
		Controls string `json:"controls"`
	} `json:"evidence"`
}

func TestControls(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			owner := signIn(t, p.svc, "owner")
			var me struct {
				User struct{ ID int64 } `json:"user"`
			}
			p.call(owner, "GET", "/api/v1/auth/session", "", 200, &me)

			ac03 := p.control("AC-03", fmt.Sprintf(`,"owner_id":%d,"key_control":true,"systems":"Okta, AWS","implemented_on":"2025-01-15"`, me.User.ID))
			p.control("CM-01", `,"frequency":"monthly"`)
			p.control("BK-02", `,"frequency":"daily","status":"draft"`)

			for name, body := range map[string]string{
				"bad enums":    `{"ref":"X-1","title":"x","frequency":"hourly","nature":"magic","type":"detective"}`,
				"missing ref":  `{"title":"x","frequency":"daily","nature":"manual","type":"detective"}`,
				"bad ref":      `{"ref":"has space","title":"x","frequency":"daily","nature":"manual","type":"detective"}`,
				"duplicate":    `{"ref":"AC-03","title":"x","frequency":"daily","nature":"manual","type":"detective"}`,
				"no owner":     `{"ref":"X-2","title":"x","frequency":"daily","nature":"manual","type":"detective","owner_id":999}`,
				"bad date":     `{"ref":"X-3","title":"x","frequency":"daily","nature":"manual","type":"detective","implemented_on":"soon"}`,
				"long title":   `{"ref":"X-4","title":"` + strings.Repeat("t", 201) + `","frequency":"daily","nature":"manual","type":"detective"}`,
				"unknown json": `{"ref":"X-5","colour":"red"}`,
			} {
				if w := send(p.h, "POST", "/api/v1/controls", body, p.admin.headers()); w.Code != 400 {
					t.Errorf("%s: %d %s", name, w.Code, w.Body)
				}
			}
			var n int64
			storetest.Must(t, p.db.R.Model(&store.Control{}).Count(&n))
			if n != 3 {
				t.Errorf("%d controls after refused creates, want 3", n)
			}

			var list struct {
				Controls []struct {
					Ref        string `json:"ref"`
					OwnerEmail string `json:"owner_email"`
				} `json:"controls"`
				Total int `json:"total"`
			}
			for query, want := range map[string]string{
				"":                                      "AC-03,BK-02,CM-01",
				"?sort=-ref":                            "CM-01,BK-02,AC-03",
				"?frequency=monthly":                    "CM-01",
				"?status=draft":                         "BK-02",
				fmt.Sprintf("?owner_id=%d", me.User.ID): "AC-03",
				"?q=cm-":                                "CM-01",
				"?limit=1&offset=1":                     "BK-02",
				"?no_evidence=true":                     "AC-03,BK-02,CM-01",
			} {
				p.call(p.admin, "GET", "/api/v1/controls"+query, "", 200, &list)
				var refs []string
				for _, c := range list.Controls {
					refs = append(refs, c.Ref)
				}
				if strings.Join(refs, ",") != want {
					t.Errorf("controls%s = %v, want %s", query, refs, want)
				}
			}
			if w := send(p.h, "GET", "/api/v1/controls?frequency=hourly", "", p.admin.headers()); w.Code != 400 {
				t.Errorf("bad filter: %d", w.Code)
			}

			// Retire by status; hard delete only while nothing refers to it.
			p.call(p.admin, "PATCH", fmt.Sprintf("/api/v1/controls/%d", ac03), `{"status":"retired"}`, 200, nil)
			p.call(owner, "PATCH", fmt.Sprintf("/api/v1/controls/%d", ac03), `{"status":"active"}`, 403, nil)
		})
	}
}

func TestMappingsAndObjectives(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			ac := p.control("AC-03", "")

			var obj struct {
				Requirement struct {
					Ref         string `json:"ref"`
					Title       string `json:"title"`
					Description string `json:"description"`
					Category    string `json:"category"`
				} `json:"requirement"`
			}
			p.call(p.admin, "POST", "/api/v1/soc1-objectives", `{"template_ref":"BP-PAY-01","title":"Employee changes are authorised"}`, 201, &obj)
			if obj.Requirement.Ref != "CO-01" || obj.Requirement.Title != "Employee changes are authorised" ||
				!strings.HasPrefix(obj.Requirement.Description, "Controls provide reasonable assurance that") || obj.Requirement.Category != "business" {
				t.Errorf("objective from template: %+v", obj.Requirement)
			}
			p.call(p.admin, "POST", "/api/v1/soc1-objectives", `{"ref":"LA-1","category":"itgc","domain":"Logical access","title":"Access","description":"Controls provide reasonable assurance that access is restricted."}`, 201, &obj)
			p.call(p.admin, "POST", "/api/v1/soc1-objectives", `{"template_ref":"NOPE"}`, 400, nil)
			p.call(p.admin, "PATCH", "/api/v1/soc1-objectives/CO-01", `{"title":"Reworded"}`, 200, &obj)
			if obj.Requirement.Ref != "CO-01" || obj.Requirement.Title != "Reworded" {
				t.Errorf("reworded objective: %+v", obj.Requirement)
			}

			// One control serves both SOC 2 criteria and a SOC 1 objective; one
			// bad entry in a bulk request changes nothing.
			bad := fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC99.9"}]}`, ac, ac)
			w := send(p.h, "POST", "/api/v1/mappings", bad, p.admin.headers())
			if w.Code != 400 || !strings.Contains(w.Body.String(), "add[1]") {
				t.Fatalf("bulk with a bad entry: %d %s", w.Code, w.Body)
			}
			var maps struct {
				Mappings []struct {
					Requirement string `json:"requirement"`
					Rationale   string `json:"rationale"`
				} `json:"mappings"`
			}
			p.call(p.admin, "GET", "/api/v1/mappings", "", 200, &maps)
			if len(maps.Mappings) != 0 {
				t.Fatalf("partial write: %+v", maps.Mappings)
			}
			good := fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1","rationale":"quarterly review"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.2"},{"control_id":%d,"requirement":"org-soc1/CO-01"}]}`, ac, ac, ac)
			p.call(p.admin, "POST", "/api/v1/mappings", good, 200, nil)
			p.call(p.admin, "GET", "/api/v1/mappings?framework=soc2-tsc-2017", "", 200, &maps)
			if len(maps.Mappings) != 2 || maps.Mappings[0].Requirement != "soc2-tsc-2017/CC6.1" || maps.Mappings[0].Rationale != "quarterly review" {
				t.Errorf("SOC 2 mappings: %+v", maps.Mappings)
			}
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"remove":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.2"}]}`, ac), 200, nil)
			var detail struct {
				Mappings []struct {
					Requirement string `json:"requirement"`
				} `json:"mappings"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d", ac), "", 200, &detail)
			if len(detail.Mappings) != 2 || detail.Mappings[0].Requirement != "org-soc1/CO-01" {
				t.Errorf("control mappings: %+v", detail.Mappings)
			}
			var list struct {
				Total int `json:"total"`
			}
			p.call(p.admin, "GET", "/api/v1/controls?requirement=soc2-tsc-2017/CC6.1", "", 200, &list)
			if list.Total != 1 {
				t.Errorf("filter by requirement: %d", list.Total)
			}
			var audit struct {
				Total int `json:"total"`
			}
			p.call(p.admin, "GET", "/api/v1/audit?action=mapping.add", "", 200, &audit)
			if audit.Total != 3 {
				t.Errorf("mapping.add audit entries: %d, want 3", audit.Total)
			}
		})
	}
}

func TestEvidenceFiles(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	ac := p.control("AC-03", "")
	fields := map[string]string{"title": "Q1 access review", "control_ids": fmt.Sprint(ac),
		"covers_from": "2026-01-01", "covers_to": "2026-03-31", "expires_on": "2099-01-01"}
	content := []byte("%PDF-1.7 signed access review\n")
	sum := sha256.Sum256(content)

	w := upload(p.h, p.admin, "/api/v1/evidence", fields, "review.pdf", bytes.NewReader(content))
	var out evidenceOut
	if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &out) != nil {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	if out.Evidence.SHA256 != hex.EncodeToString(sum[:]) || out.Evidence.FileSize != int64(len(content)) ||
		out.Evidence.Controls != "AC-03" || out.Evidence.FileName != "review.pdf" {
		t.Errorf("stored evidence: %+v", out.Evidence)
	}
	id := out.Evidence.ID

	// Download gives the exact bytes, as an attachment, and is audited.
	dl := send(p.h, "GET", fmt.Sprintf("/api/v1/evidence/%d/download", id), "", p.admin.headers())
	if dl.Code != 200 || !bytes.Equal(dl.Body.Bytes(), content) {
		t.Fatalf("download: %d %q", dl.Code, dl.Body)
	}
	for k, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
		"Content-Disposition": `attachment; filename=review.pdf`} {
		if got := dl.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	var audit struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=evidence.download", "", 200, &audit)
	if audit.Total != 1 {
		t.Errorf("download audit entries: %d", audit.Total)
	}

	// A new upload is a new revision; the first stays as it was. The same
	// bytes uploaded again are stored once.
	v2 := []byte("%PDF-1.7 corrected review\n")
	w = upload(p.h, p.admin, fmt.Sprintf("/api/v1/evidence/%d/revisions", id), nil, "review-v2.pdf", bytes.NewReader(v2))
	if w.Code != 201 || !strings.Contains(w.Body.String(), `"revision":2`) {
		t.Fatalf("revision: %d %s", w.Code, w.Body)
	}
	if dl := send(p.h, "GET", fmt.Sprintf("/api/v1/evidence/%d/download?revision=1", id), "", p.admin.headers()); !bytes.Equal(dl.Body.Bytes(), content) {
		t.Error("revision 1 changed after revision 2")
	}
	if dl := send(p.h, "GET", fmt.Sprintf("/api/v1/evidence/%d/download", id), "", p.admin.headers()); !bytes.Equal(dl.Body.Bytes(), v2) {
		t.Error("latest download is not revision 2")
	}
	w = upload(p.h, p.admin, "/api/v1/evidence", fields, "copy.pdf", bytes.NewReader(content))
	if w.Code != 201 {
		t.Fatal(w.Body)
	}
	var blobs int64
	storetest.Must(t, p.db.R.Model(&store.EvidenceFile{}).Distinct("sha256").Count(&blobs))
	if blobs != 2 {
		t.Errorf("%d distinct stored files, want 2", blobs)
	}

	for name, tc := range map[string]struct {
		fields map[string]string
		file   io.Reader
		want   string
	}{
		"empty file":        {fields, strings.NewReader(""), "empty"},
		"missing file part": {fields, nil, "no file part"},
		"no controls":       {map[string]string{"title": "x"}, strings.NewReader("x"), "control"},
		"unknown control":   {map[string]string{"title": "x", "control_ids": "999"}, strings.NewReader("x"), "unknown control"},
		"period and as-of":  {map[string]string{"title": "x", "control_ids": fmt.Sprint(ac), "covers_from": "2026-01-01", "covers_to": "2026-02-01", "as_of": "2026-01-15"}, strings.NewReader("x"), "not both"},
		"reversed period":   {map[string]string{"title": "x", "control_ids": fmt.Sprint(ac), "covers_from": "2026-03-01", "covers_to": "2026-02-01"}, strings.NewReader("x"), "ends before"},
		"unknown field":     {map[string]string{"title": "x", "colour": "red"}, strings.NewReader("x"), "unknown field"},
	} {
		w := upload(p.h, p.admin, "/api/v1/evidence", tc.fields, "a.pdf", tc.file)
		if w.Code != 400 || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	for _, link := range []string{"ftp://files.example.com/x", "javascript:alert(1)", "file:///etc/passwd", "not a url"} {
		body := fmt.Sprintf(`{"kind":"link","url":%q,"title":"x","control_ids":[%d]}`, link, ac)
		if w := send(p.h, "POST", "/api/v1/evidence", body, p.admin.headers()); w.Code != 400 || !strings.Contains(w.Body.String(), "http") {
			t.Errorf("link %q: %d %s", link, w.Code, w.Body)
		}
	}
	p.call(p.admin, "POST", "/api/v1/evidence", fmt.Sprintf(`{"kind":"link","url":"https://wiki.example.com/runbook","title":"Runbook","control_ids":[%d]}`, ac), 201, nil)
	p.call(p.admin, "POST", "/api/v1/evidence", fmt.Sprintf(`{"kind":"note","note":"Walkthrough with J. Smith on 2026-02-03","title":"Walkthrough","as_of":"2026-02-03","control_ids":[%d]}`, ac), 201, nil)

	var sorted struct {
		Evidence []struct {
			Title string `json:"title"`
		} `json:"evidence"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence?sort=title", "", 200, &sorted)
	if len(sorted.Evidence) != 4 || sorted.Evidence[0].Title != "Q1 access review" || sorted.Evidence[3].Title != "Walkthrough" {
		t.Errorf("evidence sorted by title: %+v", sorted.Evidence)
	}
	p.call(p.admin, "GET", "/api/v1/evidence?sort=colour", "", 400, nil)

	// Deleting keeps the record for the audit trail but takes it out of use.
	p.call(p.admin, "DELETE", fmt.Sprintf("/api/v1/evidence/%d", id), "", 204, nil)
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/evidence/%d", id), "", 404, nil)
	var list struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence", "", 200, &list)
	if list.Total != 3 {
		t.Errorf("live evidence after delete: %d, want 3", list.Total)
	}
	// A control with evidence is kept on record: it can be retired, not deleted.
	p.call(p.admin, "DELETE", fmt.Sprintf("/api/v1/controls/%d", ac), "", 409, nil)
}

// Control owners add and change evidence only for controls they own.
func TestOwnersEditOnlyTheirEvidence(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	owner := signIn(t, p.svc, "owner")
	var me struct {
		User struct{ ID int64 } `json:"user"`
	}
	p.call(owner, "GET", "/api/v1/auth/session", "", 200, &me)
	mine := p.control("AC-03", fmt.Sprintf(`,"owner_id":%d`, me.User.ID))
	theirs := p.control("CM-01", "")

	w := upload(p.h, owner, "/api/v1/evidence", map[string]string{"title": "x", "control_ids": fmt.Sprint(mine)}, "a.txt", strings.NewReader("mine"))
	if w.Code != 201 {
		t.Fatalf("owner on own control: %d %s", w.Code, w.Body)
	}
	w = upload(p.h, owner, "/api/v1/evidence", map[string]string{"title": "x", "control_ids": fmt.Sprint(theirs)}, "a.txt", strings.NewReader("theirs"))
	if w.Code != 400 || !strings.Contains(w.Body.String(), "controls they own") {
		t.Errorf("owner on someone else's control: %d %s", w.Code, w.Body)
	}
	var other evidenceOut
	w = upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "x", "control_ids": fmt.Sprint(theirs)}, "a.txt", strings.NewReader("admin's"))
	if err := json.Unmarshal(w.Body.Bytes(), &other); err != nil {
		t.Fatalf("upload answer %s: %v", w.Body, err)
	}
	p.call(owner, "PATCH", fmt.Sprintf("/api/v1/evidence/%d", other.Evidence.ID), `{"title":"hijacked"}`, 403, nil)
	p.call(owner, "DELETE", fmt.Sprintf("/api/v1/evidence/%d", other.Evidence.ID), "", 403, nil)
}

// Over the limit: 413, and nothing is left on disk or in the database.
func TestUploadOverLimit(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	ac := p.control("AC-03", "")
	dir := t.TempDir()
	big := bytes.Repeat([]byte("x"), testMaxUpload+1)
	w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "big", "control_ids": fmt.Sprint(ac)}, "big.bin", bytes.NewReader(big))
	if w.Code != 413 {
		t.Fatalf("over the limit: %d %s", w.Code, w.Body)
	}
	var n int64
	storetest.Must(t, p.db.R.Model(&store.Evidence{}).Count(&n))
	if n != 0 {
		t.Errorf("%d evidence rows after a refused upload", n)
	}
	// The router's blob store lives in a temp dir of its own; check no file
	// and no temporary file is left anywhere under the test's temp dirs.
	leftovers := 0
	filepath.Walk(filepath.Dir(dir), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && (strings.Contains(path, "upload-") || len(info.Name()) == 64) {
			leftovers++
		}
		return nil
	})
	if leftovers != 0 {
		t.Errorf("%d files left behind by the refused upload", leftovers)
	}

	// A declared Content-Length over the limit is refused before reading.
	req := httptest.NewRequest("POST", "/api/v1/evidence", strings.NewReader("tiny"))
	req.Header = p.admin.headers()
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.ContentLength = testMaxUpload + 2<<20
	rec := serve(p.h, req)
	if rec.Code != 413 {
		t.Errorf("declared oversize body: %d", rec.Code)
	}
}

// Hostile file names are kept as harmless labels and come back safely.
func TestHostileFileNames(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	ac := p.control("AC-03", "")
	long := strings.Repeat("a", 10_000) + ".pdf"
	for name, want := range map[string]string{
		"../../etc/passwd":        "passwd",
		`..\..\windows\win.ini`:   "win.ini",
		"evil\x00.pdf":            "refused", // a raw NUL breaks the part header
		"report\r\nX-Injected: 1": "refused", // so does a raw line break
		// RFC 2231 encoding delivers a NUL and a line break inside the name itself.
		`x"; filename*=UTF-8''evil%00%0D%0Aname.pdf; y="`: "evilname.pdf",
		long:                   strings.Repeat("a", 251) + ".pdf",
		"Prüfbericht Q1 ✓.pdf": "Prüfbericht Q1 ✓.pdf",
	} {
		w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "x", "control_ids": fmt.Sprint(ac)}, name, strings.NewReader("data"))
		if want == "refused" {
			// A raw NUL or line break breaks the part header itself: a clear 400.
			if w.Code != 400 {
				t.Errorf("%q: %d %s, want 400", name, w.Code, w.Body)
			}
			continue
		}
		var out evidenceOut
		if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &out) != nil {
			t.Errorf("%q: %d %s", name, w.Code, w.Body)
			continue
		}
		got := out.Evidence.FileName
		t.Logf("%q stored as %q", name, got)
		if strings.ContainsAny(got, "/\\\x00\r\n") || len([]rune(got)) > 255 || (want != "" && got != want) {
			t.Errorf("%q stored as %q, want %q", name, got, want)
		}
		dl := send(p.h, "GET", fmt.Sprintf("/api/v1/evidence/%d/download", out.Evidence.ID), "", p.admin.headers())
		cd := dl.Header().Get("Content-Disposition")
		if dl.Code != 200 || !strings.HasPrefix(cd, "attachment;") || strings.ContainsAny(cd, "/\\\x00\r\n") || dl.Header().Get("X-Injected") != "" {
			t.Errorf("%q downloaded with Content-Disposition %q", name, cd)
		}
	}
}

type coverageRequirement struct {
	Requirement     string `json:"requirement"`
	State           string `json:"state"`
	Reason          string `json:"reason"`
	CoveredControls int    `json:"covered_controls"`
	Controls        []struct {
		Ref   string `json:"ref"`
		State string `json:"state"`
	} `json:"controls"`
}

type coverageOut struct {
	Requirements []coverageRequirement `json:"requirements"`
	Summary      []struct {
		Category string         `json:"category"`
		Total    int            `json:"total"`
		States   map[string]int `json:"states"`
	} `json:"summary"`
	ControlsWithoutEvidence []struct {
		Ref string `json:"ref"`
	} `json:"controls_without_evidence"`
	ExpiringEvidence []struct {
		Title   string `json:"title"`
		Expired bool   `json:"expired"`
	} `json:"expiring_evidence"`
}

func (c coverageOut) requirement(req string) coverageRequirement {
	for _, r := range c.Requirements {
		if r.Requirement == req {
			return r
		}
	}
	return coverageRequirement{}
}

func (c coverageOut) state(req string) string {
	for _, r := range c.Requirements {
		if r.Requirement == req {
			return r.State
		}
	}
	return "absent"
}

func TestCoverageAndGaps(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			var cov coverageOut
			p.call(p.admin, "GET", "/api/v1/coverage", "", 200, &cov)
			if len(cov.Requirements) != 33 || cov.state("soc2-tsc-2017/CC6.1") != "no_control" || cov.state("soc2-tsc-2017/A1.1") != "absent" {
				t.Fatalf("security-only scope: %d requirements, CC6.1 %s", len(cov.Requirements), cov.state("soc2-tsc-2017/CC6.1"))
			}
			p.call(p.admin, "GET", "/api/v1/coverage?categories=availability,confidentiality", "", 200, &cov)
			if len(cov.Requirements) != 38 || cov.state("soc2-tsc-2017/A1.1") != "no_control" {
				t.Fatalf("with availability and confidentiality: %d", len(cov.Requirements))
			}
			p.call(p.admin, "GET", "/api/v1/coverage?categories=integrity", "", 400, nil)

			ac := p.control("AC-03", "")
			cm := p.control("CM-01", "")
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"}]}`, ac, cm), 200, nil)
			p.call(p.admin, "GET", "/api/v1/coverage", "", 200, &cov)
			if cov.state("soc2-tsc-2017/CC6.1") != "no_evidence" || len(cov.ControlsWithoutEvidence) != 2 {
				t.Fatalf("mapped, no evidence: %s, %+v", cov.state("soc2-tsc-2017/CC6.1"), cov.ControlsWithoutEvidence)
			}

			// Evidence that says no day it speaks for covers nothing, as in
			// an engagement's windows; dated, it covers the control.
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC6.1"}]}`, cm), 200, nil)
			upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "review", "control_ids": fmt.Sprint(ac)}, "r.pdf", strings.NewReader("ok"))
			p.call(p.admin, "GET", "/api/v1/coverage", "", 200, &cov)
			if got := cov.requirement("soc2-tsc-2017/CC6.1"); got.State != "no_dated_evidence" || got.CoveredControls != 0 || got.Controls[0].State != "no_dated_evidence" {
				t.Errorf("undated evidence: %+v", got)
			}
			today := p.now().Format("2006-01-02")
			upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "review, dated", "control_ids": fmt.Sprint(ac), "collected_on": today}, "r2.pdf", strings.NewReader("ok2"))
			soon := p.now().AddDate(0, 0, 10).Format("2006-01-02")
			upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "change log", "control_ids": fmt.Sprint(cm), "expires_on": soon, "as_of": today}, "c.pdf", strings.NewReader("soon"))
			p.call(p.admin, "PUT", "/api/v1/applicability", `{"requirement":"soc2-tsc-2017/CC6.4","not_applicable":true,"reason":"No own data centre: hosted at a carved-out cloud provider"}`, 204, nil)
			p.call(p.admin, "PUT", "/api/v1/applicability", `{"requirement":"soc2-tsc-2017/CC6.5","not_applicable":true}`, 400, nil)

			p.call(p.admin, "GET", "/api/v1/coverage?expiring_days=30", "", 200, &cov)
			for req, want := range map[string]string{"soc2-tsc-2017/CC6.1": "covered", "soc2-tsc-2017/CC8.1": "expiring",
				"soc2-tsc-2017/CC6.4": "not_applicable", "soc2-tsc-2017/CC1.1": "no_control"} {
				if got := cov.state(req); got != want {
					t.Errorf("%s: %s, want %s", req, got, want)
				}
			}
			// CC6.1 rests on AC-03 (covered) and CM-01 (expiring): 1 of 2 covered.
			if got := cov.requirement("soc2-tsc-2017/CC6.1"); got.CoveredControls != 1 || len(got.Controls) != 2 {
				t.Errorf("CC6.1's controls covered: %+v", got)
			}
			if len(cov.ControlsWithoutEvidence) != 0 || len(cov.ExpiringEvidence) != 1 || cov.ExpiringEvidence[0].Title != "change log" {
				t.Errorf("gaps: %+v %+v", cov.ControlsWithoutEvidence, cov.ExpiringEvidence)
			}
			sec := cov.Summary[0]
			if sec.Category != "security" || sec.Total != 33 || sec.States["covered"] != 1 || sec.States["not_applicable"] != 1 ||
				sec.States["expiring"] != 1 || sec.States["no_control"] != 30 {
				t.Errorf("security summary: %+v", sec)
			}

			// The organisation's SOC 1 objectives join the scope on request.
			p.call(p.admin, "POST", "/api/v1/soc1-objectives", `{"template_ref":"ITGC-LA"}`, 201, nil)
			p.call(p.admin, "GET", "/api/v1/coverage?soc1=true", "", 200, &cov)
			if cov.state("org-soc1/CO-01") != "no_control" || len(cov.Requirements) != 34 {
				t.Errorf("with SOC 1: %d requirements, CO-01 %s", len(cov.Requirements), cov.state("org-soc1/CO-01"))
			}
		})
	}
}

func (p *program) now() time.Time { return time.Now().UTC() }

func jsonDecode(t *testing.T, data []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatal(err)
	}
}
