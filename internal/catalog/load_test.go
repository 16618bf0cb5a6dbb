package catalog_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/catalog"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
)

type counts struct{ frameworks, categories, requirements, retired int64 }

func countRows(t *testing.T, db *store.DB) counts {
	t.Helper()
	var c counts
	storetest.Must(t, db.R.Model(&store.Framework{}).Count(&c.frameworks))
	storetest.Must(t, db.R.Model(&store.Category{}).Count(&c.categories))
	storetest.Must(t, db.R.Model(&store.Requirement{}).Count(&c.requirements))
	storetest.Must(t, db.R.Model(&store.Requirement{}).Where("retired").Count(&c.retired))
	return c
}

func TestLoadIsIdempotent(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, target)
			cats, err := catalog.Embedded()
			if err != nil {
				t.Fatal(err)
			}
			first, err := catalog.Load(ctx, db, cats)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range first {
				if !o.Changed {
					t.Errorf("first load skipped %s", o.FrameworkID)
				}
			}
			before := countRows(t, db)
			if before.frameworks != 3 || before.retired != 0 { // SOC 2, SOC 1 templates, our SOC 1 objectives
				t.Fatalf("after first load: %+v", before)
			}
			second, err := catalog.Load(ctx, db, cats)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range second {
				if o.Changed {
					t.Errorf("unchanged catalog %s was rewritten", o.FrameworkID)
				}
			}
			if after := countRows(t, db); after != before {
				t.Fatalf("row counts changed on reload: %+v -> %+v", before, after)
			}
		})
	}
}

func TestLoadUpdatesChangedCatalogInPlace(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, target)
			v1, err := catalog.Parse("t.yaml", []byte(validCatalog))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := catalog.Load(ctx, db, []*catalog.Catalog{v1}); err != nil {
				t.Fatal(err)
			}
			before, err := db.GetRequirement(ctx, "test-fw", "T1.1")
			if err != nil {
				t.Fatal(err)
			}
			// Version 2 rewords T1.1, drops T1.2 and adds T1.3.
			text := strings.Replace(validCatalog, `version: "1"`, `version: "2"`, 1)
			text = strings.Replace(text, "title: One", "title: One reworded", 1)
			text = strings.Replace(text, "ref: T1.2", "ref: T1.3", 1)
			v2, err := catalog.Parse("t.yaml", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			out, err := catalog.Load(ctx, db, []*catalog.Catalog{v2})
			if err != nil || !out[0].Changed {
				t.Fatalf("load v2: %+v, %v", out, err)
			}
			after, err := db.GetRequirement(ctx, "test-fw", "T1.1")
			if err != nil {
				t.Fatal(err)
			}
			if after.ID != before.ID || after.Title != "One reworded" {
				t.Errorf("T1.1 not updated in place: before %+v, after %+v", before, after)
			}
			if _, err := db.GetRequirement(ctx, "test-fw", "T1.2"); err != store.ErrNotFound {
				t.Errorf("dropped T1.2 still current: %v", err)
			}
			c := countRows(t, db)
			if c.requirements != 3 || c.retired != 1 || c.frameworks != 2 { // test-fw and our SOC 1 objectives
				t.Errorf("rows after v2: %+v, want 3 requirements of which 1 retired", c)
			}
			fws, err := db.ListFrameworks(ctx)
			if err != nil || len(fws) != 2 || fws[0].Version != "2" || fws[0].RequirementCount != 2 {
				t.Errorf("framework after v2: %+v, %v", fws, err)
			}
		})
	}
}

// Activities and industries that leave a catalog are retired like its
// requirements, and come back when they return.
func TestLoadRetiresActivitiesAndIndustries(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, target)
			load := func(text string) {
				t.Helper()
				c, err := catalog.Parse("t.yaml", []byte(text))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := catalog.Load(ctx, db, []*catalog.Catalog{c}); err != nil {
					t.Fatal(err)
				}
			}
			load(validSOC1Catalog)
			inds, err := db.ListIndustries(ctx, "test-soc1")
			if err != nil || len(inds) != 2 || !slices.Equal(inds[0].TemplateRefs, []string{"P-1", "LA"}) ||
				!slices.Equal(inds[0].Services, []string{"payroll"}) {
				t.Fatalf("industries: %+v, %v", inds, err)
			}
			la, err := db.GetRequirement(ctx, "test-soc1", "LA")
			if err != nil || la.Industry != "all" || !slices.Equal(la.Replaces, []string{"LA-01"}) {
				t.Fatalf("template LA: %+v, %v", la, err)
			}

			// The next version drops the activity and the hosting industry.
			v2 := strings.Replace(validSOC1Catalog, `    activities:
      - {ref: LA.01, title: Review, description: Quarterly review., frequency: quarterly, nature: manual, type: detective}
`, "", 1)
			v2 = strings.Replace(v2, "  - {code: host, name: Hosting, itgc: [H-1]}\n", "", 1)
			v2 = strings.Replace(v2, "industry: host", "industry: all", 1)
			load(v2)
			acts, err := db.ListActivities(ctx, "test-soc1", nil)
			if err != nil || len(acts) != 0 {
				t.Errorf("activities after v2: %+v, %v", acts, err)
			}
			if _, err := db.GetIndustry(ctx, "test-soc1", "host"); err != store.ErrNotFound {
				t.Errorf("dropped industry still current: %v", err)
			}
			var kept int64
			if err := db.R.Model(&store.TemplateActivity{}).Where("retired").Count(&kept).Error; err != nil || kept != 1 {
				t.Errorf("the dropped activity was deleted rather than retired")
			}

			load(validSOC1Catalog)
			if acts, err := db.ListActivities(ctx, "test-soc1", []string{"LA"}); err != nil || len(acts) != 1 {
				t.Errorf("activity back in v3: %+v, %v", acts, err)
			}
			if _, err := db.GetIndustry(ctx, "test-soc1", "host"); err != nil {
				t.Errorf("industry back in v3: %v", err)
			}
		})
	}
}
