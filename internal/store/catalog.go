package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// Framework is a criteria set: the SOC 2 TSC or a SOC 1 objective set.
type Framework struct {
	ID          string `gorm:"primaryKey"`
	Name        string
	Kind        string
	Version     string
	Description string
	ContentHash string
	SortOrder   int
	LoadedAt    time.Time
}

// Category groups requirements inside a framework (a SOC 2 category such
// as Availability, or a SOC 1 objective kind such as IT general controls).
type Category struct {
	FrameworkID string `gorm:"primaryKey"`
	Code        string `gorm:"primaryKey"`
	Name        string
	Description string
	SortOrder   int
}

func (Category) TableName() string { return "framework_categories" }

// Requirement is one criterion or control objective.
type Requirement struct {
	ID            int64 `gorm:"primaryKey"`
	FrameworkID   string
	Ref           string
	Category      string
	Series        string
	SeriesName    string
	COSOPrinciple *int `gorm:"column:coso_principle"`
	Title         string
	Description   string
	SortOrder     int
	Retired       bool
	TemplateRef   string // for the organisation's SOC 1 objectives: the template it started from
	// For SOC 1 objective templates: the industry it is written for ("all"
	// for every industry), whether a proposal leaves it out until chosen,
	// and the retired templates whose place it takes.
	Industry string
	Optional bool
	Replaces Refs
	Versioned
}

// TemplateActivity is a control activity suggested beneath an objective
// template, with the frequency, nature and type such a control usually has.
type TemplateActivity struct {
	FrameworkID    string `gorm:"primaryKey"`
	Ref            string `gorm:"primaryKey"`
	RequirementRef string
	Title          string
	Description    string
	Frequency      string
	Nature         string
	ControlType    string
	SortOrder      int
	Retired        bool
}

// Industry is the complete set of objective templates a SOC 1 report for
// one industry states, in report order, and the scoping assistant's
// service answers that point to it.
type Industry struct {
	FrameworkID  string `gorm:"primaryKey"`
	Code         string `gorm:"primaryKey"`
	Name         string
	Description  string
	Services     Refs
	TemplateRefs Refs
	SortOrder    int
	Retired      bool
}

func (Industry) TableName() string { return "catalog_industries" }

// Refs is a list of catalog references or codes, kept in one text column
// separated by spaces (references never contain one).
type Refs []string

func (r Refs) Value() (driver.Value, error) { return strings.Join(r, " "), nil }

func (r *Refs) Scan(v any) error {
	switch v := v.(type) {
	case string:
		*r = strings.Fields(v)
	case []byte:
		*r = strings.Fields(string(v))
	case nil:
		*r = nil
	default:
		return fmt.Errorf("refs: cannot scan %T", v)
	}
	return nil
}

// CategoryCount is a category with the number of its current requirements.
type CategoryCount struct {
	Category
	RequirementCount int
}

// FrameworkSummary is a framework with its categories and counts.
type FrameworkSummary struct {
	Framework
	RequirementCount int
	Categories       []CategoryCount
}

// CatalogHash returns the content hash recorded when a framework was last
// loaded, or "" when it has never been loaded.
func (db *DB) CatalogHash(ctx context.Context, frameworkID string) (string, error) {
	var fw Framework
	err := db.R.WithContext(ctx).Select("content_hash").Take(&fw, "id = ?", frameworkID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	return fw.ContentHash, err
}

// CatalogRows is one catalog file as rows: a framework with its
// categories, requirements, and (SOC 1 templates) suggested activities and
// industries.
type CatalogRows struct {
	Framework    Framework
	Categories   []Category
	Requirements []Requirement
	Activities   []TemplateActivity
	Industries   []Industry
}

// SaveCatalog writes a catalog in one transaction. Rows are matched by
// their stable IDs and updated in place, so reloading never duplicates
// anything; requirements, activities and industries that left the catalog
// are marked retired rather than deleted, because mappings and the
// organisation's objectives may point at them.
func (db *DB) SaveCatalog(ctx context.Context, c CatalogRows) error {
	fw := c.Framework
	return db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&fw).Error; err != nil {
			return err
		}
		if len(c.Categories) > 0 {
			err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "framework_id"}, {Name: "code"}},
				DoUpdates: clause.AssignmentColumns([]string{"name", "description", "sort_order"}),
			}).Create(&c.Categories).Error
			if err != nil {
				return err
			}
		}
		refs := make([]string, len(c.Requirements))
		for i := range c.Requirements {
			c.Requirements[i].FrameworkID, c.Requirements[i].Retired = fw.ID, false
			refs[i] = c.Requirements[i].Ref
		}
		err := upsertCurrent(tx, fw.ID, "ref", refs, c.Requirements, "category", "series", "series_name",
			"coso_principle", "title", "description", "sort_order", "industry", "optional", "replaces")
		if err != nil {
			return err
		}
		refs = make([]string, len(c.Activities))
		for i := range c.Activities {
			c.Activities[i].FrameworkID, c.Activities[i].Retired = fw.ID, false
			refs[i] = c.Activities[i].Ref
		}
		err = upsertCurrent(tx, fw.ID, "ref", refs, c.Activities, "requirement_ref", "title",
			"description", "frequency", "nature", "control_type", "sort_order")
		if err != nil {
			return err
		}
		codes := make([]string, len(c.Industries))
		for i := range c.Industries {
			c.Industries[i].FrameworkID, c.Industries[i].Retired = fw.ID, false
			codes[i] = c.Industries[i].Code
		}
		return upsertCurrent(tx, fw.ID, "code", codes, c.Industries, "name", "description",
			"services", "template_refs", "sort_order")
	})
}

