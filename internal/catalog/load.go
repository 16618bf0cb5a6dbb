package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/socmap/socmap/catalogs"
	"github.com/socmap/socmap/internal/store"
)

// Writer is what loading needs from the store.
type Writer interface {
	CatalogHash(ctx context.Context, frameworkID string) (string, error)
	SaveCatalog(ctx context.Context, rows store.CatalogRows) error
}

// Embedded parses the catalogs shipped in the binary.
func Embedded() ([]*Catalog, error) {
	files, err := catalogs.Read()
	if err != nil {
		return nil, err
	}
	return ParseAll(files, catalogs.Files)
}

// Outcome says what loading did with one framework.
type Outcome struct {
	FrameworkID string
	Changed     bool // false: the stored copy already matched the file
}

// Load writes each catalog whose content differs from what the store holds.
// It is idempotent: an unchanged file is skipped, a changed one is updated in
// place (see store.SaveCatalog).
func Load(ctx context.Context, w Writer, cats []*Catalog) ([]Outcome, error) {
	out := make([]Outcome, 0, len(cats))
	for i, c := range cats {
		hash, err := w.CatalogHash(ctx, c.Framework.ID)
		if err != nil {
			return nil, fmt.Errorf("load catalog %s: %w", c.Name, err)
		}
		if hash == c.Hash {
			out = append(out, Outcome{FrameworkID: c.Framework.ID})
			continue
		}
		if err := w.SaveCatalog(ctx, c.rows(i)); err != nil {
			return nil, fmt.Errorf("load catalog %s: %w", c.Name, err)
		}
		out = append(out, Outcome{FrameworkID: c.Framework.ID, Changed: true})
	}
	return out, nil
}

func (c *Catalog) rows(order int) store.CatalogRows {
	f := c.Framework
	out := store.CatalogRows{Framework: store.Framework{ID: f.ID, Name: f.Name, Kind: f.Kind, Version: f.Version,
		Description: f.Description, ContentHash: c.Hash, SortOrder: order, LoadedAt: time.Now().UTC()}}
	for i, cat := range c.Categories {
		out.Categories = append(out.Categories, store.Category{FrameworkID: f.ID, Code: cat.Code, Name: cat.Name,
			Description: cat.Description, SortOrder: i})
	}
	for i, r := range c.Requirements {
		out.Requirements = append(out.Requirements, store.Requirement{FrameworkID: f.ID, Ref: r.Ref,
			Category: r.Category, Series: r.Series, SeriesName: r.SeriesName, COSOPrinciple: r.COSOPrinciple,
			Title: r.Title, Description: r.Description, SortOrder: i, Industry: r.Industry, Optional: r.Optional,
			Replaces: r.Replaces})
		for _, a := range r.Activities {
			out.Activities = append(out.Activities, store.TemplateActivity{FrameworkID: f.ID, Ref: a.Ref,
				RequirementRef: r.Ref, Title: a.Title, Description: a.Description, Frequency: a.Frequency,
				Nature: a.Nature, ControlType: a.Type, SortOrder: len(out.Activities)})
		}
	}
	for i, ind := range c.Industries {
		out.Industries = append(out.Industries, store.Industry{FrameworkID: f.ID, Code: ind.Code, Name: ind.Name,
			Description: ind.Description, Services: ind.Services, TemplateRefs: c.IndustryTemplates(ind), SortOrder: i})
	}
	return out
}
