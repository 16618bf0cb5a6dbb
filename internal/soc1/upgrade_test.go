package soc1_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

// schemaBeforeTemplateShape is the last schema version whose templates had
// no industries, activities or successors.
const schemaBeforeTemplateShape = 11

// An installation that adopted objectives from the first, granular
// templates upgrades: the templates it used are retired, never deleted,
// and its objectives, their mappings and their template refs stay as they
// were, now pointing at the templates that replaced them.
func TestUpgradeKeepsObjectivesFromRetiredTemplates(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := target.DSN(t)
			old, err := store.OpenAt(ctx, dsn, schemaBeforeTemplateShape)
			if err != nil {
				t.Fatal(err)
			}
			writeFirstCatalog(t, old)
			// What the organisation had done with it: three objectives from
			// templates now retired, one from a template still current, one
			// of its own, and a control mapped to the first.
			for i, o := range []struct{ ref, template, title string }{
				{"CO-01", "ITGC-LA-01", "Access to the payroll platform is approved"},
				{"CO-02", "ITGC-LA-03", "Access is reviewed each quarter"},
				{"CO-03", "BP-PAY-04", "Salaries and taxes are paid on time"},
				{"CO-04", "BP-PAY-01", "Employee changes are authorised"},
				{"CO-05", "", "Our own objective"},
			} {
				must(t, old.W.Table("requirements").Create(map[string]any{"framework_id": store.OrgSOC1, "ref": o.ref,
					"category": "itgc", "series": "", "title": o.title, "description": "Controls provide reasonable assurance that …",
					"sort_order": i + 1, "template_ref": o.template}).Error)
			}
			now := time.Now().UTC()
			must(t, old.W.Table("controls").Create(map[string]any{"ref": "AC-01", "title": "Access approved", "frequency": "event-driven",
				"nature": "manual", "control_type": "preventive", "status": "active", "created_at": now, "updated_at": now}).Error)
			var control, objective int64
			must(t, old.R.Table("controls").Where("ref = 'AC-01'").Select("id").Scan(&control).Error)
			must(t, old.R.Table("requirements").Where("ref = 'CO-01'").Select("id").Scan(&objective).Error)
			must(t, old.W.Table("control_requirements").Create(map[string]any{"control_id": control,
				"requirement_id": objective, "rationale": "", "created_at": now}).Error)
			must(t, old.Close())

			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatalf("upgrade: %v", err)
			}
			t.Cleanup(func() { db.Close() })
			cats, err := catalog.Embedded()
			must(t, err)
			if _, err := catalog.Load(ctx, db, cats); err != nil {
				t.Fatalf("load the current catalog over the first: %v", err)
			}

			var retired int64
			must(t, db.R.Model(&store.Requirement{}).Where("framework_id = ? AND retired", store.SOC1Templates).Count(&retired).Error)
			if retired != 31 { // 6 entity-level and 24 granular ITGC templates, and BP-PAY-04
				t.Errorf("%d templates retired, want 31", retired)
			}
			var mapped int64
			must(t, db.R.Model(&store.Mapping{}).Count(&mapped).Error)
			if mapped != 1 {
				t.Errorf("mappings after the upgrade: %d", mapped)
			}

			svc := soc1.NewService(db)
			objectives, err := svc.Objectives(ctx)
			must(t, err)
			if len(objectives) != 5 || objectives[0].Title != "Access to the payroll platform is approved" {
				t.Fatalf("objectives after the upgrade: %+v", objectives)
			}
			state := func(i int) soc1.TemplateState { return *objectives[i].Template }
			if s := state(0); s.Current || !slices.Equal(s.ReplacedBy, []string{"ITGC-LA"}) || len(objectives[0].Activities) == 0 {
				t.Errorf("CO-01 (from ITGC-LA-01): %+v with %d activities", s, len(objectives[0].Activities))
			}
			if s := state(2); !slices.Equal(s.ReplacedBy, []string{"BP-PAY-07", "BP-PAY-08"}) {
				t.Errorf("CO-03 (from BP-PAY-04): %+v", s)
			}
			if s := state(3); !s.Current {
				t.Errorf("CO-04 (from BP-PAY-01): %+v", s)
			}
			if objectives[4].Template != nil {
				t.Errorf("CO-05 was written from scratch: %+v", objectives[4].Template)
			}

			// The payroll set offers what the organisation does not state yet,
			// numbered after its five objectives.
			p, err := svc.Propose(ctx, []string{"payroll"}, nil)
			must(t, err)
			adopted := map[string][]string{}
			var first string
			for _, o := range p.Objectives {
				adopted[o.Template.Ref] = o.AdoptedAs
				if o.Selected && first == "" {
					first = o.Ref
				}
			}
			if !slices.Equal(adopted["ITGC-LA"], []string{"CO-01", "CO-02"}) || !slices.Equal(adopted["BP-PAY-07"], []string{"CO-03"}) ||
				!slices.Equal(adopted["BP-PAY-01"], []string{"CO-04"}) || first != "CO-06" {
				t.Errorf("proposal after the upgrade: adopted %v, first new %s", adopted, first)
			}
			again, err := catalog.Load(ctx, db, cats)
			if err != nil || again[1].Changed {
				t.Errorf("second load: %+v, %v", again, err)
			}
		})
	}
}

// writeFirstCatalog writes the first SOC 1 template catalog into a
// database of the old schema, as the socmap of that time loaded it.
func writeFirstCatalog(t *testing.T, db *store.DB) {
	t.Helper()
	data, err := os.ReadFile("../catalog/testdata/soc1-objectives-v1.yaml")
	must(t, err)
	v1, err := catalog.Parse("soc1-objectives.yaml", data)
	must(t, err)
	fw := v1.Framework
	must(t, db.W.Table("frameworks").Create(map[string]any{"id": fw.ID, "name": fw.Name, "kind": fw.Kind,
		"version": fw.Version, "description": fw.Description, "content_hash": v1.Hash, "sort_order": 1,
		"loaded_at": time.Now().UTC()}).Error)
	for i, c := range v1.Categories {
		must(t, db.W.Table("framework_categories").Create(map[string]any{"framework_id": fw.ID, "code": c.Code,
			"name": c.Name, "description": c.Description, "sort_order": i}).Error)
	}
	for i, r := range v1.Requirements {
		must(t, db.W.Table("requirements").Create(map[string]any{"framework_id": fw.ID, "ref": r.Ref,
			"category": r.Category, "series": r.Series, "title": r.Title, "description": r.Description, "sort_order": i}).Error)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
