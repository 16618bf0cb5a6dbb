// Package scoping recommends what to report on from the scoping
// questionnaire's answers: SOC 1 or SOC 2, the SOC 2 categories and
// Type I or Type II, each with the rule and the reason behind it.
package scoping

import "slices"

// Answers are the scoping questionnaire's answers.
type Answers struct {
	// Services the organisation provides to its customers: payroll, claims,
	// loan_servicing, financial_transactions, accounting_billing,
	// retirement_recordkeeping, custody_trust, fund_administration,
	// investment_management, payment_processing, benefits_administration,
	// medical_billing, saas, hosting, colocation, managed_it, data_processing.
	Services                   []string `json:"services"`
	AffectsFinancialStatements bool     `json:"affects_financial_statements"`
	// Data handled for customers: personal, health, confidential.
	Data                    []string `json:"data"`
	UptimeCommitments       bool     `json:"uptime_commitments"`
	AccuracyCommitments     bool     `json:"accuracy_commitments"`
	CustomersAsk            []string `json:"customers_ask"` // soc1, soc2
	AuditedBefore           bool     `json:"audited_before"`
	RecentlyChangedControls bool     `json:"recently_changed_controls"`
}

// Rule is one line of the scoping table: when it applies, what it
// recommends, and the reason a person reads.
type Rule struct {
	ID       string
	Applies  func(Answers) bool
	Report   string // "SOC 1" or "SOC 2", or ""
	Type     string // "Type I" or "Type II", or ""
	Category string // a SOC 2 category, or ""
	Reason   string
}

func hasAny(list []string, of ...string) bool {
	for _, x := range of {
		if slices.Contains(list, x) {
			return true
		}
	}
	return false
}

// financialServices are the services whose transactions flow into the
// customers' financial statements.
var financialServices = []string{"payroll", "claims", "loan_servicing", "financial_transactions", "accounting_billing",
	"retirement_recordkeeping", "custody_trust", "fund_administration", "investment_management", "payment_processing",
	"benefits_administration", "medical_billing"}

// Rules is the whole scoping logic, read top to bottom.
var Rules = []Rule{
	{ID: "soc1-financial-services", Report: "SOC 1",
		Applies: func(a Answers) bool { return hasAny(a.Services, financialServices...) },
		Reason:  "You process transactions (payroll, claims, loans, payments, billing, plan, fund or custody records) that flow into your customers' financial statements; their auditors rely on a SOC 1 report."},
	{ID: "soc1-financial-statements", Report: "SOC 1",
		Applies: func(a Answers) bool { return a.AffectsFinancialStatements },
		Reason:  "Your service affects your customers' financial statements, which is what a SOC 1 report is about."},
	{ID: "soc1-requested", Report: "SOC 1",
		Applies: func(a Answers) bool { return slices.Contains(a.CustomersAsk, "soc1") },
		Reason:  "Your customers ask for a SOC 1 report."},
	{ID: "soc2-technology-services", Report: "SOC 2",
		Applies: func(a Answers) bool {
			return hasAny(a.Services, "saas", "hosting", "colocation", "managed_it", "data_processing")
		},
		Reason: "You run systems or process data for customers (SaaS, hosting, managed IT or data processing); a SOC 2 report shows how you protect them."},
	{ID: "soc2-customer-data", Report: "SOC 2",
		Applies: func(a Answers) bool { return len(a.Data) > 0 },
		Reason:  "You hold your customers' personal, health or confidential data; a SOC 2 report covers how it is protected."},
	{ID: "soc2-requested", Report: "SOC 2",
		Applies: func(a Answers) bool { return slices.Contains(a.CustomersAsk, "soc2") },
		Reason:  "Your customers ask for a SOC 2 report."},
	{ID: "availability-commitments", Category: "availability",
		Applies: func(a Answers) bool { return a.UptimeCommitments || slices.Contains(a.Services, "hosting") },
		Reason:  "You commit to uptime (or host customers' systems), so Availability belongs in the SOC 2 scope."},
	{ID: "confidentiality-data", Category: "confidentiality",
		Applies: func(a Answers) bool { return slices.Contains(a.Data, "confidential") },
		Reason:  "You hold customers' confidential information, so Confidentiality belongs in the SOC 2 scope."},
	{ID: "privacy-personal-data", Category: "privacy",
		Applies: func(a Answers) bool { return hasAny(a.Data, "personal", "health") },
		Reason:  "You handle personal (or health) information about individuals, so consider Privacy in the SOC 2 scope."},
	{ID: "processing-integrity-commitments", Category: "processing_integrity",
		Applies: func(a Answers) bool { return a.AccuracyCommitments },
		Reason:  "You commit to complete and accurate processing, so Processing Integrity belongs in the SOC 2 scope."},
	{ID: "type1-first-audit", Type: "Type I",
		Applies: func(a Answers) bool { return !a.AuditedBefore },
		Reason:  "This is your first audit: a Type I report (design as of a date) gets a report out quickly, and a Type II over 3 to 6 months follows."},
	{ID: "type1-changed-controls", Type: "Type I",
		Applies: func(a Answers) bool { return a.AuditedBefore && a.RecentlyChangedControls },
		Reason:  "Your controls changed recently: a Type I confirms the new design before a Type II tests it over a period."},
	{ID: "type2-established", Type: "Type II",
		Applies: func(a Answers) bool { return a.AuditedBefore && !a.RecentlyChangedControls },
		Reason:  "You were audited before and your controls are stable: a Type II report (operating effectiveness over 6 to 12 months) is what customers expect."},
}

// Pick is one recommendation with its reason.
type Pick struct {
	Value  string `json:"value"`
	Reason string `json:"reason"`
	Rule   string `json:"rule"`
}

// Recommendation is what the questionnaire suggests.
type Recommendation struct {
	Reports    []Pick `json:"reports"`
	Type       Pick   `json:"type"`
	Categories []Pick `json:"categories"` // SOC 2 categories; Security is always first
}

// Recommend applies every rule to the answers. Without any reason for a
// report, a SOC 2 on Security is the general-purpose default.
func Recommend(a Answers) Recommendation {
	rec := Recommendation{Categories: []Pick{{Value: "security", Rule: "security-always",
		Reason: "Security (the common criteria) is part of every SOC 2 report."}}}
	seen := map[string]bool{}
	for _, r := range Rules {
		if !r.Applies(a) {
			continue
		}
		pick := Pick{Reason: r.Reason, Rule: r.ID}
		switch {
		case r.Report != "" && !seen[r.Report]:
			pick.Value, seen[r.Report] = r.Report, true
			rec.Reports = append(rec.Reports, pick)
		case r.Category != "" && !seen[r.Category]:
			pick.Value, seen[r.Category] = r.Category, true
			rec.Categories = append(rec.Categories, pick)
		case r.Type != "" && rec.Type.Value == "":
			pick.Value = r.Type
			rec.Type = pick
		}
	}
	if len(rec.Reports) == 0 {
		rec.Reports = []Pick{{Value: "SOC 2", Rule: "soc2-default",
			Reason: "Nothing points to financial reporting, so a SOC 2 report on Security is the general assurance customers ask for."}}
	}
	if !seen["SOC 2"] && len(rec.Reports) > 0 && rec.Reports[0].Rule != "soc2-default" {
		rec.Categories = nil // SOC 2 categories matter only with a SOC 2 report
	}
	return rec
}
