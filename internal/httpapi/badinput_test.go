package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/httpapi"
	"github.com/socmap/socmap/internal/store/storetest"
)

// fieldsOf decodes the fields of an error answer.
func fieldsOf(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var e struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not an error body: %s", body)
	}
	return e.Error.Fields
}

// A query string that does not parse, or a number written "+5", used to
// be read as if the parameter were absent: the filter silently did not
// apply. Each is a 400 naming the parameter.
func TestQueryThatDoesNotParseIsRefused(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	for _, tt := range []struct{ query, field string }{
		{"owner_id=1;limit=5", "owner_id"},
		{"limit=5&status=active;retired", "status"},
		{"limit=+5", "limit"},
		{"offset=%zz", "offset"},
	} {
		w := send(p.h, "GET", "/api/v1/controls?"+tt.query, "", p.admin.headers())
		if w.Code != 400 {
			t.Errorf("?%s: %d %s, want 400", tt.query, w.Code, w.Body)
			continue
		}
		if f := fieldsOf(t, w.Body.Bytes()); f[tt.field] == "" {
			t.Errorf("?%s: fields %v do not name %s", tt.query, f, tt.field)
		}
	}
	if w := send(p.h, "GET", "/api/v1/controls?limit=5&offset=0", "", p.admin.headers()); w.Code != 200 {
		t.Errorf("a good query: %d %s", w.Code, w.Body)
	}
}

// multipartBody builds a form from parts in the given order.
func multipartBody(parts ...[2]string) (*bytes.Buffer, string) {
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	for _, p := range parts {
		if p[0] == "file" {
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", `form-data; name="file"; filename="report.pdf"`)
			hdr.Set("Content-Type", "application/pdf")
			w, _ := mw.CreatePart(hdr)
			io.WriteString(w, p[1])
			continue
		}
		mw.WriteField(p[0], p[1])
	}
	mw.Close()
	return body, mw.FormDataContentType()
}

// A repeated form field used to let its last value win unseen, and parts
// after the file were dropped. Each is a 400 naming the field, and no
// evidence is stored.
func TestRepeatedMultipartFieldIsRefused(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	p.control("AC-01", "")
	for _, tt := range []struct {
		name  string
		parts [][2]string
		field string
	}{
		{"title twice", [][2]string{{"title", "Q1 review"}, {"control_ids", "1"}, {"title", "Q2 review"}, {"file", "%PDF-1"}}, "title"},
		{"control_ids twice", [][2]string{{"title", "r"}, {"control_ids", "1"}, {"control_ids", "1"}, {"file", "%PDF-1"}}, "control_ids"},
		{"file twice", [][2]string{{"title", "r"}, {"control_ids", "1"}, {"file", "%PDF-1"}, {"file", "%PDF-2"}}, "file"},
		{"field after the file", [][2]string{{"title", "r"}, {"control_ids", "1"}, {"file", "%PDF-1"}, {"description", "late"}}, "description"},
	} {
		body, ct := multipartBody(tt.parts...)
		req := httptest.NewRequest("POST", "/api/v1/evidence", body)
		req.Header = p.admin.headers()
		req.Header.Set("Content-Type", ct)
		w := serve(p.h, req)
		if w.Code != 400 {
			t.Errorf("%s: %d %s, want 400", tt.name, w.Code, w.Body)
			continue
		}
		if f := fieldsOf(t, w.Body.Bytes()); f[tt.field] == "" {
			t.Errorf("%s: fields %v do not name %s", tt.name, f, tt.field)
		}
	}
	var list struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence", "", 200, &list)
	if list.Total != 0 {
		t.Errorf("%d evidence stored from refused uploads", list.Total)
	}
}

// stall opens a connection, sends a request's headers and the start of a
// body that never ends, and returns when the server closes it.
func stall(t *testing.T, addr, path, contentType string, wg *sync.WaitGroup, closedAfter *time.Duration) {
	defer wg.Done()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: socmap\r\nContent-Type: %s\r\nContent-Length: 100000\r\n\r\n{\"email\":", path, contentType)
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = io.Copy(io.Discard, conn) // the answer, then the close
	if err != nil {
		t.Errorf("connection to %s not closed: %v", path, err)
	}
	*closedAfter = time.Since(start)
}

