package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// Marking sampled items passed sets every attribute of each to pass in one
// transaction: the failed ones stop being exceptions, the notes stay, and
// an item not in the sample refuses the whole change.
func TestPassSampleItems(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	cm := p.control("CM-01", `,"frequency":"event-driven"`)
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"}]}`, cm), 200, nil)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"E","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
	base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	smp, seqs := p.testedSample(base, cm, 40, "2026-02", 2)
	if len(seqs) < 3 {
		t.Fatalf("sample of %d items", len(seqs))
	}
	p.call(p.admin, "PUT", fmt.Sprintf("%s/samples/%d/items/%d", base, smp, seqs[0]), `{"results":{"performed":"fail"},"notes":"signed late"}`, 204, nil)
	pass := fmt.Sprintf("%s/samples/%d/items/pass", base, smp)
	work := func() workOut {
		var w workOut
		p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &w)
		return w
	}
	exceptions := func() int {
		n := 0
		for _, it := range work().Samples[0].Items {
			if it.Exception {
				n++
			}
		}
		return n
	}
	if n := exceptions(); n != 2 {
		t.Fatalf("%d exceptions before, want 2", n)
	}
	p.call(p.admin, "POST", pass, fmt.Sprintf(`{"seqs":[%d,99999]}`, seqs[0]), 404, nil)
	p.call(p.admin, "POST", pass, `{"seqs":[]}`, 400, nil)
	p.call(p.admin, "POST", fmt.Sprintf("%s/samples/99999/items/pass", base), fmt.Sprintf(`{"seqs":[%d]}`, seqs[0]), 404, nil)
	if n := exceptions(); n != 2 {
		t.Fatalf("a refused change passed items: %d exceptions, want 2", n)
	}
	var audit struct {
		Total int `json:"total"`
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=engagement.sample_result", "", 200, &audit)
	before := audit.Total

	p.call(p.admin, "POST", pass, fmt.Sprintf(`{"seqs":[%d,%d]}`, seqs[0], seqs[1]), 204, nil)
	for _, it := range work().Samples[0].Items {
		if it.Exception || it.Results["performed"] != "pass" {
			t.Errorf("item %d after passing: %+v", it.Seq, it)
		}
	}
	p.call(p.admin, "GET", "/api/v1/audit?action=engagement.sample_result", "", 200, &audit)
	if audit.Total != before+2 {
		t.Errorf("%d new sample_result entries, want 2", audit.Total-before)
	}
	var notes struct {
		Samples []struct {
			Items []struct {
				Seq   int    `json:"seq"`
				Notes string `json:"notes"`
			} `json:"items"`
		} `json:"samples"`
	}
	p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &notes)
	if it := notes.Samples[0].Items[0]; it.Seq != seqs[0] || it.Notes != "signed late" {
		t.Errorf("the first item's notes after passing: %+v", it)
	}
}
