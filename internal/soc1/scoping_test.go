package soc1_test

import (
	"slices"
	"testing"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/engagement/scoping"
)

// The scoping assistant's answers lead to the objective sets: every
// service an industry names is one the assistant asks about, and
// (hosting aside, whose customers ask for a SOC 1 themselves) recommends
// a SOC 1.
func TestScopingAnswersLeadToIndustrySets(t *testing.T) {
	cats, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		for _, ind := range c.Industries {
			for _, service := range ind.Services {
				rec := scoping.Recommend(scoping.Answers{Services: []string{service}})
				var reports []string
				for _, p := range rec.Reports {
					reports = append(reports, p.Value)
				}
				if !slices.Contains(reports, "SOC 1") && ind.Code != "hosting_colocation" {
					t.Errorf("%s: the service %q recommends %v, not a SOC 1", ind.Code, service, reports)
				}
				if slices.Equal(reports, []string{"SOC 2"}) && rec.Reports[0].Rule == "soc2-default" {
					t.Errorf("%s: the assistant does not know the service %q", ind.Code, service)
				}
			}
		}
	}
}
