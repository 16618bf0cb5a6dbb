//go:build reliability

// Package reliability runs socmap under stress: many concurrent clients,
// and repeated kill -9 during writes. Built only with -tags reliability
// (make test runs it) because each test takes a minute of wall time.
package reliability

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

const password = "reliability-passphrase-42"

// adminToken creates an administrator with a read-write API token.
func adminToken(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	svc := auth.NewService(db, auth.DefaultSettings(), nil)
	if _, err := svc.CreateUser(ctx, auth.Trusted, auth.NewUser{Email: "load@example.com", Role: "admin", Password: password}); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, "load@example.com", password, "test")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, p, auth.NewToken{Name: "load", Scope: auth.ScopeReadWrite})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// client talks to the API with a token.
type client struct {
	base, token string
	http        *http.Client
}

func newClient(base, token string) *client {
	return &client{base: base, token: token, http: &http.Client{Timeout: 30 * time.Second}}
}

// do sends a request and decodes a JSON answer into out.
func (c *client) do(method, path, contentType string, body io.Reader, out any) (int, error) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	if resp.StatusCode >= 500 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode, nil
}

// createControl creates a control and returns its ID once acknowledged.
func (c *client) createControl(ref string) (int64, int, error) {
	var out struct {
		Control struct {
			ID int64 `json:"id"`
		} `json:"control"`
	}
	body := fmt.Sprintf(`{"ref":%q,"title":"Written under load","frequency":"monthly","nature":"manual","type":"detective"}`, ref)
	code, err := c.do("POST", "/api/v1/controls", "application/json", bytes.NewBufferString(body), &out)
	return out.Control.ID, code, err
}

// upload sends a file as evidence of a control and returns the evidence ID
// and the SHA-256 of what was sent.
func (c *client) upload(controlID int64, content []byte) (int64, string, int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", "Load evidence")
	mw.WriteField("control_ids", fmt.Sprint(controlID))
	mw.WriteField("collected_on", "2026-03-01")
	part, _ := mw.CreateFormFile("file", "load.txt")
	part.Write(content)
	mw.Close()
	var out struct {
		Evidence struct {
			ID int64 `json:"id"`
		} `json:"evidence"`
	}
	code, err := c.do("POST", "/api/v1/evidence", mw.FormDataContentType(), &buf, &out)
	sum := sha256.Sum256(content)
	return out.Evidence.ID, hex.EncodeToString(sum[:]), code, err
}

// acknowledged is what the server said it saved.
type acknowledged struct {
	mu       sync.Mutex
	controls map[string]int64 // ref -> id
	evidence map[int64]string // id -> sha256
}

// verify finds every acknowledged control under its ID and every
// acknowledged upload with the bytes that were sent.
func (a *acknowledged) verify(t *testing.T, db *store.DB, blobs blob.Store) {
	t.Helper()
	for ref, id := range a.controls {
		var got int64
		storetest.Must(t, db.R.Table("controls").Where("ref = ?", ref).Pluck("id", &got))
		if got != id {
			t.Errorf("acknowledged control %s (id %d) is missing", ref, id)
		}
	}
	for id, sum := range a.evidence {
		var stored string
		storetest.Must(t, db.R.Table("evidence_files").Where("evidence_id = ?", id).Pluck("sha256", &stored))
		if ok, err := blob.Verify(context.Background(), blobs, stored); stored != sum || !ok || err != nil {
			t.Errorf("acknowledged evidence %d: stored %q, sent %s (%v %v)", id, stored, sum, ok, err)
		}
	}
}
