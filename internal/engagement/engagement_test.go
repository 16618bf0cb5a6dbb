package engagement

import (
	"slices"
	"testing"

	"github.com/socmap/socmap/internal/civil"
	"github.com/socmap/socmap/internal/period"
)

// windows is the expected windows of a control of this frequency over a
// period, for sizing its sample.
func windows(t *testing.T, freq, from, to string) []period.Window {
	t.Helper()
	ws, err := period.Windows(period.Control{Frequency: freq, Nature: "manual"},
		period.Period{Start: civil.MustParse(from), End: civil.MustParse(to)}, period.NewCalendar(nil))
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestRequiredSample(t *testing.T) {
	policy := period.DefaultPolicy()
	size := func(freq, nature string, windows, population int) Sample {
		t.Helper()
		s, err := policy.Required(controlOf(freq, nature), "", windows, population)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	h1 := len(windows(t, "quarterly", "2026-01-01", "2026-06-30"))
	if s := size("quarterly", "manual", h1, period.Unknown); s.Size != 2 || !s.TestAll {
		t.Errorf("quarterly over H1 2026: %+v, want 2 (both)", s)
	}
	year := len(windows(t, "daily", "2026-01-01", "2026-12-31"))
	if s := size("daily", "manual", year, period.Unknown); s.Size != 25 || s.Population != 365 {
		t.Errorf("daily over a year: %+v, want 25 of 365", s)
	}
	if s := size("event-driven", "manual", 0, 4); s.Size != 4 || !s.TestAll {
		t.Errorf("event-driven, population 4: %+v, want all 4", s)
	}
	if s := size("daily", "automated", year, period.Unknown); s.Size != 1 {
		t.Errorf("automated: %+v, want 1", s)
	}
	if _, err := policy.Required(controlOf("event-driven", "manual"), "", 0, period.Unknown); err == nil {
		t.Error("an event-driven control without a population was sized")
	}
}

func TestSelectIsReproducible(t *testing.T) {
	a, b := Select(365, 25, 20260115), Select(365, 25, 20260115)
	if !slices.Equal(a, b) || len(a) != 25 || !slices.IsSorted(a) {
		t.Fatalf("same seed, different samples: %v %v", a, b)
	}
	if slices.Equal(a, Select(365, 25, 20260116)) {
		t.Error("another seed drew the same sample")
	}
	seen := map[int]bool{}
	for _, i := range a {
		if i < 0 || i >= 365 || seen[i] {
			t.Fatalf("bad or repeated index %d in %v", i, a)
		}
		seen[i] = true
	}
	if all := Select(4, 4, 1); !slices.Equal(all, []int{0, 1, 2, 3}) {
		t.Errorf("test-all selection: %v", all)
	}
}

func reports(r Recommendation) []string {
	var out []string
	for _, p := range r.Reports {
		out = append(out, p.Value)
	}
	return out
}

func categories(r Recommendation) []string {
	var out []string
	for _, p := range r.Categories {
		out = append(out, p.Value)
	}
	return out
}

// One case per rule of the scoping table, plus the payroll SaaS of the
// browser test.
func TestScopingRules(t *testing.T) {
	tests := []struct {
		rule    string
		answers Answers
		check   func(Recommendation) bool
	}{
		{"soc1-financial-services", Answers{Services: []string{"claims"}}, func(r Recommendation) bool { return slices.Contains(reports(r), "SOC 1") }},
		{"soc1-financial-statements", Answers{Services: []string{"managed_it"}, AffectsFinancialStatements: true}, func(r Recommendation) bool { return slices.Equal(reports(r), []string{"SOC 1", "SOC 2"}) }},
		{"soc1-requested", Answers{CustomersAsk: []string{"soc1"}}, func(r Recommendation) bool { return slices.Equal(reports(r), []string{"SOC 1"}) && r.Categories == nil }},
		{"soc2-technology-services", Answers{Services: []string{"hosting"}}, func(r Recommendation) bool { return slices.Equal(reports(r), []string{"SOC 2"}) }},
		{"soc2-customer-data", Answers{Data: []string{"confidential"}}, func(r Recommendation) bool { return slices.Equal(reports(r), []string{"SOC 2"}) }},
		{"soc2-requested", Answers{CustomersAsk: []string{"soc2"}}, func(r Recommendation) bool { return slices.Equal(reports(r), []string{"SOC 2"}) }},
		{"soc2-default", Answers{}, func(r Recommendation) bool {
			return slices.Equal(reports(r), []string{"SOC 2"}) && slices.Equal(categories(r), []string{"security"})
		}},
		{"availability-commitments", Answers{Services: []string{"saas"}, UptimeCommitments: true}, func(r Recommendation) bool { return slices.Contains(categories(r), "availability") }},
		{"confidentiality-data", Answers{Data: []string{"confidential"}}, func(r Recommendation) bool {
			return slices.Equal(categories(r), []string{"security", "confidentiality"})
		}},
		{"privacy-personal-data", Answers{Data: []string{"health"}}, func(r Recommendation) bool { return slices.Contains(categories(r), "privacy") }},
		{"processing-integrity-commitments", Answers{Services: []string{"data_processing"}, AccuracyCommitments: true}, func(r Recommendation) bool { return slices.Contains(categories(r), "processing_integrity") }},
		{"type1-first-audit", Answers{}, func(r Recommendation) bool { return r.Type.Value == "Type I" }},
		{"type1-changed-controls", Answers{AuditedBefore: true, RecentlyChangedControls: true}, func(r Recommendation) bool { return r.Type.Value == "Type I" }},
		{"type2-established", Answers{AuditedBefore: true}, func(r Recommendation) bool { return r.Type.Value == "Type II" }},
	}
	covered := map[string]bool{"soc2-default": true}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			rec := Recommend(tt.answers)
			if !tt.check(rec) {
				t.Errorf("%+v", rec)
			}
			if tt.rule != "soc2-default" && !mentions(rec, tt.rule) {
				t.Errorf("rule %s did not give its reason: %+v", tt.rule, rec)
			}
		})
		covered[tt.rule] = true
	}
	for _, r := range Rules {
		if !covered[r.ID] {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}

	payrollSaaS := Recommend(Answers{Services: []string{"payroll", "saas"}, Data: []string{"personal", "confidential"},
		UptimeCommitments: true, AuditedBefore: true})
	if !slices.Equal(reports(payrollSaaS), []string{"SOC 1", "SOC 2"}) || payrollSaaS.Type.Value != "Type II" ||
		!slices.Equal(categories(payrollSaaS), []string{"security", "availability", "confidentiality", "privacy"}) {
		t.Errorf("payroll SaaS: %+v", payrollSaaS)
	}
}

func mentions(r Recommendation, rule string) bool {
	for _, p := range append(append(slices.Clone(r.Reports), r.Categories...), r.Type) {
		if p.Rule == rule && p.Reason != "" {
			return true
		}
	}
	return false
}

func TestResultLabel(t *testing.T) {
	if got := (Result{Result: "exceptions_noted", ExceptionsFound: 1, TestedCount: 25}).Label(); got != "Exceptions noted (1 of 25)" {
		t.Errorf("label %q", got)
	}
}

func TestParseSampleTable(t *testing.T) {
	table, err := ParseSampleTable(" daily=40, weekly = 10 ")
	if err != nil || table["daily"].Lower != 40 || table["weekly"].Lower != 10 || table["monthly"].Lower != 2 {
		t.Fatalf("%v %v", table, err)
	}
	for _, bad := range []string{"hourly=3", "daily", "daily=0", "daily=x"} {
		if _, err := ParseSampleTable(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
