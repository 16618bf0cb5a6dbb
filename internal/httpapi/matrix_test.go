package httpapi_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

// The matrix is every control that is not retired, by reference, against
// the requirements of the scope in catalog order, with the mappings that
// fall inside the scope.
func TestMappingMatrix(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			b := p.control("B-01", "")
			a := p.control("A-01", "")
			retired := p.control("R-01", `,"status":"retired"`)
			p.call(p.admin, "POST", "/api/v1/mappings", `{"add":[
				{"control_id":`+fmt.Sprint(a)+`,"requirement":"soc2-tsc-2017/CC6.1"},
				{"control_id":`+fmt.Sprint(a)+`,"requirement":"soc2-tsc-2017/A1.2"},
				{"control_id":`+fmt.Sprint(b)+`,"requirement":"soc2-tsc-2017/CC1.1"},
				{"control_id":`+fmt.Sprint(retired)+`,"requirement":"soc2-tsc-2017/CC1.1"}]}`, 200, nil)
			var m struct {
				Requirements []struct {
					Requirement string `json:"requirement"`
					Ref         string `json:"ref"`
					Title       string `json:"title"`
				} `json:"requirements"`
				Controls []struct {
					ID           int64    `json:"id"`
					Ref          string   `json:"ref"`
					Requirements []string `json:"requirements"`
				} `json:"controls"`
			}
			p.call(p.admin, "GET", "/api/v1/matrix", "", 200, &m)
			if len(m.Requirements) != 33 || m.Requirements[0].Ref != "CC1.1" || m.Requirements[0].Title == "" {
				t.Fatalf("Security has the 33 common criteria, CC1.1 first: %d, %+v", len(m.Requirements), m.Requirements[:1])
			}
			if len(m.Controls) != 2 || m.Controls[0].Ref != "A-01" || m.Controls[1].Ref != "B-01" {
				t.Fatalf("controls: %+v", m.Controls)
			}
			if !slices.Equal(m.Controls[0].Requirements, []string{"soc2-tsc-2017/CC6.1"}) {
				t.Errorf("A-01 in the Security scope: %v", m.Controls[0].Requirements)
			}
			p.call(p.admin, "GET", "/api/v1/matrix?categories=availability", "", 200, &m)
			if len(m.Requirements) != 36 || !slices.Contains(m.Controls[0].Requirements, "soc2-tsc-2017/A1.2") {
				t.Errorf("with Availability: %d requirements, A-01 %v", len(m.Requirements), m.Controls[0].Requirements)
			}
			p.call(p.admin, "GET", "/api/v1/matrix?categories=nonsense", "", 400, nil)
			p.call(p.admin, "GET", "/api/v1/matrix?colour=red", "", 400, nil)
		})
	}
}
