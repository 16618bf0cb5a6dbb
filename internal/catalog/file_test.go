package catalog_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/catalog"
)

// SOC 2 counts per series, from the 2017 Trust Services Criteria.
var soc2SeriesCounts = map[string]int{
	"CC1": 5, "CC2": 3, "CC3": 4, "CC4": 2, "CC5": 3, "CC6": 8, "CC7": 5, "CC8": 1, "CC9": 2,
	"A1": 3, "C1": 2, "PI1": 5,
	"P1": 1, "P2": 1, "P3": 2, "P4": 3, "P5": 2, "P6": 7, "P7": 1, "P8": 1,
}

var soc2CategoryCounts = map[string]int{
	"security": 33, "availability": 3, "confidentiality": 2, "processing_integrity": 5, "privacy": 18,
}

// COSO 2013 principle behind each of the 17 COSO-derived criteria.
var cosoPrinciple = map[string]int{
	"CC1.1": 1, "CC1.2": 2, "CC1.3": 3, "CC1.4": 4, "CC1.5": 5,
	"CC2.1": 13, "CC2.2": 14, "CC2.3": 15,
	"CC3.1": 6, "CC3.2": 7, "CC3.3": 8, "CC3.4": 9,
	"CC4.1": 16, "CC4.2": 17,
	"CC5.1": 10, "CC5.2": 11, "CC5.3": 12,
}

func embedded(t *testing.T) map[string]*catalog.Catalog {
	t.Helper()
	cats, err := catalog.Embedded()
	if err != nil {
		t.Fatalf("embedded catalogs are invalid: %v", err)
	}
	byKind := map[string]*catalog.Catalog{}
	for _, c := range cats {
		byKind[c.Framework.Kind] = c
	}
	return byKind
}

func TestSOC2Catalog(t *testing.T) {
	soc2 := embedded(t)["soc2"]
	if soc2 == nil {
		t.Fatal("no SOC 2 catalog embedded")
	}
	if n := len(soc2.Requirements); n != 61 {
		t.Errorf("SOC 2 has %d criteria, want 61", n)
	}
	series, categories := map[string]int{}, map[string]int{}
	for _, r := range soc2.Requirements {
		series[r.Series]++
		categories[r.Category]++
		if !strings.HasPrefix(r.Ref, r.Series+".") {
			t.Errorf("%s: series %q does not match its ref", r.Ref, r.Series)
		}
		if strings.HasSuffix(r.Ref, ".0") {
			t.Errorf("%s: the privacy headings P1.0…P8.0 are not criteria", r.Ref)
		}
		want, isCOSO := cosoPrinciple[r.Ref]
		switch {
		case isCOSO && (r.COSOPrinciple == nil || *r.COSOPrinciple != want):
			t.Errorf("%s: COSO principle %v, want %d", r.Ref, r.COSOPrinciple, want)
		case !isCOSO && r.COSOPrinciple != nil:
			t.Errorf("%s: has COSO principle %d, want none", r.Ref, *r.COSOPrinciple)
		}
		if r.SeriesName == "" {
			t.Errorf("%s: no series name", r.Ref)
		}
	}
	for s, want := range soc2SeriesCounts {
		if series[s] != want {
			t.Errorf("series %s has %d criteria, want %d", s, series[s], want)
		}
	}
	if len(series) != len(soc2SeriesCounts) {
		t.Errorf("series present: %v, want exactly %v", series, soc2SeriesCounts)
	}
	for c, want := range soc2CategoryCounts {
		if categories[c] != want {
			t.Errorf("category %s has %d criteria, want %d", c, categories[c], want)
		}
	}
}

const validCatalog = `
framework: {id: test-fw, name: Test, kind: soc2, version: "1"}
categories:
  - {code: security, name: Security}
requirements:
  - {ref: T1.1, category: security, series: T1, title: One, description: First.}
  - {ref: T1.2, category: security, series: T1, title: Two, description: Second.}
`

