// Package soc1 keeps the organisation's SOC 1 control objectives: the set
// management states in its report, written from the catalog's templates
// (one industry's complete set at once, or one template at a time) or from
// scratch, reworded as the organisation sees fit.
package soc1

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Store is what the objectives need from the database.
type Store interface {
	auditlog.Transactor // the audit trail is written inside the store's transactions
	GetRequirement(ctx context.Context, frameworkID, ref string) (store.Requirement, error)
	ListRequirements(ctx context.Context, f store.RequirementFilter) ([]store.Requirement, int64, error)
	ListActivities(ctx context.Context, frameworkID string, refs []string) ([]store.TemplateActivity, error)
	ListIndustries(ctx context.Context, frameworkID string) ([]store.Industry, error)
	ControlRefsLike(ctx context.Context, prefix string) ([]string, error)
	CreateMappedControls(ctx context.Context, controls []store.Control, requirementID int64, rationales []string,
		after func(ctx context.Context, mappings []store.Mapping) error) error
	ListObjectives(ctx context.Context) ([]store.Requirement, error)
	CreateObjectives(ctx context.Context, rows []store.Requirement, after store.AfterWrite) error
	UpdateObjective(ctx context.Context, ref string, ifVersion *int64, edit func(r *store.Requirement) (store.AfterWrite, error)) (store.Requirement, error)
}

// Service manages the organisation's SOC 1 objectives.
type Service struct {
	db Store
	// Changed hears which controls were created from suggested activities.
	Changed store.ControlsChanged
}

func NewService(db Store) *Service { return &Service{db: db} }

// Input is an objective as a user writes it. With TemplateRef set, empty
// fields are taken from that template.
type Input struct {
	Ref         string
	TemplateRef string
	Category    string // entity, itgc, business
	Domain      string
	Title       string
	Description string
	// IfVersion, when set, is the version the writer read (If-Match): the
	// save is refused with apperr.KindStale unless the row is still at it.
	IfVersion *int64
}

