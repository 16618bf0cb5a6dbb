package complementary_test

import (
	"context"
	"slices"
	"testing"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/engagement"
	"github.com/socmap/socmap/internal/engagement/complementary"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

type complementaryFixture struct {
	t   *testing.T
	ctx context.Context
	eng *engagement.Service
	svc *complementary.Service
}

func newComplementary(t *testing.T, target storetest.Target) complementaryFixture {
	db := catalogtest.Open(t, target)
	eng := engagement.NewService(db, nil)
	f := complementaryFixture{t: t, ctx: context.Background(), eng: eng, svc: complementary.NewService(db, eng)}
	if _, err := soc1.NewService(db).Create(f.ctx, soc1.Input{Ref: "CO-01", Category: "itgc", Domain: "Logical access",
		Title: "Logical access", Description: "Controls provide reasonable assurance that access is restricted."}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f complementaryFixture) engagement(report string) int64 {
	f.t.Helper()
	name, typ, start, end := report+" 2026", "type2", "2026-01-01", "2026-12-31"
	in := engagement.Input{Name: &name, Report: &report, ReportType: &typ, PeriodStart: &start, PeriodEnd: &end}
	if report == "soc1" {
		in.Objectives = &[]string{"CO-01"}
	}
	e, err := f.eng.Create(f.ctx, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return e.ID
}

func (f complementaryFixture) subservice(id int64, csocs ...string) complementary.Subservice {
	f.t.Helper()
	in := complementary.SubserviceInput{Name: "Cloud Host", Method: "carve-out"}
	for _, text := range csocs {
		in.CSOCs = append(in.CSOCs, struct {
			Text         string
			Requirements []string
		}{text, []string{"soc2-tsc-2017/CC6.4"}})
	}
	sub, err := f.svc.AddSubservice(f.ctx, id, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return sub
}

func (f complementaryFixture) refs(id int64) []string {
	f.t.Helper()
	cuecs, subs, err := f.svc.Complementary(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, c := range cuecs {
		out = append(out, c.Ref())
	}
	for _, s := range subs {
		for _, cs := range s.CSOCs {
			out = append(out, cs.Ref())
		}
	}
	return out
}

// A CUEC or CSOC keeps its number; a deleted one's number is never given
// to another, and the next period goes on counting from where it stopped.
func TestComplementaryNumbersAreNeverReused(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			f := newComplementary(t, target)
			id := f.engagement("soc2")
			var cuecs []complementary.CUEC
			for _, text := range []string{"Customers review their users", "Customers protect their keys"} {
				c, err := f.svc.AddCUEC(f.ctx, id, text, []string{"soc2-tsc-2017/CC6.2"})
				if err != nil {
					t.Fatal(err)
				}
				cuecs = append(cuecs, c)
			}
			if cuecs[0].Ref() != "CUEC-01" || cuecs[1].Ref() != "CUEC-02" {
				t.Fatalf("numbers: %s %s", cuecs[0].Ref(), cuecs[1].Ref())
			}
			if err := f.svc.RemoveComplementary(f.ctx, id, "cuec", cuecs[1].ID); err != nil {
				t.Fatal(err)
			}
			if c, err := f.svc.AddCUEC(f.ctx, id, "Customers report incidents", []string{"soc2-tsc-2017/CC7.3"}); err != nil || c.Ref() != "CUEC-03" {
				t.Fatalf("after a delete the next CUEC is %s (%v), want CUEC-03", c.Ref(), err)
			}
			gone := f.subservice(id, "Data centre access", "Media disposal")
			if err := f.svc.RemoveComplementary(f.ctx, id, "subservice", gone.ID); err != nil {
				t.Fatal(err)
			}
			f.subservice(id, "Data centre access")
			other := f.engagement("soc2") // every engagement counts on its own
			if c, err := f.svc.AddCUEC(f.ctx, other, "Customers review their users", nil); err != nil || c.Ref() != "CUEC-01" {
				t.Fatalf("another engagement's first CUEC is %s (%v)", c.Ref(), err)
			}
			if got, want := f.refs(id), []string{"CUEC-01", "CUEC-03", "CSOC-03"}; !slices.Equal(got, want) {
				t.Fatalf("refs %v, want %v", got, want)
			}

			next, err := f.eng.RollForward(f.ctx, id, engagement.Input{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := f.refs(next.ID), []string{"CUEC-01", "CUEC-03", "CSOC-03"}; !slices.Equal(got, want) {
				t.Fatalf("rolled forward: refs %v, want %v", got, want)
			}
			if c, err := f.svc.AddCUEC(f.ctx, next.ID, "Customers train their staff", nil); err != nil || c.Ref() != "CUEC-04" {
				t.Fatalf("the next period's new CUEC is %s (%v), want CUEC-04", c.Ref(), err)
			}
			if sub := f.subservice(next.ID, "Backups"); sub.CSOCs[0].Ref() != "CSOC-04" {
				t.Fatalf("the next period's new CSOC is %s, want CSOC-04", sub.CSOCs[0].Ref())
			}
		})
	}
}

// The requirements of CUECs and CSOCs are the engagement's own framework's:
// a SOC 1 engagement refuses SOC 2 criteria, a SOC 2 refuses SOC 1
// objectives, and a SOC 1 CUEC names its objective.
func TestComplementaryRequirementsBelongToTheFramework(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			f := newComplementary(t, target)
			soc1ID, soc2ID := f.engagement("soc1"), f.engagement("soc2")
			invalid := func(name string, err error) {
				t.Helper()
				if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Fields == nil {
					t.Errorf("%s: %v, want a refusal naming the field", name, err)
				}
			}
			_, err := f.svc.AddCUEC(f.ctx, soc1ID, "Customers review their users", []string{"soc2-tsc-2017/CC6.2"})
			invalid("SOC 2 criterion on a SOC 1 CUEC", err)
			_, err = f.svc.AddCUEC(f.ctx, soc1ID, "Customers review their users", nil)
			invalid("SOC 1 CUEC without an objective", err)
			_, err = f.svc.AddCUEC(f.ctx, soc2ID, "Customers review their users", []string{"org-soc1/CO-01"})
			invalid("SOC 1 objective on a SOC 2 CUEC", err)
			_, err = f.svc.AddSubservice(f.ctx, soc1ID, complementary.SubserviceInput{Name: "Cloud Host", Method: "carve-out",
				CSOCs: []struct {
					Text         string
					Requirements []string
				}{{"Data centre access", []string{"soc2-tsc-2017/CC6.4"}}}})
			invalid("SOC 2 criterion on a SOC 1 CSOC", err)

			c, err := f.svc.AddCUEC(f.ctx, soc1ID, "Customers review their users", []string{"org-soc1/CO-01"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.UpdateCUEC(f.ctx, soc1ID, c.ID, complementary.CUECChange{Requirements: &[]string{"soc2-tsc-2017/CC6.2"}})
			invalid("SOC 2 criterion in a change of a SOC 1 CUEC", err)
			_, err = f.svc.UpdateCUEC(f.ctx, soc1ID, c.ID, complementary.CUECChange{Requirements: &[]string{}})
			invalid("a SOC 1 CUEC's objective taken away", err)
			if got, err := f.svc.CUEC(f.ctx, soc1ID, c.ID); err != nil || got.Requirements != "org-soc1/CO-01" || got.Version != c.Version {
				t.Errorf("a refused change changed the CUEC: %+v %v", got, err)
			}
			if cuecs, subs, err := f.svc.Complementary(f.ctx, soc1ID); err != nil || len(cuecs) != 1 || len(subs) != 0 {
				t.Errorf("refused additions were kept: %d CUECs, %d organisations (%v)", len(cuecs), len(subs), err)
			}
			// A requirement is written as people write it, "CC6.2": it is the
			// engagement's own framework's.
			short, err := f.svc.AddCUEC(f.ctx, soc2ID, "Customers review their users", []string{" CC6.2", "soc2-tsc-2017/CC6.2", "CC6.3"})
			if err != nil || short.Requirements != "soc2-tsc-2017/CC6.2,soc2-tsc-2017/CC6.3" {
				t.Errorf("CUEC with short refs: %+v %v", short, err)
			}
			_, err = f.svc.AddCUEC(f.ctx, soc1ID, "Customers review their users", []string{"CC6.2"})
			invalid("a SOC 2 criterion written short on a SOC 1 CUEC", err)
		})
	}
}
