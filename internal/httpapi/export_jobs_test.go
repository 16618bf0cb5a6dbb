package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/store/storetest"
)

type jobOut struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	State      string `json:"state"`
	Bytes      int64  `json:"bytes"`
	Error      string `json:"error"`
	FileName   string `json:"file_name"`
	FileURL    string `json:"file_url"`
	ExpectedMS int64  `json:"expected_ms"`
}

// readyJob starts a download job as s at start (…/workbook/jobs) and waits
// until its file is ready.
func readyJob(t *testing.T, p *program, s session, start string) jobOut {
	t.Helper()
	var out struct {
		Job jobOut `json:"job"`
	}
	p.call(s, "POST", start, "", 202, &out)
	if out.Job.State != "preparing" || out.Job.ID == "" {
		t.Fatalf("started: %+v", out.Job)
	}
	base := strings.TrimSuffix(strings.TrimSuffix(start, "/workbook/jobs"), "/package/jobs")
	for deadline := time.Now().Add(30 * time.Second); out.Job.State == "preparing"; {
		if time.Now().After(deadline) {
			t.Fatalf("job still preparing: %+v", out.Job)
		}
		time.Sleep(10 * time.Millisecond)
		p.call(s, "GET", base+"/jobs/"+out.Job.ID, "", 200, &out)
	}
	if out.Job.State != "ready" {
		t.Fatalf("job: %+v", out.Job)
	}
	return out.Job
}

// A workbook prepared as a job: its owner follows it to ready, downloads
// the same file the direct route gives (audited as theirs), and the job
// is gone after; nobody else sees it, nor through another engagement.
func TestDownloadJobs(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	other := signIn(t, p.svc, "compliance")

	job := readyJob(t, p, p.admin, base+"/workbook/jobs")
	if job.Kind != "workbook" || job.Bytes < 1000 || !strings.HasSuffix(job.FileName, ".xlsx") || job.FileURL != base+"/jobs/"+job.ID+"/file" {
		t.Errorf("ready: %+v", job)
	}
	for _, path := range []string{base + "/jobs/" + job.ID, job.FileURL} {
		p.call(other, "GET", path, "", 404, nil)
	}
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"Another","report":"soc2","type":"type1","as_of":"2026-06-30"}`, 201, &e)
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/jobs/%s", e.Engagement.ID, job.ID), "", 404, nil)

	w := send(p.h, "GET", job.FileURL, "", p.admin.headers())
	if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) || int64(w.Body.Len()) != job.Bytes ||
		!strings.Contains(w.Header().Get("Content-Disposition"), job.FileName) || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/vnd.openxmlformats") {
		t.Fatalf("file: %d %v (%d bytes, job says %d)", w.Code, w.Header(), w.Body.Len(), job.Bytes)
	}
	checkExportEntry(t, p, "engagement.export", w.Body.Bytes())
	p.call(p.admin, "GET", base+"/jobs/"+job.ID, "", 404, nil)
	p.call(p.admin, "GET", job.FileURL, "", 404, nil)

	// The next one is expected to take about as long; a package is a zip.
	again := readyJob(t, p, p.admin, base+"/workbook/jobs")
	if again.ExpectedMS <= 0 && job.ExpectedMS != 0 {
		t.Errorf("expected time: first %d, then %d", job.ExpectedMS, again.ExpectedMS)
	}
	pkg := readyJob(t, p, other, base+"/package/jobs")
	w = send(p.h, "GET", pkg.FileURL, "", other.headers())
	if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) || !strings.HasSuffix(pkg.FileName, "-evidence.zip") {
		t.Errorf("package: %d %+v", w.Code, pkg)
	}
	// A job not ready yet, or unknown, is not handed out.
	p.call(p.admin, "GET", base+"/jobs/0123456789abcdef0123456789abcdef/file", "", 404, nil)
	// An auditor not granted the engagement cannot start one.
	p.call(signIn(t, p.svc, "auditor"), "POST", base+"/workbook/jobs", "", 404, nil)
}
