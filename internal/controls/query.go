package controls

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Filter narrows the control list.
type Filter struct {
	OwnerID     int64
	Frequency   string
	Status      string
	Requirement int64 // mapped to this requirement
	NoEvidence  bool  // no current (undeleted) evidence linked
	Text        string
	Sort        string // ref, -ref, title, -title, updated, -updated
	Limit       int
	Offset      int
}

// Row is a control in a list, with its counts.
type Row struct {
	store.Control
	OwnerEmail    string
	MappingCount  int
	EvidenceCount int
}

var sortColumns = map[string]string{
	"ref": "c.ref", "-ref": "c.ref DESC", "title": "c.title", "-title": "c.title DESC",
	"updated": "c.updated_at", "-updated": "c.updated_at DESC",
	"frequency": "c.frequency, c.ref", "owner": "owner_email, c.ref",
}

// SortKeys lists the accepted sort values.
func SortKeys() []string {
	return []string{"ref", "-ref", "title", "-title", "updated", "-updated", "frequency", "owner"}
}

// evidenceCount counts a control's current evidence in a subquery.
const evidenceCount = `(SELECT COUNT(*) FROM evidence_controls ec JOIN evidence e ON e.id = ec.evidence_id
	WHERE ec.control_id = c.id AND e.deleted_at IS NULL)`

// List returns one page of controls and how many match.
func (s *Service) List(ctx context.Context, f Filter) ([]Row, int64, error) {
	q := s.db.R.WithContext(ctx).Table("controls AS c")
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
		q = q.Where(evidenceCount + " = 0")
	}
	if f.Text != "" {
		like := store.LikePattern(f.Text)
		q = q.Where(`(LOWER(c.ref) LIKE ? ESCAPE '\' OR LOWER(c.title) LIKE ? ESCAPE '\')`, like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	order, ok := sortColumns[f.Sort]
	if !ok {
		order = "c.ref"
	}
	rows := []Row{}
	err := q.Select("c.*, COALESCE(u.email, '') AS owner_email, " +
		"(SELECT COUNT(*) FROM control_requirements m WHERE m.control_id = c.id) AS mapping_count, " +
		evidenceCount + " AS evidence_count").
		Joins("LEFT JOIN users u ON u.id = c.owner_id").
		Order(order).Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error
	return rows, total, err
}

// MappedRequirement is a requirement a control serves.
type MappedRequirement struct {
	RequirementID int64
	FrameworkID   string
	Ref           string
	Title         string
	Rationale     string
}

// EvidenceSummary is evidence linked to a control.
type EvidenceSummary struct {
	ID         int64
	Kind       string
	Title      string
	ExpiresOn  *string
	CoversFrom *string
	CoversTo   *string
	AsOf       *string
	UpdatedAt  time.Time
}

// Detail is a control with its mappings and evidence.
type Detail struct {
	Row
	Mappings []MappedRequirement
	Evidence []EvidenceSummary
}

// Get returns one control with everything linked to it.
func (s *Service) Get(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	q := s.db.R.WithContext(ctx)
	var row []Row
	err := q.Table("controls AS c").
		Select("c.*, COALESCE(u.email, '') AS owner_email, "+
			"(SELECT COUNT(*) FROM control_requirements m WHERE m.control_id = c.id) AS mapping_count, "+
			evidenceCount+" AS evidence_count").
		Joins("LEFT JOIN users u ON u.id = c.owner_id").Where("c.id = ?", id).Scan(&row).Error
	if err != nil {
		return d, err
	}
	if len(row) == 0 {
		return d, apperr.NotFound("control %d not found", id)
	}
	d.Row = row[0]
	d.Mappings = []MappedRequirement{}
	err = q.Table("control_requirements AS m").
		Select("m.requirement_id, r.framework_id, r.ref, r.title, m.rationale").
		Joins("JOIN requirements r ON r.id = m.requirement_id").
		Where("m.control_id = ?", id).Order("r.framework_id, r.sort_order").Scan(&d.Mappings).Error
	if err != nil {
		return d, err
	}
	d.Evidence = []EvidenceSummary{}
	err = q.Table("evidence AS e").
		Select("e.id, e.kind, e.title, e.expires_on, e.covers_from, e.covers_to, e.as_of, e.updated_at").
		Joins("JOIN evidence_controls ec ON ec.evidence_id = e.id").
		Where("ec.control_id = ? AND e.deleted_at IS NULL", id).Order("e.id DESC").Scan(&d.Evidence).Error
	return d, err
}