var objectiveRef = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$`)

// Create adds one objective, from a template (pick, then edit the wording)
// or from scratch. Its ref is its stable ID; the next free CO-nn is used
// when none is given.
func (s *Service) Create(ctx context.Context, in Input) (store.Requirement, error) {
	created, err := s.createAll(ctx, []Input{in}, func(_ int, field string) string { return field })
	if err != nil {
		return store.Requirement{}, err
	}
	return created[0], nil
}

// Adopt adds a whole objective set in one step, in the order given (a
// proposal as the user reworded and trimmed it): all of them or, when one
// cannot be saved, none, with every problem named by its position.
func (s *Service) Adopt(ctx context.Context, ins []Input) ([]store.Requirement, error) {
	if len(ins) == 0 || len(ins) > maxAdopt {
		return nil, apperr.Invalid("nothing adopted", map[string]string{"objectives": fmt.Sprintf("1 to %d objectives", maxAdopt)})
	}
	return s.createAll(ctx, ins, func(i int, field string) string { return fmt.Sprintf("objectives[%d].%s", i, field) })
}

// maxAdopt bounds one adoption; the largest industry set has about twenty.
const maxAdopt = 100

// createAll fills in, checks and writes several objectives in one
// transaction; name says how a field of the i-th input is called in an
// error. Refs left empty get the next free CO-nn.
func (s *Service) createAll(ctx context.Context, ins []Input, name func(i int, field string) string) ([]store.Requirement, error) {
	fields := apperr.Fields{}
	for i := range ins {
		if err := s.fromTemplate(ctx, &ins[i]); err != nil {
			if e, ok := apperr.As(err); ok && e.Kind == apperr.KindInvalid {
				fields[name(i, "template_ref")] = e.Fields["template_ref"]
				continue
			}
			return nil, err
		}
	}
	existing, err := s.db.ListObjectives(ctx)
	if err != nil {
		return nil, err
	}
	var stored, taken []string
	for _, r := range existing {
		stored = append(stored, r.Ref)
	}
	taken = slices.Clone(stored)
	for _, in := range ins {
		if in.Ref != "" {
			taken = append(taken, in.Ref)
		}
	}
	rows := make([]store.Requirement, len(ins))
	for i, in := range ins {
		if in.Ref == "" {
			in.Ref = NextRef(taken)
			taken = append(taken, in.Ref)
		}
		if _, unknown := fields[name(i, "template_ref")]; !unknown {
			for field, msg := range problems(in) {
				fields[name(i, field)] = msg
			}
		}
		switch {
		case containsFold(stored, in.Ref):
			fields[name(i, "ref")] = in.Ref + " exists"
		case slices.ContainsFunc(ins[:i], func(o Input) bool { return strings.EqualFold(o.Ref, in.Ref) }):
			fields[name(i, "ref")] = in.Ref + " is given twice"
		}
		rows[i] = store.Requirement{Ref: in.Ref, Category: in.Category, Series: in.Domain, Title: in.Title,
			Description: in.Description, TemplateRef: in.TemplateRef}
	}
	if len(fields) > 0 {
		return nil, fields.Err("the objectives cannot be saved as given")
	}
	err = s.db.CreateObjectives(ctx, rows, func(ctx context.Context) error {
		events := make([]auditlog.Event, len(rows))
		for i, r := range rows {
			events[i] = auditlog.Event{Action: "objective.create", ObjectType: "requirement",
				ObjectID: store.OrgSOC1 + "/" + r.Ref, Changes: auditlog.Diff(nil, snapshot(r))}
		}
		return auditlog.AppendIn(ctx, s.db, events...)
	})
	if errors.Is(err, store.ErrDuplicate) {
		return nil, apperr.Invalid("an objective ID is taken: reload the objectives and try again", nil)
	}
	return rows, err
}

// fromTemplate fills the empty fields of in from its template, if it has one.
func (s *Service) fromTemplate(ctx context.Context, in *Input) error {
	in.Ref = strings.TrimSpace(in.Ref)
	in.TemplateRef = strings.TrimSpace(in.TemplateRef)
	if in.TemplateRef == "" {
		return nil
	}
	t, err := s.db.GetRequirement(ctx, store.SOC1Templates, in.TemplateRef)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.Invalid("unknown template", map[string]string{"template_ref": in.TemplateRef + " is not a SOC 1 template"})
	} else if err != nil {
		return err
	}
	in.Category = or(in.Category, t.Category)
	in.Domain = or(in.Domain, t.Series)
	in.Title = or(in.Title, t.Title)
	in.Description = or(in.Description, t.Description)
	return nil
}

// NextRef is the first CO-nn, counting from one past the number of refs
// taken, that is not among them (compared without regard to case).
func NextRef(taken []string) string {
	for n := len(taken) + 1; ; n++ {
		ref := fmt.Sprintf("CO-%02d", n)
		if !containsFold(taken, ref) {
			return ref
		}
	}
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return b
}

// problems names every field of an objective that cannot be saved.
func problems(in Input) map[string]string {
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
	return fields
}

func snapshot(r store.Requirement) map[string]any {
	return map[string]any{"ref": r.Ref, "category": r.Category, "domain": r.Series, "title": r.Title,
		"description": r.Description, "template_ref": r.TemplateRef}
}

// Update rewords one objective; its ref, the stable ID mappings and
// reports use, does not change.
func (s *Service) Update(ctx context.Context, ref string, in Input) (store.Requirement, error) {
	r, err := s.db.UpdateObjective(ctx, ref, in.IfVersion, func(r *store.Requirement) (store.AfterWrite, error) {
		before := snapshot(*r)
		in.Ref = r.Ref
		in.Category, in.Domain = or(in.Category, r.Category), or(in.Domain, r.Series)
		in.Title, in.Description = or(in.Title, r.Title), or(in.Description, r.Description)
		if fields := problems(in); len(fields) > 0 {
			return nil, apperr.Invalid("the objective cannot be saved as given", fields)
		}
		r.Category, r.Series, r.Title, r.Description = in.Category, in.Domain, in.Title, in.Description
		return func(ctx context.Context) error {
			return auditlog.AppendIn(ctx, s.db, auditlog.Event{Action: "objective.update", ObjectType: "requirement",
				ObjectID: store.OrgSOC1 + "/" + r.Ref, Changes: auditlog.Diff(before, snapshot(*r))})
		}, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return r, apperr.NotFound("objective %s not found", ref)
	}
	return r, err
}
