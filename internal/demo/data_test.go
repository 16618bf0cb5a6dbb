package demo

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The demo maps every Security, Availability and Confidentiality criterion
// and every objective it defines, with owners who can own controls.
func TestDemoDataIsComplete(t *testing.T) {
	criteria := strings.Fields(`CC1.1 CC1.2 CC1.3 CC1.4 CC1.5 CC2.1 CC2.2 CC2.3 CC3.1 CC3.2 CC3.3 CC3.4 CC4.1 CC4.2
		CC5.1 CC5.2 CC5.3 CC6.1 CC6.2 CC6.3 CC6.4 CC6.5 CC6.6 CC6.7 CC6.8 CC7.1 CC7.2 CC7.3 CC7.4 CC7.5 CC8.1 CC9.1 CC9.2
		A1.1 A1.2 A1.3 C1.1 C1.2`)
	mapped := map[string]int{}
	refs := map[string]bool{}
	ref := regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)
	for _, c := range controls {
		if !ref.MatchString(c.Ref) || refs[c.Ref] {
			t.Errorf("bad or repeated ref %q", c.Ref)
		}
		refs[c.Ref] = true
		if role := people[c.Owner].Role; role != "owner" && role != "compliance" {
			t.Errorf("%s is owned by a %s", c.Ref, role)
		}
		for _, r := range c.Requirements {
			mapped[r]++
		}
	}
	for _, c := range criteria {
		if mapped["soc2-tsc-2017/"+c] == 0 {
			t.Errorf("%s is not mapped", c)
		}
	}
	for _, o := range objectives {
		if mapped["org-soc1/"+o.Ref] < 2 {
			t.Errorf("objective %s has %d controls, want at least 2", o.Ref, mapped["org-soc1/"+o.Ref])
		}
	}
	for r := range mapped {
		if strings.HasPrefix(r, "org-soc1/") && !slices.ContainsFunc(objectives, func(o objectiveSpec) bool { return "org-soc1/"+o.Ref == r }) {
			t.Errorf("%s is not a demo objective", r)
		}
	}
	if n := len(controls); n < 80 || n > 95 {
		t.Errorf("%d controls", n)
	}
	for _, needed := range []string{"AC-03", "HR-02", "CM-02", "PAY-04", "VEN-02", "BCP-03"} {
		if !refs[needed] {
			t.Errorf("the demo's populations, exceptions and subservice monitoring need %s", needed)
		}
	}
}