// upsertCurrent writes rows keyed by framework
// and key, updating the columns named and bringing retired rows back, then
// retires the framework's rows whose key is not among keys.
func upsertCurrent[T any](tx *gorm.DB, frameworkID, key string, keys []string, rows []T, columns ...string) error {
	if len(rows) > 0 {
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "framework_id"}, {Name: key}},
			DoUpdates: clause.AssignmentColumns(append(columns, "retired")),
		}).CreateInBatches(&rows, 200).Error
		if err != nil {
			return err
		}
	}
	retire := tx.Model(new(T)).Where("framework_id = ?", frameworkID)
	if len(keys) > 0 {
		retire = retire.Where(key+" NOT IN ?", keys)
	}
	return retire.Update("retired", true).Error
}

// ListFrameworks returns every framework with its categories and the number
// of current requirements in each.
func (db *DB) ListFrameworks(ctx context.Context) ([]FrameworkSummary, error) {
	q := db.R.WithContext(ctx)
	var fws []Framework
	if err := q.Order("sort_order, id").Find(&fws).Error; err != nil {
		return nil, err
	}
	var cats []CategoryCount
	err := q.Table("framework_categories AS c").
		Select("c.*, (SELECT COUNT(*) FROM requirements r WHERE r.framework_id = c.framework_id " +
			"AND r.category = c.code AND NOT r.retired) AS requirement_count").
		Order("c.framework_id, c.sort_order").Scan(&cats).Error
	if err != nil {
		return nil, err
	}
	out := make([]FrameworkSummary, len(fws))
	for i, fw := range fws {
		out[i] = FrameworkSummary{Framework: fw, Categories: []CategoryCount{}}
		for _, c := range cats {
			if c.FrameworkID == fw.ID {
				out[i].Categories = append(out[i].Categories, c)
				out[i].RequirementCount += c.RequirementCount
			}
		}
	}
	return out, nil
}

// RequirementFilter narrows a requirement listing. Empty fields match all.
type RequirementFilter struct {
	FrameworkID string
	Category    string
	Series      string
	Industry    string // an industry's objective set, with the optional templates offered to all
	Text        string // case-insensitive substring of ref, title, description or series
	Limit       int
	Offset      int
}

// ListRequirements returns one page of a framework's current requirements in
// catalog order, and how many match in all.
func (db *DB) ListRequirements(ctx context.Context, f RequirementFilter) ([]Requirement, int64, error) {
	q := db.R.WithContext(ctx).Model(&Requirement{}).
		Where("framework_id = ? AND NOT retired", f.FrameworkID)
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Series != "" {
		q = q.Where("series = ?", f.Series)
	}
	if f.Industry != "" {
		ind, err := db.GetIndustry(ctx, f.FrameworkID, f.Industry)
		if err != nil {
			return nil, 0, err
		}
		q = q.Where("(ref IN ? OR optional)", []string(ind.TemplateRefs))
	}
	if f.Text != "" {
		like := LikePattern(f.Text)
		var match []string
		for _, col := range []string{"ref", "title", "description", "series", "series_name"} {
			match = append(match, "LOWER("+col+`) LIKE @like ESCAPE '\'`)
		}
		q = q.Where("("+strings.Join(match, " OR ")+")", sql.Named("like", like))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	reqs := []Requirement{}
	err := q.Order("sort_order").Limit(f.Limit).Offset(f.Offset).Find(&reqs).Error
	return reqs, total, err
}

// GetRequirement returns one current requirement by its reference.
func (db *DB) GetRequirement(ctx context.Context, frameworkID, ref string) (Requirement, error) {
	var r Requirement
	err := db.Conn(ctx, false).
		Take(&r, "framework_id = ? AND ref = ? AND NOT retired", frameworkID, ref).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, ErrNotFound
	}
	return r, err
}

// LikePattern turns search text into a case-insensitive LIKE pattern
// (compare with LOWER(column) … ESCAPE '\') in which % and _ are literal.
func LikePattern(text string) string {
	return "%" + escapeLike(strings.ToLower(text)) + "%"
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// GetIndustry returns one current industry of a framework.
func (db *DB) GetIndustry(ctx context.Context, frameworkID, code string) (Industry, error) {
	var ind Industry
	err := db.R.WithContext(ctx).Take(&ind, "framework_id = ? AND code = ? AND NOT retired", frameworkID, code).Error
	return ind, notFound(err)
}

// ListIndustries returns a framework's current industries in catalog order.
func (db *DB) ListIndustries(ctx context.Context, frameworkID string) ([]Industry, error) {
	out := []Industry{}
	err := db.R.WithContext(ctx).Where("framework_id = ? AND NOT retired", frameworkID).Order("sort_order").Find(&out).Error
	return out, err
}

// ListActivities returns the current activities suggested beneath the
// given templates of a framework (all of them when refs is nil), in
// catalog order.
func (db *DB) ListActivities(ctx context.Context, frameworkID string, refs []string) ([]TemplateActivity, error) {
	out := []TemplateActivity{}
	q := db.R.WithContext(ctx).Where("framework_id = ? AND NOT retired", frameworkID)
	if refs != nil {
		q = q.Where("requirement_ref IN ?", refs)
	}
	err := q.Order("sort_order").Find(&out).Error
	return out, err
}
