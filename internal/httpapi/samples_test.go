package httpapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

func uploadPopulation(p *program, path, name, content string) *httptest.ResponseRecorder {
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	mw.WriteField("source", "Jira change tickets")
	mw.WriteField("query", "project = CHG AND created >= 2026-01-01")
	part, _ := mw.CreateFormFile("file", name)
	part.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest("POST", path, body)
	req.Header = p.admin.headers()
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := serve(p.h, req)
	return w
}

type workOut struct {
	Population *struct {
		ItemCount int    `json:"item_count"`
		Source    string `json:"source"`
	} `json:"population"`
	Samples []struct {
		ID    int64  `json:"id"`
		Seed  string `json:"seed"`
		Size  int    `json:"size"`
		Items []struct {
			Seq       int               `json:"seq"`
			ItemID    string            `json:"item_id"`
			Results   map[string]string `json:"results"`
			Exception bool              `json:"exception"`
			Evidence  []int64           `json:"evidence_ids"`
		} `json:"items"`
	} `json:"samples"`
}

func TestPopulationsAndSamples(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			cm := p.control("CM-01", `,"frequency":"event-driven"`)
			small := p.control("HR-01", `,"frequency":"event-driven"`)
			p.call(p.admin, "POST", "/api/v1/mappings", fmt.Sprintf(`{"add":[{"control_id":%d,"requirement":"soc2-tsc-2017/CC8.1"},{"control_id":%d,"requirement":"soc2-tsc-2017/CC1.4"}]}`, cm, small), 200, nil)
			var e engagementOut
			p.call(p.admin, "POST", "/api/v1/engagements", `{"name":"E","report":"soc2","type":"type2","period_start":"2026-01-01","period_end":"2026-06-30"}`, 201, &e)
			base := fmt.Sprintf("/api/v1/engagements/%d", e.Engagement.ID)

			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, cm), `{"attributes":["approved"]}`, 400, nil)
			var csv strings.Builder
			csv.WriteString("item id,date,description\n")
			for i := 1; i <= 40; i++ {
				fmt.Fprintf(&csv, "CHG-%d,2026-0%d-1%d,change %d\n", i, 1+i%6, i%10, i)
			}
			if w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, cm), "changes.csv", csv.String()); w.Code != 201 {
				t.Fatalf("population: %d %s", w.Code, w.Body)
			}
			w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, cm), "bad.csv", "item id,date\nA,yesterday\nA,2026-01-01\n")
			if w.Code != 400 || !strings.Contains(w.Body.String(), "row 2, column B") || !strings.Contains(w.Body.String(), "row 3, column A") {
				t.Errorf("bad population: %d %s", w.Code, w.Body)
			}

			// The same seed draws the same items; the size follows the table (40 items -> 5).
			var s1, s2 struct {
				Sample struct {
					ID   int64  `json:"id"`
					Seed string `json:"seed"`
					Size int    `json:"size"`
				} `json:"sample"`
			}
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, cm), `{"seed":20260115,"attributes":["approved before deployment","tested"]}`, 201, &s1)
			if s1.Sample.Size != 5 || s1.Sample.Seed != "20260115" {
				t.Errorf("sample: %+v", s1.Sample)
			}
			// A population is sampled once; more items come from an extension.
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, cm), `{"seed":20260115,"attributes":["x"]}`, 400, nil)
			var work workOut
			p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &work)
			if work.Population == nil || work.Population.ItemCount != 40 || len(work.Samples) != 1 || len(work.Samples[0].Items) != 5 {
				t.Fatalf("work: %+v", work)
			}
			ids := func(i int) string {
				var out []string
				for _, it := range work.Samples[i].Items {
					out = append(out, it.ItemID)
				}
				return strings.Join(out, ",")
			}
			first := ids(0)

			// Per-item results: a failed attribute makes the item an exception.
			smp := s1.Sample.ID
			seq := work.Samples[0].Items[0].Seq
			item := fmt.Sprintf("%s/samples/%d/items/%d", base, smp, seq)
			p.call(p.admin, "PUT", item, `{"results":{"approved before deployment":"fail","tested":"pass"},"notes":"approved a day late"}`, 204, nil)
			p.call(p.admin, "PUT", item, `{"results":{"approved before deployment":"maybe"}}`, 400, nil)
			p.call(p.admin, "PUT", item, `{"results":{"colour":"pass"}}`, 400, nil)
			p.call(p.admin, "PUT", item, `{"results":{"tested":"pass"},"tested_on":"2999-01-01"}`, 400, nil)
			p.call(p.admin, "PUT", fmt.Sprintf("%s/samples/%d/items/%d", base, smp, 9999), `{"results":{}}`, 404, nil)
			p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &work)
			if it := work.Samples[0].Items[0]; !it.Exception || it.Results["tested"] != "pass" {
				t.Errorf("recorded item: %+v", it)
			}

			// The same seed draws the same items from the same population, uploaded again.
			if w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, cm), "changes.csv", csv.String()); w.Code != 201 {
				t.Fatalf("population again: %d %s", w.Code, w.Body)
			}
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, cm), `{"seed":20260115,"attributes":["approved before deployment"]}`, 201, &s2)
			p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, cm), "", 200, &work)
			if len(work.Samples) != 1 || ids(0) != first {
				t.Errorf("same seed, different samples: %s vs %s", ids(0), first)
			}
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/population", base, cm), "", 400, nil)

			// A population of 4 is tested in full.
			if w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, small), "hires.csv", "id\nH1\nH2\nH3\nH4\n"); w.Code != 201 {
				t.Fatal(w.Body)
			}
			p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, small), `{"attributes":["background check"]}`, 201, &s1)
			if s1.Sample.Size != 4 {
				t.Errorf("population of 4: sample %d, want all 4", s1.Sample.Size)
			}
		})
	}
}

// testedSample uploads a population of n items dated from the first of
// the period's month, draws the sample the policy requires with one
// attribute, and records every sampled item, the first fails of them
// failing it. It returns the sample's ID and the sampled items' seqs.
func (p *program) testedSample(base string, control int64, n int, month string, fails int) (int64, []int) {
	p.t.Helper()
	var csv strings.Builder
	csv.WriteString("item id,date\n")
	for i := range n {
		fmt.Fprintf(&csv, "IT-%d-%d,%s-%02d\n", control, i+1, month, 1+i%28)
	}
	if w := uploadPopulation(p, fmt.Sprintf("%s/controls/%d/population", base, control), "items.csv", csv.String()); w.Code != 201 {
		p.t.Fatalf("population: %d %s", w.Code, w.Body)
	}
	var s struct {
		Sample struct {
			ID int64 `json:"id"`
		} `json:"sample"`
	}
	p.call(p.admin, "POST", fmt.Sprintf("%s/controls/%d/samples", base, control), `{"seed":7,"attributes":["performed"]}`, 201, &s)
	var work workOut
	p.call(p.admin, "GET", fmt.Sprintf("%s/controls/%d/work", base, control), "", 200, &work)
	var seqs []int
	for _, smp := range work.Samples {
		if smp.ID != s.Sample.ID {
			continue
		}
		for i, it := range smp.Items {
			outcome := "pass"
			if i < fails {
				outcome = "fail"
			}
			p.call(p.admin, "PUT", fmt.Sprintf("%s/samples/%d/items/%d", base, s.Sample.ID, it.Seq),
				fmt.Sprintf(`{"results":{"performed":%q}}`, outcome), 204, nil)
			seqs = append(seqs, it.Seq)
		}
	}
	return s.Sample.ID, seqs
}
