package exports

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// phrases are the codes whose words are not just the code spelt out.
var phrases = map[string]string{
	"it-dependent-manual":     "IT-dependent manual",
	"several-times-a-day":     "Several times a day",
	"no_exceptions":           "No exceptions noted",
	"not_tested_no_operation": "Not tested: did not operate",
	"not_tested_other":        "Not tested: other reason",
	"cuec":                    "CUEC",
	// conclusions of a criterion or objective
	"deviations_evaluation_needed": "Deviations — evaluation needed",
	"carved_out":                   "Addressed by a subservice organisation (carve-out)",
	"csoc":                         "CSOC",
	"soc1":                         "SOC 1",
	"soc2":                         "SOC 2",
	"type1":                        "Type I",
	"type2":                        "Type II",
}

// Words is how a stored code reads in a file a person opens:
// "suitably_designed" is "Suitably designed", "semi-annual" "Semi-annual".
// The control-matrix import reads the words back.
func Words(code string) string {
	if p, ok := phrases[code]; ok {
		return p
	}
	s := strings.ReplaceAll(code, "_", " ")
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
