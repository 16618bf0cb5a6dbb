package soc1

import (
	"slices"
	"testing"

	"github.com/socmap/socmap/internal/store"
)

func TestMergeSetsKeepsReportOrder(t *testing.T) {
	shared := func(ref string) bool { return ref == "CLI" || ref == "INP" || ref == "OUT" }
	tests := []struct {
		name string
		sets [][]string
		want []string
	}{
		{"one industry", [][]string{{"CLI", "PAY-1", "INP", "PAY-2", "OUT"}}, []string{"CLI", "PAY-1", "INP", "PAY-2", "OUT"}},
		{"shared openers open, shared closers close", [][]string{{"CLI", "PAY-1", "OUT"}, {"RK-1", "INP", "RK-2", "OUT"}},
			[]string{"CLI", "PAY-1", "RK-1", "INP", "RK-2", "OUT"}},
		{"a shared objective inside one set is not repeated", [][]string{{"CLI", "INP", "BEN-1", "OUT"}, {"RK-1", "INP", "RK-2"}},
			[]string{"CLI", "INP", "BEN-1", "RK-1", "RK-2", "OUT"}},
		{"a set of shared objectives only", [][]string{{"CLI", "OUT"}}, []string{"CLI", "OUT"}},
		{"no sets", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mergeSets(tt.sets, shared); !slices.Equal(got, tt.want) {
				t.Errorf("mergeSets = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProposeNumbersWhatItIncludes(t *testing.T) {
	tpl := func(ref, category, industry string, optional bool, replaces ...string) Template {
		return Template{Requirement: store.Requirement{Ref: ref, Category: category, Industry: industry, Optional: optional, Replaces: replaces}}
	}
	templates := []Template{tpl("ORG", "entity", "all", true), tpl("LA", "itgc", "all", false, "LA-01"),
		tpl("CLI", "business", "all", false), tpl("PAY-1", "business", "payroll", false)}
	payroll := store.Industry{Code: "payroll", TemplateRefs: store.Refs{"CLI", "PAY-1", "LA"}}
	existing := []store.Requirement{{Ref: "CO-01", TemplateRef: "LA-01"}, {Ref: "OWN", TemplateRef: ""}}

	p := propose([]store.Industry{payroll}, templates, existing)
	var got []string
	for _, o := range p.Objectives {
		got = append(got, o.Template.Ref+"="+o.Ref)
	}
	// ORG is optional and LA is stated already (CO-01 came from the LA-01 it
	// replaced): both are offered without a number; numbering continues
	// after the two objectives there are.
	if want := []string{"ORG=", "CLI=CO-03", "PAY-1=CO-04", "LA="}; !slices.Equal(got, want) {
		t.Errorf("proposal %v, want %v", got, want)
	}
	if la := p.Objectives[3]; la.Selected || !slices.Equal(la.AdoptedAs, []string{"CO-01"}) {
		t.Errorf("LA: %+v", la)
	}
	if want := []string{"CO-03", "CO-04", "CO-05", "CO-06"}; !slices.Equal(p.Numbering, want) {
		t.Errorf("numbering %v, want %v", p.Numbering, want)
	}
}
