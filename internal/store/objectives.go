package store

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// The organisation's own SOC 1 control objectives are requirements of a
// framework of their own, which catalog loading never touches; the
// catalog's templates are the framework they may start from.
const (
	OrgSOC1       = "org-soc1"
	SOC1Templates = "soc1-objective-templates"
)

// AfterWrite runs inside a write transaction once its rows are written,
// with a context that carries the transaction (see InTx), so that what
// records the change (the audit trail, which lives above the store)
// commits or rolls back with it.
type AfterWrite func(ctx context.Context) error

// ListObjectives returns the organisation's SOC 1 objectives in their order.
func (db *DB) ListObjectives(ctx context.Context) ([]Requirement, error) {
	out := []Requirement{}
	err := db.R.WithContext(ctx).Where("framework_id = ?", OrgSOC1).Order("sort_order, id").Find(&out).Error
	return out, err
}

// CreateObjectives adds objectives to the organisation's set, after the
// existing ones and in the order given, all in one transaction: one that
// cannot be written (a taken ref is ErrDuplicate) leaves none written.
func (db *DB) CreateObjectives(ctx context.Context, rows []Requirement, after AfterWrite) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		var last int
		err := tx.Model(&Requirement{}).Where("framework_id = ?", OrgSOC1).
			Select("COALESCE(MAX(sort_order), 0)").Scan(&last).Error
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].ID, rows[i].FrameworkID, rows[i].SortOrder = 0, OrgSOC1, last+i+1
		}
		if err := tx.Create(&rows).Error; err != nil {
			if IsDuplicate(err) {
				return ErrDuplicate
			}
			return err
		}
		return after(ctx)
	})
}

// UpdateObjective loads one of the organisation's objectives, lets edit
// change it and saves it, in one transaction. edit may refuse the change
// with an error, which is returned as it is. ifVersion, when set, is the
// version the writer read (If-Match).
func (db *DB) UpdateObjective(ctx context.Context, ref string, ifVersion *int64, edit func(r *Requirement) (AfterWrite, error)) (Requirement, error) {
	var r Requirement
	err := db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		err := tx.Take(&r, "framework_id = ? AND ref = ?", OrgSOC1, ref).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		after, err := edit(&r)
		if err != nil {
			return err
		}
		if err := SaveVersion(tx, &r, ifVersion); err != nil {
			return err
		}
		return after(ctx)
	})
	return r, err
}

// ControlRefsLike returns the refs of the controls whose ref starts with
// prefix, compared without regard to case.
func (db *DB) ControlRefsLike(ctx context.Context, prefix string) ([]string, error) {
	var refs []string
	err := db.R.WithContext(ctx).Model(&Control{}).
		Where(`LOWER(ref) LIKE ? ESCAPE '\'`, escapeLike(strings.ToLower(prefix))+"%").Pluck("ref", &refs).Error
	return refs, err
}

// CreateMappedControls adds controls, each mapped to one requirement with
// its rationale (rationales[i] for controls[i]), in one transaction: a
// taken ref (ErrDuplicate) leaves none written. The controls get their IDs.
func (db *DB) CreateMappedControls(ctx context.Context, controls []Control, requirementID int64, rationales []string,
	after func(ctx context.Context, mappings []Mapping) error) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Create(&controls).Error; err != nil {
			if IsDuplicate(err) {
				return ErrDuplicate
			}
			return err
		}
		mappings := make([]Mapping, len(controls))
		for i, c := range controls {
			mappings[i] = Mapping{ControlID: c.ID, RequirementID: requirementID, Rationale: rationales[i], CreatedAt: c.CreatedAt}
		}
		if err := tx.Create(&mappings).Error; err != nil {
			return err
		}
		return after(ctx, mappings)
	})
}
