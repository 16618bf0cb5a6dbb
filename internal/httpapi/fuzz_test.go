package httpapi_test

import (
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// jsonEndpoints take JSON bodies; the fuzzer picks one by index.
var jsonEndpoints = []struct{ method, path string }{
	{"POST", "/api/v1/controls"},
	{"PATCH", "/api/v1/controls/1"},
	{"POST", "/api/v1/mappings"},
	{"PUT", "/api/v1/applicability"},
	{"POST", "/api/v1/evidence"},
	{"PATCH", "/api/v1/evidence/1"},
	{"POST", "/api/v1/engagements"},
	{"PATCH", "/api/v1/engagements/1"},
	{"PUT", "/api/v1/engagements/1/controls/1/result"},
	{"POST", "/api/v1/engagements/1/controls/1/samples"},
	{"POST", "/api/v1/tasks"},
	{"POST", "/api/v1/tasks/1/not-applicable"},
	{"POST", "/api/v1/users"},
	{"POST", "/api/v1/tokens"},
	{"POST", "/api/v1/scoping"},
	{"POST", "/api/v1/ingest"},
	{"POST", "/api/v1/ingest/rules"},
	{"PATCH", "/api/v1/ingest/sources/1"},
	{"POST", "/api/v1/soc1-objectives"},
	{"PATCH", "/api/v1/soc1-objectives/CO-01"},
	{"POST", "/api/v1/soc1-objectives/adopt"},
	{"POST", "/api/v1/soc1-objectives/CO-01/controls"},
}

// FuzzJSONBodies sends arbitrary bodies to every JSON endpoint as an
// administrator: the answer may be any 2xx or 4xx, never a 5xx.
func FuzzJSONBodies(f *testing.F) {
	seeds := []string{`{}`, `[]`, `null`, `{"ref":"AC-1","title":"x","frequency":"monthly","nature":"manual","type":"detective"}`,
		`{"add":[{"control_id":1,"requirement":"soc2-tsc-2017/CC6.1"}]}`, `{"name":"x","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2025-01-01"}`,
		`{"title":"x","owner_id":9223372036854775807,"due_on":"2026-02-30"}`, `{"kind":"link","url":"javascript:alert(1)","title":"x","control_ids":[1]}`,
		`{"design_result":"suitably_designed","exceptions_found":-1,"tested_count":1e400}`, `{"seed":18446744073709551615,"size":-5}`,
		"{\"reason\":\"\u0000\"}", `{"results":[{"check_id":"a","status":"fail","criteria":["cc_6_1"]}]}`, `[{"class_uid":2004}]`,
		`{"pattern":"*","control":"AC-1"}`, `{"interval_hours":-1,"owner_id":0}`, `{"email":"a@b","role":"god"}`, `{"title":` + `"` + string(make([]byte, 300)) + `"}`, `{"a":{"b":{"c":[[[[]]]]}}}`}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Add(uint8(len(jsonEndpoints)-2), []byte(`{"objectives":[{"template_ref":"ITGC-LA","ref":"CO-01"},{"template_ref":"ITGC-LA.01"}]}`))
	f.Add(uint8(len(jsonEndpoints)-1), []byte(`{"activities":[{"ref":"ITGC-LA.01","control_ref":"CO-01.1"}]}`))
	p := newProgram(f, storetest.Targets(f)[0])
	p.control("AC-1", "")
	p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"E","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, nil)
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		e := jsonEndpoints[int(which)%len(jsonEndpoints)]
		w := send(p.h, e.method, e.path, string(body), p.admin.headers())
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", e.method, e.path, body, w.Code, w.Body)
		}
	})
}
