package controls

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// OrgSOC1 is the framework that holds the organisation's own SOC 1 control
// objectives; SOC1Templates the catalog they may start from.
const (
	OrgSOC1       = "org-soc1"
	SOC1Templates = "soc1-objective-templates"
)

// ObjectiveInput is a SOC 1 objective as a user writes it. With
// TemplateRef set, empty fields are taken from that template.
type ObjectiveInput struct {
	Ref         string
	TemplateRef string
	Category    string // entity, itgc, business
	Domain      string
	Title       string
	Description string
}

var objectiveRef = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$`)

// CreateObjective adds one of the organisation's SOC 1 control objectives,
// from a template (pick, then edit the wording) or from scratch. Its ref
// is its stable ID; the next free CO-nn is used when none is given.
func (s *Service) CreateObjective(ctx context.Context, in ObjectiveInput) (store.Requirement, error) {
	var r store.Requirement
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.TemplateRef != "" {
			var t store.Requirement
			err := tx.Take(&t, "framework_id = ? AND ref = ? AND NOT retired", SOC1Templates, in.TemplateRef).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.Invalid("unknown template", map[string]string{"template_ref": in.TemplateRef + " is not a SOC 1 template"})
			} else if err != nil {
				return err
			}
			in.Category = or(in.Category, t.Category)
			in.Domain = or(in.Domain, t.Series)
			in.Title = or(in.Title, t.Title)
			in.Description = or(in.Description, t.Description)
		}
		if in.Ref == "" {
			var n int64
			tx.Model(&store.Requirement{}).Where("framework_id = ?", OrgSOC1).Count(&n)
			in.Ref = nextFreeRef(tx, n+1)
		}
		if err := validateObjective(in); err != nil {
			return err
		}
		var order int
		tx.Model(&store.Requirement{}).Where("framework_id = ?", OrgSOC1).Select("COALESCE(MAX(sort_order), 0)").Scan(&order)
		r = store.Requirement{FrameworkID: OrgSOC1, Ref: in.Ref, Category: in.Category, Series: in.Domain,
			Title: in.Title, Description: in.Description, SortOrder: order + 1, TemplateRef: in.TemplateRef}
		if err := tx.Create(&r).Error; err != nil {
			if store.IsDuplicate(err) {
				return apperr.Invalid("this objective ID is taken", map[string]string{"ref": in.Ref + " exists"})
			}
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "objective.create", ObjectType: "requirement",
			ObjectID: OrgSOC1 + "/" + r.Ref, Changes: auditlog.Diff(nil, objectiveSnapshot(r))})
	})
	return r, err
}

func nextFreeRef(tx *gorm.DB, n int64) string {
	for ; ; n++ {
		ref := fmt.Sprintf("CO-%02d", n)
		var taken int64
		tx.Model(&store.Requirement{}).Where("framework_id = ? AND ref = ?", OrgSOC1, ref).Count(&taken)
		if taken == 0 {
			return ref
		}
	}
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return b
}

func validateObjective(in ObjectiveInput) error {
	fields := map[string]string{}
	if !objectiveRef.MatchString(in.Ref) {
		fields["ref"] = "1 to 32 letters, digits, dots or dashes, e.g. CO-01"
	}
	switch in.Category {
	case "entity", "itgc", "business":
	default:
		fields["category"] = "must be entity, itgc or business"
	}
	if strings.TrimSpace(in.Title) == "" || len([]rune(in.Title)) > 200 {
		fields["title"] = "required, at most 200 characters"
	}
	if strings.TrimSpace(in.Description) == "" || len([]rune(in.Description)) > 4000 {
		fields["description"] = "required, at most 4000 characters"
	}
	if len([]rune(in.Domain)) > 100 {
		fields["domain"] = "at most 100 characters"
	}
	if len(fields) > 0 {
		return apperr.Invalid("the objective cannot be saved as given", fields)
	}
	return nil
}

func objectiveSnapshot(r store.Requirement) map[string]any {
	return map[string]any{"ref": r.Ref, "category": r.Category, "domain": r.Series, "title": r.Title,
		"description": r.Description, "template_ref": r.TemplateRef}
}

// UpdateObjective rewords one of the organisation's objectives; its ref,
// the stable ID mappings and reports use, does not change.
func (s *Service) UpdateObjective(ctx context.Context, ref string, in ObjectiveInput) (store.Requirement, error) {
	var r store.Requirement
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Take(&r, "framework_id = ? AND ref = ?", OrgSOC1, ref).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.NotFound("objective %s not found", ref)
		} else if err != nil {
			return err
		}
		before := objectiveSnapshot(r)
		in.Ref = r.Ref
		in.Category, in.Domain = or(in.Category, r.Category), or(in.Domain, r.Series)
		in.Title, in.Description = or(in.Title, r.Title), or(in.Description, r.Description)
		if err := validateObjective(in); err != nil {
			return err
		}
		r.Category, r.Series, r.Title, r.Description = in.Category, in.Domain, in.Title, in.Description
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "objective.update", ObjectType: "requirement",
			ObjectID: OrgSOC1 + "/" + r.Ref, Changes: auditlog.Diff(before, objectiveSnapshot(r))})
	})
	return r, err
}
