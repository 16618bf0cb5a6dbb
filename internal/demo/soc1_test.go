package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/demo"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/engagement/record"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
	"github.com/socmap/socmap/internal/tasks"
)

// The demo's SOC 1 engagement states what a payroll processor's report
// states: one objective per IT general control domain, the payroll cycle
// with release against approval and funding, net pay and tax remittance
// apart, and year-end forms; Section IV lists the payroll controls under
// them, and the complementary controls name objectives, not criteria.
func TestDemoSOC1IsAPayrollProcessorsReport(t *testing.T) {
	ctx := context.Background()
	db := catalogtest.Open(t, storetest.Targets(t)[0])
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	eng := engagement.NewService(db, nil)
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	loaded, err := demo.Load(ctx, db, blobs, tasks.NewService(db, eng, tasks.DefaultSettings()), demo.Options{Seed: demo.DefaultSeed, Today: today})
	if err != nil {
		t.Fatal(err)
	}

	objectives, err := soc1.NewService(db).Objectives(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byTemplate, domains, entity := map[string]string{}, []string{}, 0
	for i, o := range objectives {
		if want := fmt.Sprintf("CO-%02d", i+1); o.Ref != want {
			t.Errorf("objective %d is %s, want %s", i+1, o.Ref, want)
		}
		if o.Template == nil || !o.Template.Current {
			t.Errorf("%s is not from a current template: %+v", o.Ref, o.Template)
		}
		if !strings.HasPrefix(o.Description, "Controls provide reasonable assurance that ") {
			t.Errorf("%s reads %q", o.Ref, o.Description)
		}
		byTemplate[o.TemplateRef] = o.Ref
		switch o.Category {
		case "itgc":
			if slices.Contains(domains, o.Series) || len(o.Activities) == 0 {
				t.Errorf("%s: domain %q twice or without suggested activities", o.Ref, o.Series)
			}
			domains = append(domains, o.Series)
		case "entity":
			entity++
		}
	}
	if len(domains) < 5 || len(domains) > 8 || entity > 1 {
		t.Errorf("ITGC domains %v, entity-level objectives %d", domains, entity)
	}
	for _, tpl := range []string{"BP-CLI-01", "BP-PAY-01", "BP-PAY-02", "BP-PAY-03", "BP-PAY-06", "BP-PAY-07", "BP-PAY-08", "BP-PAY-09", "BP-PAY-05",
		"ITGC-LA", "ITGC-PC", "ITGC-OPS", "ITGC-BR"} {
		if byTemplate[tpl] == "" {
			t.Errorf("no objective from %s", tpl)
		}
	}

	soc1ID := loaded.Engagements[1]
	rollup, _, err := eng.RollUp(ctx, soc1ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rollup) != len(objectives) {
		t.Errorf("the engagement has %d requirements, want the %d objectives", len(rollup), len(objectives))
	}
	for _, r := range rollup {
		if r.FrameworkID != "org-soc1" || len(r.Controls) < 2 {
			t.Errorf("%s/%s has controls %v", r.FrameworkID, r.Ref, r.Controls)
		}
	}
	release := rollupOf(rollup, byTemplate["BP-PAY-06"])
	if !slices.Contains(release.Controls, "PAY-13") || !slices.Contains(release.Controls, "PAY-04") {
		t.Errorf("release after approval and funding is covered by %v", release.Controls)
	}
	if net, tax := rollupOf(rollup, byTemplate["BP-PAY-07"]), rollupOf(rollup, byTemplate["BP-PAY-08"]); slices.Equal(net.Controls, tax.Controls) {
		t.Errorf("net pay and tax remittance have the same controls %v", net.Controls)
	}

	section := sectionIV(t, db, eng, soc1ID)
	for _, want := range append(refsOf(objectives), "PAY-13", "PAY-15", "CLI-01", "BCP-03") {
		if !strings.Contains(section, want) {
			t.Errorf("Section IV does not mention %s", want)
		}
	}
	if strings.Contains(section, "Testing not yet recorded") || !strings.Contains(section, "funding receipt dated before the payment files were released") {
		t.Error("Section IV does not state the planned test of every control")
	}
	if strings.Contains(section, "CC6.1") {
		t.Error("the SOC 1 Section IV names a SOC 2 criterion")
	}

	cuecs, subs, err := complementary.NewService(db, eng).Complementary(ctx, soc1ID)
	if err != nil || len(subs) != 1 {
		t.Fatalf("complementary controls: %d subservice organisations, %v", len(subs), err)
	}
	var reqs []string
	for _, c := range cuecs {
		reqs = append(reqs, c.Requirements)
	}
	for _, c := range subs[0].CSOCs {
		reqs = append(reqs, c.Requirements)
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r, "org-soc1/CO-") || strings.Contains(r, "soc2-") {
			t.Errorf("a complementary control of the SOC 1 engagement supports %q", r)
		}
	}
}

func rollupOf(rollup []engagement.RequirementRollUp, ref string) engagement.RequirementRollUp {
	for _, r := range rollup {
		if r.Ref == ref {
			return r
		}
	}
	return engagement.RequirementRollUp{}
}

func refsOf(objectives []soc1.Objective) []string {
	out := make([]string, len(objectives))
	for i, o := range objectives {
		out[i] = o.Ref
	}
	return out
}

// sectionIV is the text of the engagement's Section IV sheet.
func sectionIV(t *testing.T, db *store.DB, eng *engagement.Service, id int64) string {
	t.Helper()
	_, tables, err := record.NewService(db, eng).Workbook(context.Background(), id, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if tb.Name != "Section IV" {
			continue
		}
		var b strings.Builder
		for _, row := range tb.Rows {
			fmt.Fprintln(&b, row...)
		}
		if tb.Stream != nil {
			if err := tb.Stream(func(row []any) error { _, err := fmt.Fprintln(&b, row...); return err }); err != nil {
				t.Fatal(err)
			}
		}
		return b.String()
	}
	t.Fatal("no Section IV sheet")
	return ""
}