func TestParseRefusesBrokenCatalogs(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // each must appear in the error
	}{
		{"duplicate ref", strings.Replace(validCatalog, "ref: T1.2", "ref: T1.1", 1),
			[]string{"bad.yaml", `requirement "T1.1" (#2)`, "duplicate ref"}},
		{"unknown category", strings.Replace(validCatalog, "category: security, series: T1, title: Two", "category: privacy, series: T1, title: Two", 1),
			[]string{"bad.yaml", `requirement "T1.2" (#2)`, `unknown category "privacy"`}},
		{"missing title", strings.Replace(validCatalog, "title: One, ", "", 1),
			[]string{"bad.yaml", `requirement "T1.1" (#1)`, "missing title"}},
		{"unknown key", strings.Replace(validCatalog, "title: One", "titel: One", 1),
			[]string{"bad.yaml", "field titel not found"}},
		{"bad kind", strings.Replace(validCatalog, "kind: soc2", "kind: iso", 1),
			[]string{"bad.yaml", "framework", `kind "iso"`}},
		{"coso out of range", strings.Replace(validCatalog, "title: One", "coso_principle: 18, title: One", 1),
			[]string{`requirement "T1.1" (#1)`, "coso_principle 18"}},
		{"empty file", "", []string{"bad.yaml", "empty"}},
		{"not yaml", "framework: [", []string{"bad.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.Parse("bad.yaml", []byte(tt.yaml))
			var inv *catalog.InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("err = %v, want an InvalidError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if _, err := catalog.Parse("good.yaml", []byte(validCatalog)); err != nil {
		t.Fatalf("the valid base catalog is refused: %v", err)
	}
}

func TestParseAllRefusesDuplicateFrameworks(t *testing.T) {
	files := map[string][]byte{"a.yaml": []byte(validCatalog), "b.yaml": []byte(validCatalog)}
	_, err := catalog.ParseAll(files, []string{"a.yaml", "b.yaml"})
	if err == nil || !strings.Contains(err.Error(), `b.yaml: framework: id "test-fw" is already used by a.yaml`) {
		t.Fatalf("err = %v", err)
	}
}

const validSOC1Catalog = `
framework: {id: test-soc1, name: Test SOC 1, kind: soc1, version: "1"}
categories:
  - {code: itgc, name: ITGC}
  - {code: business, name: Business}
industries:
  - {code: pay, name: Payroll, services: [payroll], objectives: [P-1]}
  - {code: host, name: Hosting, itgc: [H-1]}
requirements:
  - ref: LA
    category: itgc
    series: Logical access
    industry: all
    replaces: [LA-01]
    title: Logical access
    description: Controls provide reasonable assurance that access is restricted.
    activities:
      - {ref: LA.01, title: Review, description: Quarterly review., frequency: quarterly, nature: manual, type: detective}
  - {ref: H-1, category: itgc, series: Physical, industry: host, title: Physical, description: Controls provide.}
  - {ref: IN-1, category: business, series: Input, industry: all, title: Input, description: Controls provide.}
  - {ref: P-1, category: business, series: Pay, industry: pay, specialises: IN-1, title: Pay, description: Controls provide.}
`

func TestParseRefusesBrokenSOC1Catalogs(t *testing.T) {
	good, err := catalog.Parse("good.yaml", []byte(validSOC1Catalog))
	if err != nil {
		t.Fatalf("the valid base catalog is refused: %v", err)
	}
	if got := good.IndustryTemplates(good.Industries[0]); !slices.Equal(got, []string{"P-1", "LA"}) {
		t.Errorf("payroll's set %v: its objectives, then the ITGC for every industry", got)
	}
	tests := []struct{ name, from, to, want string }{
		{"unknown industry", "industry: pay, specialises", "industry: tax, specialises", `unknown industry "tax"`},
		{"missing industry", "industry: all\n    replaces", "replaces", "missing industry"},
		{"activity ref taken", "ref: LA.01", "ref: P-1", `requirement "P-1" (#4): duplicate ref`},
		{"activity frequency", "frequency: quarterly", "frequency: hourly", `frequency "hourly" is not one of`},
		{"activity without text", "description: Quarterly review.", "description: ''", "missing description"},
		{"replaces a current ref", "replaces: [LA-01]", "replaces: [P-1]", `replaces "P-1", which must be a retired ref`},
		{"specialises an industry's own", "specialises: IN-1", "specialises: H-1", `specialises "H-1"`},
		{"industry lists a missing template", "objectives: [P-1]", "objectives: [P-1, P-9]", `no template "P-9"`},
		{"industry lists ITGC as business", "objectives: [P-1]", "objectives: [P-1, LA]", `objectives: "LA" is in category "itgc"`},
		{"industry lists twice", "objectives: [P-1]", "objectives: [P-1, P-1]", "listed twice"},
		{"template outside its industry", "objectives: [P-1]", "objectives: [IN-1]", `"P-1" (#4): is written for pay but not part of its objectives`},
		{"duplicate industry", "code: host", "code: pay", "duplicate industry code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(validSOC1Catalog, tt.from, tt.to, 1)
			if text == validSOC1Catalog {
				t.Fatalf("the case changes nothing: %q not found", tt.from)
			}
			_, err := catalog.Parse("bad.yaml", []byte(text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
