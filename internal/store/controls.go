package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// ErrReferenced is a delete refused because other rows still refer to
// the row.
var ErrReferenced = errors.New("referred to by other rows")

// ControlFilter narrows the control list.
type ControlFilter struct {
	OwnerID     int64
	Frequency   string
	Status      string
	Requirement int64 // mapped to this requirement
	NoEvidence  bool  // no live evidence linked
	Text        string
	Sort        string // one of ControlSortKeys
	Limit       int
	Offset      int
}

// ControlRow is a control in a list, with its counts.
type ControlRow struct {
	Control
	OwnerEmail    string
	MappingCount  int
	EvidenceCount int
}

var controlSort = map[string]string{
	"ref": "c.ref", "-ref": "c.ref DESC", "title": "c.title", "-title": "c.title DESC",
	"updated": "c.updated_at", "-updated": "c.updated_at DESC",
	"frequency": "c.frequency, c.ref", "owner": "owner_email, c.ref",
}

// ControlSortKeys lists the accepted sort values of ListControls.
func ControlSortKeys() []string {
	return []string{"ref", "-ref", "title", "-title", "updated", "-updated", "frequency", "owner"}
}

// controlEvidenceCount counts a control's live evidence in a subquery.
const controlEvidenceCount = `(SELECT COUNT(*) FROM evidence_controls ec JOIN evidence e ON e.id = ec.evidence_id
	WHERE ec.control_id = c.id AND ` + liveEvidence + `)`

const controlRowColumns = "c.*, COALESCE(u.email, '') AS owner_email, " +
	"(SELECT COUNT(*) FROM control_requirements m WHERE m.control_id = c.id) AS mapping_count, " +
	controlEvidenceCount + " AS evidence_count"

// ListControls returns one page of controls (by ref unless f.Sort says
// otherwise) and how many match.
func (db *DB) ListControls(ctx context.Context, f ControlFilter) ([]ControlRow, int64, error) {
	q := db.Conn(ctx, false).Table("controls AS c")
	if f.OwnerID != 0 {
		q = q.Where("c.owner_id = ?", f.OwnerID)
	}
	if f.Frequency != "" {
		q = q.Where("c.frequency = ?", f.Frequency)
	}
	if f.Status != "" {
		q = q.Where("c.status = ?", f.Status)
	}
	if f.Requirement != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM control_requirements m WHERE m.control_id = c.id AND m.requirement_id = ?)", f.Requirement)
	}
	if f.NoEvidence {
		q = q.Where(controlEvidenceCount + " = 0")
	}
	if f.Text != "" {
		like := LikePattern(f.Text)
		q = q.Where(`(LOWER(c.ref) LIKE ? ESCAPE '\' OR LOWER(c.title) LIKE ? ESCAPE '\')`, like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	order, ok := controlSort[f.Sort]
	if !ok {
		order = "c.ref"
	}
	rows := []ControlRow{}
	err := q.Select(controlRowColumns).Joins("LEFT JOIN users u ON u.id = c.owner_id").
		Order(order).Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error
	return rows, total, err
}

// ControlRowByID returns one control with its counts, ErrNotFound when
// there is none.
func (db *DB) ControlRowByID(ctx context.Context, id int64) (ControlRow, error) {
	var rows []ControlRow
	err := db.Conn(ctx, false).Table("controls AS c").Select(controlRowColumns).
		Joins("LEFT JOIN users u ON u.id = c.owner_id").Where("c.id = ?", id).Scan(&rows).Error
	if err != nil {
		return ControlRow{}, err
	}
	if len(rows) == 0 {
		return ControlRow{}, ErrNotFound
	}
	return rows[0], nil
}

// ControlByID returns a control, ErrNotFound when there is none.
func (db *DB) ControlByID(ctx context.Context, id int64) (Control, error) {
	var c Control
	err := db.Conn(ctx, false).Take(&c, id).Error
	return c, notFound(err)
}

// ControlExists reports whether there is a control with this ID.
func (db *DB) ControlExists(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&Control{}).Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// ControlRefOf is a control's reference, "" when there is no such control.
func (db *DB) ControlRefOf(ctx context.Context, id int64) (string, error) {
	var c Control
	err := db.Conn(ctx, false).Select("ref").Where("id = ?", id).Limit(1).Find(&c).Error
	return c.Ref, err
}

// AllControls returns every control, in no particular order.
func (db *DB) AllControls(ctx context.Context) ([]Control, error) {
	var all []Control
	err := db.Conn(ctx, false).Find(&all).Error
	return all, err
}

// CreateControl inserts a control and sets its ID; a taken reference is
// a duplicate (IsDuplicate).
func (db *DB) CreateControl(ctx context.Context, c *Control) error {
	return db.Conn(ctx, true).Create(c).Error
}

// SaveControl writes a control back if it is still at the version read
// (or at expect, when given; see SaveVersion).
func (db *DB) SaveControl(ctx context.Context, c *Control, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), c, expect)
}

