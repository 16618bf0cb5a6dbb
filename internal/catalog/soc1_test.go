package catalog_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/catalog"
)

// The industries a SOC 1 is commonly written for, each with templates of
// its own.
var soc1Industries = []string{"payroll", "retirement_recordkeeping", "custody_trust", "fund_administration",
	"investment_management", "payment_processing", "benefits_administration", "claims", "medical_billing",
	"loan_servicing", "revenue_billing", "hosting_colocation"}

// The cross-industry objectives every business-process set states, itself
// or through the industry's own wording of it.
var crossIndustry = []string{"BP-CLI-01", "BP-INP-01", "BP-OUT-01"}

func soc1Catalog(t *testing.T) (*catalog.Catalog, map[string]catalog.RequirementSpec) {
	t.Helper()
	soc1 := embedded(t)["soc1"]
	if soc1 == nil {
		t.Fatal("no SOC 1 catalog embedded")
	}
	byRef := map[string]catalog.RequirementSpec{}
	for _, r := range soc1.Requirements {
		byRef[r.Ref] = r
	}
	return soc1, byRef
}

func TestSOC1TemplatesAreObjectivesInOurWords(t *testing.T) {
	soc1, _ := soc1Catalog(t)
	ids, texts := map[string]bool{}, map[string]string{}
	claim := func(ref string) {
		if ids[ref] {
			t.Errorf("%s: ID used twice", ref)
		}
		ids[ref] = true
	}
	for _, r := range soc1.Requirements {
		claim(r.Ref)
		if !strings.HasPrefix(r.Description, "Controls provide reasonable assurance that ") || !strings.HasSuffix(r.Description, ".") {
			t.Errorf("%s: not one sentence phrased \"Controls provide reasonable assurance that …\": %q", r.Ref, r.Description)
		}
		if other, dup := texts[r.Description]; dup {
			t.Errorf("%s states the same objective as %s", r.Ref, other)
		}
		texts[r.Description] = r.Ref
		if r.Industry == "" || r.Series == "" || r.Category == "" {
			t.Errorf("%s: needs a kind, a domain and an industry: %+v", r.Ref, r)
		}
		for _, a := range r.Activities {
			claim(a.Ref)
			if !strings.HasPrefix(a.Ref, r.Ref+".") {
				t.Errorf("activity %s is not numbered beneath %s", a.Ref, r.Ref)
			}
			if strings.HasPrefix(a.Description, "Controls provide") || a.Frequency == "" || a.Nature == "" || a.Type == "" {
				t.Errorf("activity %s: should describe a control with its frequency, nature and type: %+v", a.Ref, a)
			}
		}
		// socmap writes British English throughout; American spellings
		// would be a sign of text copied from elsewhere.
		for _, text := range []string{r.Title, r.Description} {
			if strings.Contains(strings.ToLower(text), "authoriz") {
				t.Errorf("%s: American spelling in %q", r.Ref, text)
			}
		}
	}
}

func TestSOC1ITGCAreDomainLevel(t *testing.T) {
	soc1, byRef := soc1Catalog(t)
	var shared []string
	domains := map[string]string{}
	for _, r := range soc1.Requirements {
		if r.Category != catalog.ITGC || r.Industry != catalog.AllIndustries {
			continue
		}
		shared = append(shared, r.Ref)
		if other, dup := domains[r.Series]; dup {
			t.Errorf("%s and %s are both objectives for the domain %q: state one per domain", r.Ref, other, r.Series)
		}
		domains[r.Series] = r.Ref
		if len(r.Activities) < 3 {
			t.Errorf("%s: %d suggested control activities, want the granular ones beneath the domain", r.Ref, len(r.Activities))
		}
	}
	if n := len(shared); n < 5 || n > 8 {
		t.Errorf("%d ITGC objectives for every industry (%v), want one per domain, 5 to 8", n, shared)
	}
	for _, d := range []string{"Logical access", "Program change", "Program development", "Computer operations",
		"Physical and environmental security", "Data transmission", "Backup and recovery"} {
		if domains[d] == "" {
			t.Errorf("no ITGC objective for the domain %q", d)
		}
	}
	for _, ind := range soc1.Industries {
		seen := map[string]bool{}
		var itgc int
		for _, ref := range soc1.IndustryTemplates(ind) {
			r := byRef[ref]
			if r.Category != catalog.ITGC {
				continue
			}
			itgc++
			if seen[r.Series] {
				t.Errorf("%s: two ITGC objectives for %q", ind.Code, r.Series)
			}
			seen[r.Series] = true
		}
		if itgc < 5 || itgc > 8 {
			t.Errorf("%s: %d ITGC objectives, want 5 to 8", ind.Code, itgc)
		}
	}
}

