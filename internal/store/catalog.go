package store

import (
	"context"
	"database/sql"
	"errors"
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

// SaveCatalog writes a framework, its categories and requirements in one
// transaction. Rows are matched by their stable IDs and updated in place, so
// reloading never duplicates anything; requirements that left the catalog are
// marked retired rather than deleted, because mappings may point at them.
func (db *DB) SaveCatalog(ctx context.Context, fw Framework, cats []Category, reqs []Requirement) error {
	return db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&fw).Error; err != nil {
			return err
		}
		if len(cats) > 0 {
			err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "framework_id"}, {Name: "code"}},
				DoUpdates: clause.AssignmentColumns([]string{"name", "description", "sort_order"}),
			}).Create(&cats).Error
			if err != nil {
				return err
			}
		}
		refs := make([]string, len(reqs))
		for i := range reqs {
			reqs[i].FrameworkID = fw.ID
			reqs[i].Retired = false
			refs[i] = reqs[i].Ref
		}
		if len(reqs) > 0 {
			err := tx.Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "framework_id"}, {Name: "ref"}},
				DoUpdates: clause.AssignmentColumns([]string{"category", "series", "series_name",
					"coso_principle", "title", "description", "sort_order", "retired"}),
			}).CreateInBatches(&reqs, 200).Error
			if err != nil {
				return err
			}
		}
		retire := tx.Model(&Requirement{}).Where("framework_id = ?", fw.ID)
		if len(refs) > 0 {
			retire = retire.Where("ref NOT IN ?", refs)
		}
		return retire.Update("retired", true).Error
	})
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
	err := db.R.WithContext(ctx).
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
