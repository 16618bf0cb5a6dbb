package tasks

import (
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/requests"
	"github.com/socmap/socmap/internal/store/storetest"
)

// Owners find the requests they owe in their digest, returned ones said
// so; someone with requests and no tasks gets a digest too.
func TestDigestListsOwedRequests(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	c := p.control("AC-03", "monthly")
	e := p.engagement("2026-01-01", "2026-06-30", c.ID)
	p.refresh()
	lead := p.user("lead@example.com", "compliance")
	req := requests.NewService(p.db, p.engagements, p.evidence)
	kind, owner, lead2 := "population", "", "lead@example.com"
	ids := []int64{c.ID}
	for _, in := range []requests.Input{{Kind: &kind, ControlIDs: &ids, OwnerEmail: &owner}, {Kind: &kind, OwnerEmail: &lead2}} {
		if _, err := req.Create(p.ctx, p.admin, e.ID, in, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := p.tasks.SendDigests(p.ctx, "2026-W11", nil); err != nil || n != 2 {
		t.Fatalf("%d %v", n, err)
	}
	out, _, err := p.tasks.Outbox(p.ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]string{}
	for _, d := range out {
		by[d.Recipient] = d.Subject + "\n" + p.digestBody(t, d)
	}
	if d := by["owner@example.com"]; !strings.Contains(d, "REQ-001 (open") || !strings.Contains(d, ", 1 requests") {
		t.Errorf("owner's digest: %s", d)
	}
	if d := by[lead.Email]; !strings.Contains(d, "REQ-002 (open") || !strings.Contains(d, "the auditors are waiting") {
		t.Errorf("lead's digest: %s", d)
	}
}