func TestSOC1EntityLevelIsOptional(t *testing.T) {
	soc1, _ := soc1Catalog(t)
	var entity []string
	for _, r := range soc1.Requirements {
		if r.Optional != (r.Category == "entity") {
			t.Errorf("%s: optional is %v; entity-level templates, and only they, are optional", r.Ref, r.Optional)
		}
		if r.Category == "entity" {
			entity = append(entity, r.Ref)
			if r.Series != "Organisation and administration" {
				t.Errorf("%s: entity-level objective %q, want organisation and administration", r.Ref, r.Series)
			}
		}
	}
	if len(entity) != 1 {
		t.Errorf("entity-level templates %v, want at most one (organisation and administration)", entity)
	}
}

func TestSOC1EveryIndustryHasItsSet(t *testing.T) {
	soc1, byRef := soc1Catalog(t)
	sets := map[string][]string{}
	for _, ind := range soc1.Industries {
		sets[ind.Code] = soc1.IndustryTemplates(ind)
		if len(ind.Services) == 0 {
			t.Errorf("%s: no scoping answer points to it", ind.Code)
		}
	}
	own := map[string]int{}
	for _, r := range soc1.Requirements {
		own[r.Industry]++
	}
	for _, code := range soc1Industries {
		set, ok := sets[code]
		if !ok {
			t.Errorf("no industry %s", code)
			continue
		}
		if code == "hosting_colocation" {
			continue // below
		}
		if own[code] < 4 {
			t.Errorf("%s: %d templates of its own, want its processing stated in its own terms", code, own[code])
		}
		for _, x := range crossIndustry {
			if !slices.ContainsFunc(set, func(ref string) bool { return ref == x || byRef[ref].Specialises == x }) {
				t.Errorf("%s: states neither %s nor its own form of it", code, x)
			}
		}
	}
	if len(sets) != len(soc1Industries) {
		t.Errorf("industries %v, want exactly %v", sets, soc1Industries)
	}
	var environmental bool
	for _, ref := range sets["hosting_colocation"] {
		if byRef[ref].Category != catalog.ITGC {
			t.Errorf("hosting and colocation is ITGC only, but states %s", ref)
		}
		environmental = environmental || strings.Contains(byRef[ref].Series, "Environmental")
	}
	if !environmental {
		t.Error("hosting and colocation states no environmental objective of its own")
	}
}

func TestSOC1PayrollSeparatesDisbursementFromTax(t *testing.T) {
	soc1, byRef := soc1Catalog(t)
	var domains []string
	for _, ind := range soc1.Industries {
		if ind.Code == "payroll" {
			for _, ref := range soc1.IndustryTemplates(ind) {
				domains = append(domains, byRef[ref].Series)
			}
		}
	}
	for _, d := range []string{"Payroll release", "Net pay disbursement", "Tax remittance and filing", "Year-end tax forms",
		"Employee master data", "Payroll calculation"} {
		if !slices.Contains(domains, d) {
			t.Errorf("the payroll set has no %q objective (domains %v)", d, domains)
		}
	}
	if !strings.Contains(byRef["BP-PAY-06"].Description, "approved") || !strings.Contains(byRef["BP-PAY-06"].Description, "funds") {
		t.Errorf("release objective does not name approval and funding: %q", byRef["BP-PAY-06"].Description)
	}
}

// A template an organisation adopted stays findable: each ref of the first
// catalog is still a template or is named by the one that replaced it.
func TestSOC1RetiredTemplatesHaveSuccessors(t *testing.T) {
	_, byRef := soc1Catalog(t)
	data, err := os.ReadFile("testdata/soc1-objectives-v1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v1, err := catalog.Parse("soc1-objectives-v1.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	replaced := map[string]bool{}
	for _, r := range byRef {
		for _, old := range r.Replaces {
			replaced[old] = true
		}
	}
	for _, r := range v1.Requirements {
		if _, current := byRef[r.Ref]; !current && !replaced[r.Ref] {
			t.Errorf("%s left the catalog without a successor", r.Ref)
		}
	}
}
