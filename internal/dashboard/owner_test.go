package dashboard_test

import (
	"context"
	"testing"

	"github.com/socmap/socmap/internal/auth"
	"github.com/socmap/socmap/internal/store/storetest"
)

// A disabled user's controls and open tasks used to stay theirs on the
// dashboard, so nobody saw that they needed a new owner. They count as
// having no owner.
func TestDisabledOwnersOwnNothing(t *testing.T) {
	p := loadDemo(t, storetest.Targets(t)[0])
	ctx := context.Background()
	before, err := p.dashboards.ForOrganisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var owner int64
	var open, nobody int
	for _, row := range before.Tasks {
		if row.OwnerID == nil {
			nobody = row.Overdue + row.Due
		} else if owner == 0 {
			owner, open = *row.OwnerID, row.Overdue+row.Due
		}
	}
	if owner == 0 || open == 0 {
		t.Fatalf("no owner with open tasks in the demo: %+v", before.Tasks)
	}
	var owned int64
	storetest.Must(t, p.db.R.Table("controls").Where("owner_id = ? AND status <> 'retired'", owner).Count(&owned))
	disabled := true
	if _, err := auth.NewService(p.db, auth.DefaultSettings(), nil).UpdateUser(ctx, auth.Trusted, owner, auth.UserPatch{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	after, err := p.dashboards.ForOrganisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(after.Gaps.WithoutOwner) - len(before.Gaps.WithoutOwner); int64(got) != owned || owned == 0 {
		t.Errorf("controls without an owner grew by %d, the disabled user owned %d", got, owned)
	}
	found := false
	for _, row := range after.Tasks {
		found = found || row.OwnerID == nil
		switch {
		case row.OwnerID != nil && *row.OwnerID == owner:
			t.Errorf("the disabled user still has tasks: %+v", row)
		case row.OwnerID == nil && row.Overdue+row.Due != nobody+open:
			t.Errorf("tasks of nobody: %d, want %d + %d", row.Overdue+row.Due, nobody, open)
		}
	}
	if !found {
		t.Errorf("no row for tasks without an owner: %+v", after.Tasks)
	}
}
