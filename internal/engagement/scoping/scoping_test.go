package scoping

import (
	"slices"
	"testing"
)

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
