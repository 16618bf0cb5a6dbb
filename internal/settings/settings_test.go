package settings

import (
	"context"
	"testing"

	"github.com/socmap/socmap/internal/store/storetest"
	"github.com/socmap/socmap/internal/store/storetest/catalogtest"
)

// --organisation gives the stored name its first value; later values of
// the flag do not overwrite what an admin set.
func TestSeedOrganisationOnlyOnce(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			s := NewService(catalogtest.Open(t, target))
			if err := s.SeedOrganisation(ctx, "First Ltd"); err != nil {
				t.Fatal(err)
			}
			if err := s.SeedOrganisation(ctx, "Second Ltd"); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Organisation(ctx); err != nil || got != "First Ltd" {
				t.Errorf("after two seeds: %q %v", got, err)
			}
			if _, err := s.SetOrganisation(ctx, "Renamed Ltd"); err != nil {
				t.Fatal(err)
			}
			if err := s.SeedOrganisation(ctx, "First Ltd"); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Organisation(ctx); err != nil || got != "Renamed Ltd" {
				t.Errorf("the flag overwrote the stored name: %q", got)
			}
		})
	}
}
