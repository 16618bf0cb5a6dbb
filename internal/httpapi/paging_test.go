package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

type pageOut struct {
	Engagements []struct {
		Name string `json:"name"`
	} `json:"engagements"`
	Requests []struct {
		Ref string `json:"ref"`
	} `json:"requests"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func (o pageOut) names() string {
	var out []string
	for _, e := range o.Engagements {
		out = append(out, e.Name)
	}
	for _, r := range o.Requests {
		out = append(out, r.Ref)
	}
	return strings.Join(out, ",")
}

// The engagements list is paged on the server, the newest first, with
// the total of what the filter selects; an auditor's total counts only
// the engagements granted.
func TestEngagementsListPages(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) { engagementsListPages(t, newProgram(t, target)) })
	}
}

func engagementsListPages(t *testing.T, p *program) {
	auditor := signIn(t, p.svc, "auditor")
	var e engagementOut
	for _, name := range []string{"Granted", "Other"} {
		p.call(p.admin, "POST", "/api/v1/engagements", fmt.Sprintf(`{"name":%q,"report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, name), 201, &e)
		if name == "Granted" {
			p.call(p.admin, "PUT", fmt.Sprintf("/api/v1/engagements/%d/auditors", e.Engagement.ID), `{"auditors":["auditor@example.com"]}`, 200, nil)
		}
	}
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"FY27 readiness","report":"soc2","type":"type1","as_of":"2027-06-30"}`, 201, nil)
	for _, tc := range []struct {
		query, names         string
		total, limit, offset int
	}{
		{"", "FY27 readiness,Other,Granted", 3, 100, 0},
		{"?limit=2", "FY27 readiness,Other", 3, 2, 0},
		{"?limit=2&offset=2", "Granted", 3, 2, 2},
		{"?offset=5", "", 3, 100, 5},
		{"?q=GRANT", "Granted", 1, 100, 0},
		{"?q=%25", "", 0, 100, 0},
		{"?status=planning&limit=1", "FY27 readiness", 3, 1, 0},
		{"?status=closed", "", 0, 100, 0},
	} {
		var out pageOut
		p.call(p.admin, "GET", "/api/v1/engagements"+tc.query, "", 200, &out)
		if out.names() != tc.names || out.Total != tc.total || out.Limit != tc.limit || out.Offset != tc.offset {
			t.Errorf("%q: %q total %d limit %d offset %d, want %q %d %d %d", tc.query, out.names(), out.Total, out.Limit, out.Offset,
				tc.names, tc.total, tc.limit, tc.offset)
		}
	}
	var granted pageOut
	p.call(auditor, "GET", "/api/v1/engagements?limit=1", "", 200, &granted)
	if granted.names() != "Granted" || granted.Total != 1 {
		t.Errorf("auditor sees %q of %d, want Granted of 1", granted.names(), granted.Total)
	}
	for _, bad := range []string{"limit=0", "limit=501", "limit=ten", "offset=-1", "status=open", "page=2"} {
		p.call(p.admin, "GET", "/api/v1/engagements?"+bad, "", 400, nil)
	}
}

// An engagement's requests are paged on the server with their filters,
// and the total counts what the filters select.
func TestRequestsListPages(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) { requestsListPages(t, newProgram(t, target)) })
	}
}

func requestsListPages(t *testing.T, p *program) {
	var e engagementOut
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"Paged","report":"soc2","type":"type1","as_of":"2026-06-30"}`, 201, &e)
	base := fmt.Sprintf("/api/v1/engagements/%d/requests", e.Engagement.ID)
	for i := range 5 {
		kind := "document"
		if i%2 == 1 {
			kind = "configuration"
		}
		p.call(p.admin, "POST", base, fmt.Sprintf(`{"type":%q,"description":"Item %d"}`, kind, i), 201, nil)
	}
	for _, tc := range []struct {
		query, refs          string
		total, limit, offset int
	}{
		{"", "REQ-001,REQ-002,REQ-003,REQ-004,REQ-005", 5, 100, 0},
		{"?limit=2", "REQ-001,REQ-002", 5, 2, 0},
		{"?limit=2&offset=4", "REQ-005", 5, 2, 4},
		{"?offset=9", "", 5, 100, 9},
		{"?type=configuration&limit=1&offset=1", "REQ-004", 2, 1, 1},
		{"?status=open&type=document", "REQ-001,REQ-003,REQ-005", 3, 100, 0},
		{"?status=accepted", "", 0, 100, 0},
	} {
		var out pageOut
		p.call(p.admin, "GET", base+tc.query, "", 200, &out)
		if out.names() != tc.refs || out.Total != tc.total || out.Limit != tc.limit || out.Offset != tc.offset {
			t.Errorf("%q: %q total %d limit %d offset %d, want %q %d %d %d", tc.query, out.names(), out.Total, out.Limit, out.Offset,
				tc.refs, tc.total, tc.limit, tc.offset)
		}
	}
	for _, bad := range []string{"limit=0", "limit=501", "limit=+2", "offset=-1", "offset=x", "sort=ref"} {
		p.call(p.admin, "GET", base+"?"+bad, "", 400, nil)
	}
}
