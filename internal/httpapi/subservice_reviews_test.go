package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

type reviewOut struct {
	Review struct {
		ID         int64 `json:"id"`
		Opinion    string
		ReviewedBy *int64 `json:"reviewed_by"`
		Bridge     *int64 `json:"bridge_letter_evidence_id"`
		CUECs      []struct {
			Text      string
			ControlID *int64 `json:"control_id"`
		}
		Version int64
	}
}

type standingOut struct {
	Orgs []struct {
		ID          int64  `json:"id"`
		ReviewState string `json:"review_state"`
		ReviewDue   bool   `json:"review_due"`
		Latest      *struct {
			ID int64 `json:"id"`
		} `json:"latest_review"`
	} `json:"subservice_orgs"`
}

// A subservice organisation's review is recorded, changed with its
// version and removed through the API, each audited; the engagement's
// complementary controls say where the review stands, and the next
// period's copy is "review due" again.
func TestSubserviceReviewRoutes(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) { subserviceReviewRoutes(t, target) })
	}
}

func subserviceReviewRoutes(t *testing.T, target storetest.Target) {
	p := newProgram(t, target)
	monitor := p.control("VEN-02", `,"frequency":"annual"`)
	outside := p.control("OUT-01", "")
	p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC9.2"}]}`, monitor), 200, nil)
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"SOC 2","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-12-31"}`, 201, &e)
	eng := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
	var org struct {
		Org struct{ ID int64 } `json:"subservice_org"`
	}
	p.call(p.admin, "POST", eng+"/subservice-orgs", fmt.Sprintf(`{"name":"Stratus Cloud","method":"carve-out","monitoring_control_id":%d,
		"csocs":[{"text":"Data centre access is restricted","requirements":["soc2-tsc-2017/CC6.4"]}]}`, monitor), 201, &org)
	reviews := fmt.Sprintf("%s/subservice-orgs/%d/reviews", eng, org.Org.ID)
	state := func() (string, *int64) {
		t.Helper()
		var s standingOut
		p.call(p.admin, "GET", eng+"/complementary", "", 200, &s)
		if len(s.Orgs) != 1 {
			t.Fatalf("organisations: %+v", s.Orgs)
		}
		if s.Orgs[0].Latest == nil {
			return s.Orgs[0].ReviewState, nil
		}
		return s.Orgs[0].ReviewState, &s.Orgs[0].Latest.ID
	}
	if st, latest := state(); st != "review_due" || latest != nil {
		t.Fatalf("without a review: %s %v", st, latest)
	}

	good := fmt.Sprintf(`{"report":"soc2","report_type":"type2","period_start":"2025-07-01","period_end":"2026-06-30","vendor_auditor":"Audit & Co",
		"opinion":"unmodified","exceptions_noted":"None","reviewed_on":"2026-08-10","cuecs":[{"text":"Customers manage their console users","control_id":%d}]}`, monitor)
	for _, bad := range []struct{ body, field string }{
		{`{"report":"soc3","report_type":"type2","period_start":"2025-07-01","period_end":"2026-06-30","opinion":"unmodified","reviewed_on":"2026-08-10"}`, "report"},
		{`{"report":"soc2","report_type":"type2","period_start":"2025-07-01","period_end":"2026-06-30","opinion":"fine","reviewed_on":"2026-08-10"}`, "opinion"},
		{`{"report":"soc2","report_type":"type2","period_end":"2026-06-30","opinion":"unmodified","reviewed_on":"2026-08-10"}`, "period_start"},
		{`{"report":"soc2","report_type":"type1","period_end":"2026-06-30","opinion":"unmodified"}`, "reviewed_on"},
		{fmt.Sprintf(`{"report":"soc2","report_type":"type1","period_end":"2026-06-30","opinion":"unmodified","reviewed_on":"2026-08-10","cuecs":[{"text":"x","control_id":%d}]}`, outside), "cuecs[0]"},
		{`{"report":"soc2","report_type":"type1","period_end":"2026-06-30","opinion":"unmodified","reviewed_on":"2026-08-10","bridge_letter_evidence_id":999}`, "bridge_letter_evidence_id"},
	} {
		w := send(p.h, "POST", reviews, bad.body, p.admin.headers())
		var out apiError
		jsonDecode(t, w.Body.Bytes(), &out)
		if w.Code != 400 || out.Error.Fields[bad.field] == "" {
			t.Errorf("POST %s: %d %s, want a 400 naming %s", bad.body, w.Code, w.Body, bad.field)
		}
	}
	p.call(p.admin, "POST", fmt.Sprintf("%s/subservice-orgs/%d/reviews", eng, org.Org.ID+50), good, 404, nil)
	if st, _ := state(); st != "review_due" {
		t.Fatalf("a refused review was kept: %s", st)
	}

	var r reviewOut
	p.call(p.admin, "POST", reviews, good, 201, &r)
	if r.Review.Opinion != "unmodified" || r.Review.ReviewedBy == nil || len(r.Review.CUECs) != 1 || *r.Review.CUECs[0].ControlID != monitor {
		t.Fatalf("recorded: %+v", r.Review)
	}
	// The vendor's period ends six months before ours, without a bridge letter.
	if st, latest := state(); st != "gap_without_bridge_letter" || latest == nil || *latest != r.Review.ID {
		t.Fatalf("after the review: %s %v", st, latest)
	}
	one := fmt.Sprintf("%s/%d", reviews, r.Review.ID)
	bridge := fileEvidence(t, p, monitor, "bridge.pdf", "bridge letter")
	stale := p.admin.headers()
	stale.Set("If-Match", `"7"`)
	if w := send(p.h, "PATCH", one, fmt.Sprintf(`{"bridge_letter_evidence_id":%d}`, bridge), stale); w.Code != 412 {
		t.Fatalf("a stale change: %d %s", w.Code, w.Body)
	}
	fresh := p.admin.headers()
	fresh.Set("If-Match", fmt.Sprintf(`"%d"`, r.Review.Version))
	if w := send(p.h, "PATCH", one, fmt.Sprintf(`{"bridge_letter_evidence_id":%d}`, bridge), fresh); w.Code != 200 {
		t.Fatalf("adding the bridge letter: %d %s", w.Code, w.Body)
	}
	if st, _ := state(); st != "current" {
		t.Fatalf("with a bridge letter: %s", st)
	}
	w := send(p.h, "GET", one, "", p.admin.headers())
	jsonDecode(t, w.Body.Bytes(), &r)
	if w.Code != 200 || w.Header().Get("ETag") != `"2"` || r.Review.Bridge == nil || *r.Review.Bridge != bridge || len(r.Review.CUECs) != 1 {
		t.Fatalf("GET the review: %d %s %s", w.Code, w.Header().Get("ETag"), w.Body)
	}
	var list struct {
		Reviews []struct{ ID int64 } `json:"reviews"`
	}
	p.call(p.admin, "GET", reviews, "", 200, &list)
	if len(list.Reviews) != 1 {
		t.Fatalf("reviews: %+v", list)
	}

	var next engagementOut
	p.call(p.admin, "POST", eng+"/roll-forward", `{}`, 201, &next)
	var carried standingOut
	p.call(p.admin, "GET", fmt.Sprintf("/api/v1/engagements/%d/complementary", next.Engagement.ID), "", 200, &carried)
	if len(carried.Orgs) != 1 || carried.Orgs[0].ReviewState != "review_due" || !carried.Orgs[0].ReviewDue || carried.Orgs[0].Latest != nil {
		t.Errorf("the next period's organisation: %+v", carried.Orgs)
	}

	p.call(p.admin, "DELETE", one, "", 204, nil)
	p.call(p.admin, "DELETE", one, "", 404, nil)
	if st, _ := state(); st != "review_due" {
		t.Fatalf("after the delete: %s", st)
	}
	for _, action := range []string{"engagement.subservice_review_add", "engagement.subservice_review_update", "engagement.subservice_review_remove"} {
		var n int64
		storetest.Must(t, p.db.R.Table("audit_log").Where("action = ?", action).Count(&n))
		if n != 1 {
			t.Errorf("%s: %d audit entries", action, n)
		}
	}
}
