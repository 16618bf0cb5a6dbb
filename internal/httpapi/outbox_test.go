package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// The outbox lists digests with their size and without their bodies,
// which GET /outbox/:id answers one at a time.
func TestOutboxListsSizesAndServesBodies(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	body := "Hello,\n" + strings.Repeat("Upload evidence for AC-03 – January 2026\n", 200)
	storetest.Must(t, p.db.W.Exec(`INSERT INTO digests (user_id, period, recipient, subject, body, status, attempts, error, created_at)
		VALUES (?, '2026-W12', 'admin@example.com', 'Your tasks: 200 due', ?, 'outbox', 0, '', CURRENT_TIMESTAMP)`,
		userID(t, p.db, "admin@example.com"), body))
	var list struct {
		Digests []map[string]any `json:"digests"`
		Total   int              `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/outbox", "", 200, &list)
	if list.Total != 1 || len(list.Digests) != 1 {
		t.Fatalf("outbox: %+v", list)
	}
	d := list.Digests[0]
	if _, has := d["body"]; has || d["subject"] != "Your tasks: 200 due" || d["size"] != float64(len(body)) {
		t.Errorf("listed digest: %v, want no body and size %d", d, len(body))
	}
	var one struct {
		Digest struct {
			Subject string `json:"subject"`
			Body    string `json:"body"`
		} `json:"digest"`
	}
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/outbox/%v", d["id"]), "", 200, &one)
	if one.Digest.Body != body || one.Digest.Subject != "Your tasks: 200 due" {
		t.Errorf("the digest read alone: %+v", one.Digest)
	}
	p.call(p.admin, "GET", "/api/v1/outbox/999", "", 404, nil)
	p.call(p.admin, "GET", "/api/v1/outbox/x", "", 400, nil)
	p.call(signIn(t, p.svc, "compliance"), "GET", fmt.Sprintf("/api/v1/outbox/%v", d["id"]), "", 403, nil)
}
