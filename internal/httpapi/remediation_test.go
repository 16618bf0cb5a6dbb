package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

type exceptionOut struct {
	Exception struct {
		ID                 int64   `json:"id"`
		RemediationDate    *string `json:"remediation_date"`
		RemediationOwnerID *int64  `json:"remediation_owner_id"`
		RemediationOwner   string  `json:"remediation_owner"`
		Version            int64   `json:"version"`
	} `json:"exception"`
}

type retestOut struct {
	Sample struct {
		ID                     int64   `json:"id"`
		Size                   int     `json:"size"`
		Purpose                string  `json:"purpose"`
		RemediationExceptionID *int64  `json:"remediation_exception_id"`
		CoversFrom             *string `json:"covers_from"`
		CoversTo               *string `json:"covers_to"`
	} `json:"sample"`
}

// An exception records its remediation (the day, who owns it), sent with
// its version; a retest samples the remediated control over the rest of
// the period, from the day after the remediation, beside the original
// sample; Section IV states the exception, its remediation and the
// retest's result.
func TestRemediationAndRetest(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			signInAs(t, p.svc, "lead@example.com", "compliance")
			signInAs(t, p.svc, "firm@example.com", "auditor")
			lead, firm := userID(t, p.db, "lead@example.com"), userID(t, p.db, "firm@example.com")
			cm := p.control("CM-01", `,"frequency":"event-driven"`)
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"}]}`, cm), 200, nil)
			var e engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"E","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
			base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)
			// 60 changes, ten a month.
			var csv strings.Builder
			csv.WriteString("item id,date,description\n")
			for i := 0; i < 60; i++ {
				fmt.Fprintf(&csv, "CHG-%02d,2026-%02d-%02d,change %d\n", i, 1+i/10, 1+2*(i%10), i)
			}
			if w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, cm), "changes.csv", csv.String()); w.Code != 201 {
				t.Fatalf("population: %d %s", w.Code, w.Body)
			}
			var original retestOut
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, cm), `{"seed":7,"attributes":["approved"]}`, 201, &original)
			if original.Sample.Purpose != "original" || original.Sample.RemediationExceptionID != nil {
				t.Errorf("a first draw: %+v", original.Sample)
			}
			var x exceptionOut
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/exceptions", base, cm), `{"description":"CHG-12 deployed before approval"}`, 201, &x)
			xp := fmt.Sprintf("%s/exceptions/%d", base, x.Exception.ID)
			retest := xp + "/retest"

			// No retest before the remediation is recorded.
			p.call(p.admin, "POST", retest, `{"attributes":["approved"]}`, 400, nil)

			patch := func(body string, version int64) *exceptionOutCode {
				h := p.admin.headers()
				h.Set("If-Match", fmt.Sprintf(`"%d"`, version))
				w := send(p.h, "PATCH", xp, body, h)
				return &exceptionOutCode{code: w.Code, body: w.Body.String()}
			}
			v := x.Exception.Version
			for name, body := range map[string]string{
				"not a date":        `{"remediation_date":"March"}`,
				"before the period": `{"remediation_date":"2025-12-31"}`,
				"an auditor owns":   fmt.Sprintf(`{"remediation_owner_id":%d}`, firm),
				"nobody":            `{"remediation_owner_id":999999}`,
			} {
				if got := patch(body, v); got.code != 400 {
					t.Errorf("%s: %d %s", name, got.code, got.body)
				}
			}
			if got := patch(`{"remediation_date":"2026-03-31"}`, v+5); got.code != 412 {
				t.Errorf("stale If-Match: %d %s", got.code, got.body)
			}
			// Remediated on the last day: there is no rest of the period to retest.
			if got := patch(`{"remediation_date":"2026-06-30"}`, v); got.code != 200 {
				t.Fatalf("remediation: %d %s", got.code, got.body)
			}
			w := send(p.h, "POST", retest, `{"attributes":["approved"]}`, p.admin.headers())
			if w.Code != 400 || !strings.Contains(w.Body.String(), "no rest of the period") {
				t.Errorf("a retest after the last day: %d %s", w.Code, w.Body)
			}
			if got := patch(fmt.Sprintf(`{"remediation_date":"2026-03-31","remediation_owner_id":%d}`, lead), v+1); got.code != 200 {
				t.Fatalf("remediation: %d %s", got.code, got.body)
			}
			p.call(p.admin, "GET", xp, "", 200, &x)
			if x.Exception.RemediationDate == nil || *x.Exception.RemediationDate != "2026-03-31" ||
				x.Exception.RemediationOwnerID == nil || *x.Exception.RemediationOwnerID != lead || x.Exception.RemediationOwner != "lead@example.com" || x.Exception.Version != v+2 {
				t.Errorf("remediation recorded: %+v", x.Exception)
			}
			var audit struct {
				Entries []struct {
					Action string `json:"action"`
				} `json:"entries"`
			}
			p.call(p.admin, "GET", "/api/v1/audit?action=engagement.exception_remediation", "", 200, &audit)
			if len(audit.Entries) != 2 {
				t.Errorf("remediation changes audited: %+v", audit.Entries)
			}

			// The retest starts the day after the remediation and ends with the period.
			var r retestOut
			p.call(p.admin, "POST", retest, `{"seed":11,"attributes":["approved"]}`, 201, &r)
			s := r.Sample
			if s.Purpose != "retest" || s.RemediationExceptionID == nil || *s.RemediationExceptionID != x.Exception.ID ||
				s.CoversFrom == nil || *s.CoversFrom != "2026-04-01" || s.CoversTo == nil || *s.CoversTo != "2026-06-30" || s.Size < 1 {
				t.Fatalf("retest: %+v", s)
			}
			var work struct {
				Samples []struct {
					ID      int64  `json:"id"`
					Purpose string `json:"purpose"`
					Items   []struct {
						Seq  int    `json:"seq"`
						Date string `json:"date"`
					} `json:"items"`
				} `json:"samples"`
				Counts struct {
					Selected int `json:"selected"`
				} `json:"counts"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &work)
			if len(work.Samples) != 2 || work.Counts.Selected != original.Sample.Size {
				t.Fatalf("both samples on record, the original's counts its own: %+v", work)
			}
			for _, smp := range work.Samples {
				if smp.ID != s.ID {
					continue
				}
				if len(smp.Items) != s.Size {
					t.Errorf("retest items: %d, want %d", len(smp.Items), s.Size)
				}
				for _, it := range smp.Items {
					if it.Date < "2026-04-01" || it.Date > "2026-06-30" {
						t.Errorf("retest item %d dated %s, outside the rest of the period", it.Seq, it.Date)
					}
					p.call(p.admin, "PUT", fmt.Sprintf("%s/samples/%d/items/%d", base, s.ID, it.Seq), `{"results":{"approved":"pass"}}`, 204, nil)
				}
			}
			// A retest is not extended, and its remediation date stays.
			p.call(p.admin, "POST", fmt.Sprintf("%s/samples/%d/extensions", base, s.ID), `{"size":1}`, 400, nil)
			if got := patch(`{"remediation_date":"2026-04-15"}`, v+2); got.code != 409 {
				t.Errorf("moving a retested remediation date: %d %s", got.code, got.body)
			}

			rows := sheetRows(t, p, base, "Section IV")
			var cmRow []string
			for _, row := range rows {
				if len(row) > 4 && row[1] == "CM-01" {
					cmRow = row
					break
				}
			}
			want := fmt.Sprintf("CHG-12 deployed before approval\nRemediated on 2026-03-31 (owner: lead@example.com).\n"+
				"Retest of 2026-04-01 to 2026-06-30: no exceptions noted (0 of %d).", s.Size)
			if cmRow == nil || !strings.HasSuffix(cmRow[4], want) {
				t.Errorf("Section IV for CM-01: %q\nwant it to end %q", cmRow, want)
			}
			if cmRow != nil && !strings.Contains(cmRow[3], fmt.Sprintf("Inspected a sample of %d of 60", original.Sample.Size)) {
				t.Errorf("the original sample's size counts the retest: %q", cmRow[3])
			}
		})
	}
}

type exceptionOutCode struct {
	code int
	body string
}