// ControlDeleteBlocker names why a control stays on record, or "" when
// nothing refers to it but its mappings: its evidence, its windows
// marked not expected, a control it replaced, or its history (see
// controlHistory), with how many.
type ControlDeleteBlocker struct {
	Evidence    int64
	WindowMarks int64
	Successor   string // the control recorded as replaced by it
	History     string
}

// ControlBlockers says what keeps a control on record, checking in order
// and stopping at the first that does.
func (db *DB) ControlBlockers(ctx context.Context, id int64) (ControlDeleteBlocker, error) {
	var b ControlDeleteBlocker
	tx := db.Conn(ctx, false)
	if err := tx.Model(&EvidenceControl{}).Where("control_id = ?", id).Count(&b.Evidence).Error; err != nil || b.Evidence > 0 {
		return b, err
	}
	if err := tx.Model(&WindowMark{}).Where("control_id = ?", id).Count(&b.WindowMarks).Error; err != nil || b.WindowMarks > 0 {
		return b, err
	}
	var successor Control
	if err := tx.Select("ref").Where("replaced_by = ?", id).Limit(1).Find(&successor).Error; err != nil || successor.Ref != "" {
		b.Successor = successor.Ref
		return b, err
	}
	var err error
	b.History, err = ControlHistory(tx, id)
	return b, err
}

// DeleteControl removes a control and its mappings. A row that still
// refers to it makes it ErrReferenced, and nothing is removed.
func (db *DB) DeleteControl(ctx context.Context, c Control) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Delete(&Mapping{}, "control_id = ?", c.ID).Error; err != nil {
			return err
		}
		err := tx.Delete(&c).Error
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			return ErrReferenced
		}
		return err
	})
}

// MappedRequirement is a requirement a control serves.
type MappedRequirement struct {
	RequirementID int64
	FrameworkID   string
	Ref           string
	Title         string
	Rationale     string
}

// RequirementsOfControl lists the requirements a control is mapped to,
// by framework and their order.
func (db *DB) RequirementsOfControl(ctx context.Context, id int64) ([]MappedRequirement, error) {
	out := []MappedRequirement{}
	err := db.Conn(ctx, false).Table("control_requirements AS m").
		Select("m.requirement_id, r.framework_id, r.ref, r.title, m.rationale").
		Joins("JOIN requirements r ON r.id = m.requirement_id").
		Where("m.control_id = ?", id).Order("r.framework_id, r.sort_order").Scan(&out).Error
	return out, err
}

// ControlEvidence is live evidence linked to a control.
type ControlEvidence struct {
	ID         int64
	Kind       string
	Title      string
	ExpiresOn  *string
	CoversFrom *string
	CoversTo   *string
	AsOf       *string
	UpdatedAt  time.Time
}

// EvidenceOfControl lists a control's live evidence, newest first.
func (db *DB) EvidenceOfControl(ctx context.Context, id int64) ([]ControlEvidence, error) {
	out := []ControlEvidence{}
	err := db.Conn(ctx, false).Table("evidence AS e").
		Select("e.id, e.kind, e.title, e.expires_on, e.covers_from, e.covers_to, e.as_of, e.updated_at").
		Joins("JOIN evidence_controls ec ON ec.evidence_id = e.id").
		Where("ec.control_id = ? AND "+liveEvidence, id).Order("e.id DESC").Scan(&out).Error
	return out, err
}
