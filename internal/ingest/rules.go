package ingest

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rule maps the checks whose id matches Pattern to a control. A pattern
// is the check id itself or a glob: * stands for any run of characters,
// ? for one; case does not matter (iam_* matches every IAM check).
type Rule struct {
	ID        int64
	Pattern   string
	ControlID int64
}

// CheckPattern says what is wrong with a pattern, or nil.
func CheckPattern(p string) error {
	switch {
	case strings.TrimSpace(p) == "":
		return fmt.Errorf("give a check id or a pattern such as iam_*")
	case utf8.RuneCountInString(p) > maxCheckID:
		return fmt.Errorf("at most %d characters", maxCheckID)
	case strings.IndexFunc(p, unicode.IsSpace) >= 0:
		return fmt.Errorf("check ids have no spaces")
	case strings.Trim(p, "*?") == "":
		return fmt.Errorf("a pattern of only wildcards would map every check; name part of the id")
	}
	return nil
}

// Match reports whether a check id matches a pattern.
func Match(pattern, checkID string) bool {
	return glob([]rune(strings.ToLower(pattern)), []rune(strings.ToLower(checkID)))
}

// glob matches with * and ?, backtracking only to the last star, so no
// pattern can make it take exponential time.
func glob(p, s []rune) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case star >= 0:
			pi, mark = star+1, mark+1
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// Check is a check as mapping sees it: its id and the criteria (catalog
// references such as CC6.1) the tool tagged it with.
type Check struct {
	ID       string
	Criteria []string
}

// How a check reaches its controls.
const (
	ViaRule     = "rule"
	ViaCriteria = "criteria"
)

// Target is where a check maps: its controls and how.
type Target struct {
	Controls []int64
	Via      string // ViaRule, ViaCriteria or "" (unmapped)
}

// Resolve maps each check to controls. A check that a rule matches goes
// to the controls of every rule that matches it, and only there: a rule
// is the team's precise decision. Any other check goes to the controls
// mapped to the criteria its tool tagged it with (byCriterion: criterion
// reference → control ids).
func Resolve(checks []Check, rules []Rule, byCriterion map[string][]int64) map[string]Target {
	out := make(map[string]Target, len(checks))
	for _, c := range checks {
		var t Target
		for _, r := range rules {
			if Match(r.Pattern, c.ID) {
				t.Controls = append(t.Controls, r.ControlID)
			}
		}
		if len(t.Controls) > 0 {
			t.Via = ViaRule
		} else {
			for _, ref := range c.Criteria {
				t.Controls = append(t.Controls, byCriterion[ref]...)
			}
			if len(t.Controls) > 0 {
				t.Via = ViaCriteria
			}
		}
		slices.Sort(t.Controls)
		t.Controls = slices.Compact(t.Controls)
		out[c.ID] = t
	}
	return out
}

// ChecksOf inverts a resolution: the checks that map to each control.
func ChecksOf(targets map[string]Target) map[int64][]string {
	out := map[int64][]string{}
	for check, t := range targets {
		for _, c := range t.Controls {
			out[c] = append(out[c], check)
		}
	}
	for _, checks := range out {
		slices.Sort(checks)
	}
	return out
}
