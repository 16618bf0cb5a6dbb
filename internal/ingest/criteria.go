package ingest

import (
	"regexp"
	"strings"
)

// criterionPattern matches the ways tools write a SOC 2 criterion:
// CC6.1, cc6.1, CC 6.1, Prowler's cc_6_1, and the availability,
// confidentiality, processing-integrity and privacy series as A1.2,
// a_1_2, Prowler's cc_a_1_1, PI1.3 or p_4_2. OSCAL objective and statement
// ids add a suffix (cc6.1_obj, cc6.1_smt.a).
var criterionPattern = regexp.MustCompile(`^(?:cc[_ .-]?(?:(a|c|pi|p)[_ .-]?)?|(a|c|pi|p)[_ .-]?)(\d)[_ .-](\d{1,2})(?:_(?:obj|smt)\b.*)?$`)

// CriterionRef turns a criterion as a tool writes it into the catalog's
// reference (cc_6_1 → CC6.1, cc_a_1_1 → A1.1); false when it is none.
func CriterionRef(tag string) (string, bool) {
	m := criterionPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(tag)))
	if m == nil {
		return "", false
	}
	series := "CC"
	if s := m[1] + m[2]; s != "" {
		series = strings.ToUpper(s)
	}
	return series + m[3] + "." + strings.TrimLeft(m[4], "0"), m[4] != "0" && strings.TrimLeft(m[4], "0") != ""
}
