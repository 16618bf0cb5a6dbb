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
	SaveCatalog(ctx context.Context, fw store.Framework, cats []store.Category, reqs []store.Requirement) error
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
		fw, rows, reqs := c.rows(i)
		if err := w.SaveCatalog(ctx, fw, rows, reqs); err != nil {
			return nil, fmt.Errorf("load catalog %s: %w", c.Name, err)
		}
		out = append(out, Outcome{FrameworkID: c.Framework.ID, Changed: true})
	}
	return out, nil
}

func (c *Catalog) rows(order int) (store.Framework, []store.Category, []store.Requirement) {
	f := c.Framework
	fw := store.Framework{ID: f.ID, Name: f.Name, Kind: f.Kind, Version: f.Version,
		Description: f.Description, ContentHash: c.Hash, SortOrder: order, LoadedAt: time.Now().UTC()}
	cats := make([]store.Category, len(c.Categories))
	for i, cat := range c.Categories {
		cats[i] = store.Category{FrameworkID: f.ID, Code: cat.Code, Name: cat.Name,
			Description: cat.Description, SortOrder: i}
	}
	reqs := make([]store.Requirement, len(c.Requirements))
	for i, r := range c.Requirements {
		reqs[i] = store.Requirement{FrameworkID: f.ID, Ref: r.Ref, Category: r.Category,
			Series: r.Series, SeriesName: r.SeriesName, COSOPrinciple: r.COSOPrinciple,
			Title: r.Title, Description: r.Description, SortOrder: i}
	}
	return fw, cats, reqs
}