// Stalled bodies used to hold their connections open for ever. With the
// deadline shortened to one second, 15 stalled anonymous sign-ins are all
// answered and closed within two (the full 30 s deadline is measured by
// the reliability tests).
func TestStalledBodiesAreClosed(t *testing.T) {
	// Not parallel: it shortens the package-wide body deadlines
	defer httpapi.ShortenBodyDeadlines(time.Second, time.Second, 8<<10)()
	p := newProgram(t, storetest.Targets(t)[0])
	srv := httptest.NewServer(p.h)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	times := make([]time.Duration, 15)
	var wg sync.WaitGroup
	for i := range times {
		wg.Add(1)
		go stall(t, addr, "/api/v1/auth/login", "application/json", &wg, &times[i])
	}
	wg.Wait()
	for i, d := range times {
		if d > 2*time.Second {
			t.Errorf("stalled sign-in %d closed after %v", i, d)
		}
	}
}

// trickle sends a multipart upload of size bytes at about rate bytes a
// second and returns the status code (0 when the connection was cut).
func trickle(t *testing.T, url string, s session, size, rate int) int {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("title", "slow upload")
		mw.WriteField("control_ids", "1")
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", `form-data; name="file"; filename="slow.bin"`)
		part, _ := mw.CreatePart(hdr)
		chunk := make([]byte, rate/10)
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := part.Write(chunk); err != nil {
				pw.CloseWithError(err)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		mw.Close()
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", url+"/api/v1/evidence", pr)
	req.Header = s.headers()
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 201 {
		t.Logf("upload at %d B/s: %d %s", rate, res.StatusCode, body)
	}
	return res.StatusCode
}

// An upload slower than the minimum rate is cut off; one at the rate may
// take longer than the JSON deadline.
func TestUploadsKeepAMinimumRate(t *testing.T) {
	// Not parallel: it shortens the package-wide body deadlines
	defer httpapi.ShortenBodyDeadlines(time.Second, time.Second, 16<<10)()
	p := newProgram(t, storetest.Targets(t)[0])
	p.control("AC-01", "")
	srv := httptest.NewServer(p.h)
	defer srv.Close()
	if code := trickle(t, srv.URL, p.admin, 96<<10, 48<<10); code != 201 {
		t.Errorf("an upload at 48 KiB/s over two seconds: %d, want 201", code)
	}
	if code := trickle(t, srv.URL, p.admin, 64<<10, 4<<10); code == 201 {
		t.Errorf("an upload at 4 KiB/s (minimum 16 KiB/s) was kept")
	}
	var list struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/evidence", "", 200, &list)
	if list.Total != 1 {
		t.Errorf("%d evidence stored, want only the upload at the rate", list.Total)
	}
}

// A file name with a right-to-left override used to be stored as sent,
// so "rtl\u202egnp.exe" displayed as "rtlexe.png" in the list and the
// download's name.
func TestStoredFileNamesLoseFormatCharacters(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	p.control("AC-01", "")
	w := upload(p.h, p.admin, "/api/v1/evidence", map[string]string{"title": "t", "control_ids": "1"},
		"rtl\u202egnp.exe", strings.NewReader("MZ"))
	var out struct {
		Evidence struct {
			ID       int64  `json:"id"`
			FileName string `json:"file_name"`
		} `json:"evidence"`
	}
	if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &out) != nil {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	if out.Evidence.FileName != "rtlgnp.exe" {
		t.Errorf("stored name %q, want rtlgnp.exe", out.Evidence.FileName)
	}
	d := send(p.h, "GET", fmt.Sprintf("/api/v1/evidence/%d/download", out.Evidence.ID), "", p.admin.headers())
	if cd := d.Header().Get("Content-Disposition"); strings.Contains(cd, "\u202e") || strings.Contains(cd, "%E2%80%AE") || !strings.Contains(cd, "rtlgnp.exe") {
		t.Errorf("download names it %q", cd)
	}
}
