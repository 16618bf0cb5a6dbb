package soc1_test

import (
	"context"
	"strings"
	"testing"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/soc1"
	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

func TestCreateAndRewordObjectives(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := catalogtest.Open(t, target)
			svc := soc1.NewService(db)

			own, err := svc.Create(ctx, soc1.Input{Ref: "LA-1", Category: "itgc", Domain: "Logical access",
				Title: "Access", Description: "Controls provide reasonable assurance that access is restricted."})
			if err != nil {
				t.Fatal(err)
			}
			// The next free CO-nn counts the objectives there are, whatever their refs.
			auto, err := svc.Create(ctx, soc1.Input{Category: "business", Title: "Payroll", Description: "Controls provide …"})
			if err != nil || auto.Ref != "CO-02" || auto.SortOrder != own.SortOrder+1 {
				t.Fatalf("second objective: %+v, %v", auto, err)
			}

			_, err = svc.Create(ctx, soc1.Input{Ref: "la-1", Category: "itgc", Title: "Again", Description: "Again."})
			if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || !strings.Contains(e.Fields["ref"], "exists") {
				t.Fatalf("a ref that differs only in case: %v", err)
			}
			_, err = svc.Create(ctx, soc1.Input{TemplateRef: "NO-SUCH"})
			if e, ok := apperr.As(err); !ok || !strings.Contains(e.Fields["template_ref"], "not a SOC 1 template") {
				t.Fatalf("unknown template: %v", err)
			}

			r, err := svc.Update(ctx, "CO-02", soc1.Input{Title: "Payroll is processed accurately"})
			if err != nil || r.Title != "Payroll is processed accurately" || r.Description != "Controls provide …" || r.Ref != "CO-02" {
				t.Fatalf("reworded: %+v, %v", r, err)
			}
			if _, err := svc.Update(ctx, "CO-99", soc1.Input{Title: "x"}); err == nil {
				t.Fatal("rewording a missing objective succeeded")
			}
			entries, _, err := auditlog.List(ctx, db, auditlog.Filter{Action: "objective.update", Limit: 10})
			if err != nil || len(entries) != 1 || entries[0].ObjectID != "org-soc1/CO-02" {
				t.Fatalf("audit of the rewording: %+v, %v", entries, err)
			}
		})
	}
}
