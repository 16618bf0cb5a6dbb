package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
)

type templateJSON struct {
	Ref         string   `json:"ref"`
	Category    string   `json:"category"`
	Series      string   `json:"series"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Industry    string   `json:"industry"`
	Optional    bool     `json:"optional"`
	Replaces    []string `json:"replaces"`
	Activities  []struct {
		Ref       string `json:"ref"`
		Frequency string `json:"frequency"`
	} `json:"activities"`
}

type proposalJSON struct {
	Industries []struct {
		Code string `json:"code"`
	} `json:"industries"`
	Objectives []struct {
		Ref       string       `json:"ref"`
		Selected  bool         `json:"selected"`
		AdoptedAs []string     `json:"adopted_as"`
		Template  templateJSON `json:"template"`
	} `json:"objectives"`
	Numbering []string `json:"numbering"`
}

// The whole adoption through the API: propose for the scoping answers,
// reword, confirm in one request, then turn suggested activities into
// draft controls.
func TestAdoptObjectiveSetOverHTTP(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			var prop proposalJSON
			p.call(p.admin, "GET", "/api/v1/soc1-objectives/proposal?services=retirement_recordkeeping,saas", "", 200, &prop)
			if len(prop.Industries) != 1 || prop.Industries[0].Code != "retirement_recordkeeping" || len(prop.Objectives) != 17 {
				t.Fatalf("proposal: %d industries, %d objectives", len(prop.Industries), len(prop.Objectives))
			}
			if o := prop.Objectives[0]; o.Template.Ref != "ENT-ORG" || o.Selected || o.Ref != "" || !o.Template.Optional {
				t.Errorf("the organisation and administration objective is offered, not proposed: %+v", o)
			}

			type body struct {
				Ref         string `json:"ref"`
				TemplateRef string `json:"template_ref"`
				Title       string `json:"title"`
				Description string `json:"description"`
			}
			var picked []body
			for _, o := range prop.Objectives {
				if o.Selected {
					picked = append(picked, body{Ref: o.Ref, TemplateRef: o.Template.Ref,
						Title: strings.Replace(o.Template.Title, "Participant", "Member", 1), Description: o.Template.Description})
				}
			}
			bad := append([]body{}, picked...)
			bad[3].Title = strings.Repeat("x", 201)
			raw, err := json.Marshal(map[string]any{"objectives": bad})
			if err != nil {
				t.Fatal(err)
			}
			w := send(p.h, "POST", "/api/v1/soc1-objectives/adopt", string(raw), p.admin.headers())
			if w.Code != 400 || !strings.Contains(w.Body.String(), "objectives[3].title") {
				t.Fatalf("adopting with a bad title: %d %s", w.Code, w.Body)
			}
			raw, err = json.Marshal(map[string]any{"objectives": picked})
			if err != nil {
				t.Fatal(err)
			}
			p.call(p.admin, "POST", "/api/v1/soc1-objectives/adopt", string(raw), 201, nil)

			var list struct {
				Objectives []struct {
					templateJSON
					TemplateRef string `json:"template_ref"`
					Template    *struct {
						Current bool `json:"current"`
					} `json:"template"`
				} `json:"objectives"`
			}
			p.call(p.admin, "GET", "/api/v1/soc1-objectives", "", 200, &list)
			if len(list.Objectives) != 16 {
				t.Fatalf("%d objectives adopted, want 16", len(list.Objectives))
			}
			for i, o := range list.Objectives {
				if want := fmt.Sprintf("CO-%02d", i+1); o.Ref != want || o.Template == nil || !o.Template.Current {
					t.Errorf("objective %d: %s (%+v), want %s from a current template", i+1, o.Ref, o.Template, want)
				}
				if o.TemplateRef == "BP-RK-02" && !strings.HasPrefix(o.Title, "Member data") {
					t.Errorf("reworded title not kept: %q", o.Title)
				}
				if (o.Category == "itgc") != (len(o.Activities) > 0) {
					t.Errorf("%s %s: %d suggested activities", o.Ref, o.Series, len(o.Activities))
				}
			}
			la := list.Objectives[9]
			if la.Series != "Logical access" {
				t.Fatalf("CO-10 is %s, want logical access after the nine recordkeeping objectives", la.Series)
			}

			var drafts struct {
				Controls []struct {
					ID     int64  `json:"id"`
					Ref    string `json:"ref"`
					Status string `json:"status"`
				} `json:"controls"`
			}
			activities := fmt.Sprintf(`{"activities":[{"ref":%q},{"ref":%q}]}`, la.Activities[0].Ref, la.Activities[2].Ref)
			p.call(p.admin, "POST", "/api/v1/soc1-objectives/CO-10/controls", activities, 201, &drafts)
			if len(drafts.Controls) != 2 || drafts.Controls[0].Ref != "CO-10.1" || drafts.Controls[1].Status != "draft" {
				t.Fatalf("drafts: %+v", drafts.Controls)
			}
			var detail struct {
				Mappings []struct {
					Requirement string `json:"requirement"`
				} `json:"mappings"`
			}
			p.call(p.admin, "GET", fmt.Sprintf("/api/v1/controls/%d", drafts.Controls[1].ID), "", 200, &detail)
			if len(detail.Mappings) != 1 || detail.Mappings[0].Requirement != "org-soc1/CO-10" {
				t.Errorf("draft's mappings: %+v", detail.Mappings)
			}
			p.call(p.admin, "POST", "/api/v1/soc1-objectives/CO-01/controls", activities, 400, nil)
			p.call(p.admin, "POST", "/api/v1/soc1-objectives/CO-99/controls", activities, 404, nil)
			p.call(p.admin, "GET", "/api/v1/soc1-objectives/proposal?industries=bakery", "", 400, nil)
			p.call(p.admin, "GET", "/api/v1/soc1-objectives/proposal", "", 400, nil)
			p.call(p.admin, "GET", "/api/v1/soc1-objectives/proposal?industry=payroll", "", 400, nil)
			p.call(p.admin, "POST", "/api/v1/soc1-objectives/adopt", `{"objectives":[]}`, 400, nil)
		})
	}
}

func TestTemplatesInTheCatalogAPI(t *testing.T) {
	t.Parallel()
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			var inds struct {
				Industries []struct {
					Code         string   `json:"code"`
					TemplateRefs []string `json:"template_refs"`
				} `json:"industries"`
			}
			p.call(p.admin, "GET", "/api/v1/frameworks/soc1-objective-templates/industries", "", 200, &inds)
			if len(inds.Industries) != 12 || inds.Industries[0].Code != "payroll" {
				t.Fatalf("industries: %+v", inds.Industries)
			}
			var page struct {
				Requirements []templateJSON `json:"requirements"`
				Total        int            `json:"total"`
			}
			p.call(p.admin, "GET", "/api/v1/frameworks/soc1-objective-templates/requirements?industry=hosting_colocation", "", 200, &page)
			var refs []string
			for _, r := range page.Requirements {
				refs = append(refs, r.Ref)
			}
			// Hosting's six ITGC objectives and the optional one offered to all.
			if page.Total != 7 || !strings.Contains(strings.Join(refs, " "), "HOST-ENV") {
				t.Errorf("hosting templates: %v", refs)
			}
			var one struct {
				Requirement templateJSON `json:"requirement"`
			}
			p.call(p.admin, "GET", "/api/v1/frameworks/soc1-objective-templates/requirements/ITGC-LA", "", 200, &one)
			if r := one.Requirement; r.Industry != "all" || len(r.Activities) < 5 || r.Activities[2].Frequency != "quarterly" ||
				len(r.Replaces) != 7 {
				t.Errorf("ITGC-LA: %+v", r)
			}
			p.call(p.admin, "GET", "/api/v1/frameworks/soc1-objective-templates/requirements?industry=bakery", "", 400, nil)
			p.call(p.admin, "GET", "/api/v1/frameworks/nope/industries", "", 404, nil)
		})
	}
}
