package httpapi_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// A sampled item records the control's evidence it was tested on; the
// work answer and the Samples sheet show it, and evidence of another
// control or none at all is refused with nothing written.
func TestSampleItemEvidence(t *testing.T) {
	t.Parallel()
	p := newProgram(t, storetest.Targets(t)[0])
	base := seedEngagement(t, p)
	cm, ac := controlID(t, p, "CM-01"), controlID(t, p, "AC-03")
	var made struct {
		Evidence struct {
			ID int64 `json:"id"`
		} `json:"evidence"`
	}
	evidence := func(title string, control int64) int64 {
		p.call(p.admin, "POST", "/api/v1/evidence", fmt.Sprintf(`{"kind":"link","url":"https://tickets.example.com/%s","title":%q,"control_ids":[%d]}`,
			title, title, control), 201, &made)
		return made.Evidence.ID
	}
	ticket, approval, other := evidence("C2", cm), evidence("C2-approval", cm), evidence("elsewhere", ac)
	var work workOut
	p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &work)
	if len(work.Samples) != 1 || len(work.Samples[0].Items) != 3 || work.Samples[0].Items[0].Evidence == nil {
		t.Fatalf("work before: %+v", work)
	}
	item := fmt.Sprintf("%s/samples/%d/items/2", base, work.Samples[0].ID)
	p.call(p.admin, "PUT", item, fmt.Sprintf(`{"results":{"approved":"fail"},"evidence_ids":[%d,%d,%d]}`, approval, ticket, ticket), 204, nil)
	for _, bad := range []string{fmt.Sprint(other), "999999", fmt.Sprintf("%d,%d", ticket, other)} {
		w := send(p.h, "PUT", item, fmt.Sprintf(`{"results":{"approved":"pass"},"notes":"changed","evidence_ids":[%s]}`, bad), p.admin.headers())
		if w.Code != 400 || !strings.Contains(w.Body.String(), "evidence_ids") {
			t.Errorf("evidence %s: %d %s", bad, w.Code, w.Body)
		}
	}
	// Saving without evidence_ids keeps the links.
	p.call(p.admin, "PUT", fmt.Sprintf("%s/samples/%d/items/1", base, work.Samples[0].ID), `{"results":{"approved":"pass"}}`, 204, nil)
	p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &work)
	want := []int64{ticket, approval}
	slices.Sort(want)
	for _, it := range work.Samples[0].Items {
		switch {
		case it.Seq == 2 && (!slices.Equal(it.Evidence, want) || it.Results["approved"] != "fail" || !it.Exception):
			t.Errorf("item 2 after refused changes: %+v", it)
		case it.Seq != 2 && len(it.Evidence) != 0:
			t.Errorf("item %d has evidence: %+v", it.Seq, it)
		}
	}

	rows := sheetRows(t, p, base, "Samples")
	col := slices.Index(rows[0], "Evidence IDs")
	if col < 0 {
		t.Fatalf("no Evidence IDs column: %q", rows[0])
	}
	shown := map[string]string{}
	for _, r := range rows[1:] {
		r = append(r, make([]string, len(rows[0])-len(r))...)
		if r[0] == "CM-01" {
			shown[r[4]] = r[col]
		}
	}
	if len(shown) != 3 || strings.Join(slices.Sorted(maps.Values(shown)), "|") != fmt.Sprintf("||%d, %d", want[0], want[1]) {
		t.Errorf("Evidence IDs of CM-01's items: %q", shown)
	}
}
