package store

import (
	"context"
	"strings"
	"time"
)

// EvidenceFilter narrows the evidence library.
type EvidenceFilter struct {
	ControlID int64
	Kind      string
	Text      string
	// ExpiringBy, when set (YYYY-MM-DD), keeps the evidence that expires
	// on or before that day.
	ExpiringBy string
	// DeletedSince, when set, lists instead the evidence deleted at or
	// after that time.
	DeletedSince *time.Time
	Sort         string // one of EvidenceSortKeys; default newest first
	Limit        int
	Offset       int
}

var evidenceSort = map[string]string{
	"-id": "e.id DESC", "id": "e.id", "title": "e.title, e.id", "-title": "e.title DESC, e.id",
	"expires": "e.expires_on IS NULL, e.expires_on, e.id", "-expires": "e.expires_on IS NULL, e.expires_on DESC, e.id",
	"collected": "e.collected_on IS NULL, e.collected_on, e.id", "-collected": "e.collected_on IS NULL, e.collected_on DESC, e.id",
}

// EvidenceSortKeys lists the accepted sort values of ListEvidence.
func EvidenceSortKeys() []string {
	return []string{"-id", "id", "title", "-title", "expires", "-expires", "collected", "-collected"}
}

// EvidenceRow is evidence in a list, with its latest file.
type EvidenceRow struct {
	Evidence
	ControlRefs  string // comma-separated
	Revisions    int
	LatestSHA256 string `gorm:"column:latest_sha256"`
	LatestName   string
	LatestSize   int64
}

const evidenceRowColumns = `e.*,
	(SELECT COUNT(*) FROM evidence_files f WHERE f.evidence_id = e.id) AS revisions,
	COALESCE((SELECT f.sha256 FROM evidence_files f WHERE f.evidence_id = e.id ORDER BY f.revision DESC LIMIT 1), '') AS latest_sha256,
	COALESCE((SELECT f.original_name FROM evidence_files f WHERE f.evidence_id = e.id ORDER BY f.revision DESC LIMIT 1), '') AS latest_name,
	COALESCE((SELECT f.size FROM evidence_files f WHERE f.evidence_id = e.id ORDER BY f.revision DESC LIMIT 1), 0) AS latest_size`

// ListEvidence returns one page of evidence and how many match.
func (db *DB) ListEvidence(ctx context.Context, f EvidenceFilter) ([]EvidenceRow, int64, error) {
	q := db.Conn(ctx, false).Table("evidence AS e").Where(liveEvidence)
	if f.DeletedSince != nil {
		q = db.Conn(ctx, false).Table("evidence AS e").
			Where("e.deleted_at IS NOT NULL AND e.deleted_at >= ?", *f.DeletedSince)
	}
	if f.ControlID != 0 {
		// Driven from the control's links, not tested per evidence row: the
		// EXISTS form made SQLite walk all 100,000 records of the large
		// programme to find a control's hundred.
		q = q.Where("e.id IN (SELECT ec.evidence_id FROM evidence_controls ec WHERE ec.control_id = ?)", f.ControlID)
	}
	if f.Kind != "" {
		q = q.Where("e.kind = ?", f.Kind)
	}
	if f.Text != "" {
		like := LikePattern(f.Text)
		q = q.Where(`(LOWER(e.title) LIKE ? ESCAPE '\' OR LOWER(e.description) LIKE ? ESCAPE '\')`, like, like)
	}
	if f.ExpiringBy != "" {
		q = q.Where("e.expires_on IS NOT NULL AND e.expires_on <= ?", f.ExpiringBy)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	rows := []EvidenceRow{}
	order, ok := evidenceSort[f.Sort]
	if !ok {
		order = evidenceSort["-id"]
	}
	if err := q.Select(evidenceRowColumns).Order(order).Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	return rows, total, db.fillControlRefs(ctx, rows)
}

// LiveEvidenceRow returns one live evidence item as it appears in a list;
// ErrNotFound when there is none.
func (db *DB) LiveEvidenceRow(ctx context.Context, id int64) (EvidenceRow, error) {
	var rows []EvidenceRow
	if err := db.Conn(ctx, false).Table("evidence AS e").Select(evidenceRowColumns).
		Where("e.id = ? AND "+liveEvidence, id).Scan(&rows).Error; err != nil {
		return EvidenceRow{}, err
	}
	if len(rows) == 0 {
		return EvidenceRow{}, ErrNotFound
	}
	err := db.fillControlRefs(ctx, rows)
	return rows[0], err
}

// fillControlRefs adds the linked control references with one query for the page.
func (db *DB) fillControlRefs(ctx context.Context, rows []EvidenceRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var links []struct {
		EvidenceID int64
		Ref        string
	}
	err := db.Conn(ctx, false).Table("evidence_controls AS ec").Select("ec.evidence_id, c.ref").
		Joins("JOIN controls c ON c.id = ec.control_id").Where("ec.evidence_id IN ?", ids).
		Order("c.ref").Scan(&links).Error
	if err != nil {
		return err
	}
	byID := map[int64][]string{}
	for _, l := range links {
		byID[l.EvidenceID] = append(byID[l.EvidenceID], l.Ref)
	}
	for i := range rows {
		rows[i].ControlRefs = strings.Join(byID[rows[i].ID], ", ")
	}
	return nil
}

// LinkedControl is a control evidence supports.
type LinkedControl struct {
	ID    int64
	Ref   string
	Title string
}

// ControlsOfEvidence lists the controls evidence supports, by ref.
func (db *DB) ControlsOfEvidence(ctx context.Context, evidenceID int64) ([]LinkedControl, error) {
	out := []LinkedControl{}
	err := db.Conn(ctx, false).Table("controls AS c").Select("c.id, c.ref, c.title").
		Joins("JOIN evidence_controls ec ON ec.control_id = c.id").Where("ec.evidence_id = ?", evidenceID).
		Order("c.ref").Scan(&out).Error
	return out, err
}

// Reliance is an engagement's conclusion on a control that relies on the
// evidence, pinned to a revision (nil for links and notes).
type Reliance struct {
	EngagementID   int64  `json:"engagement_id"`
	EngagementName string `json:"engagement_name"`
	ControlID      int64  `json:"control_id"`
	ControlRef     string `json:"control_ref"`
	Revision       *int   `json:"revision"`
}

// ReliancesOn lists the conclusions that rely on the evidence, by
// engagement and control ref.
func (db *DB) ReliancesOn(ctx context.Context, evidenceID int64) ([]Reliance, error) {
	out := []Reliance{}
	err := db.Conn(ctx, false).Table("engagement_evidence AS x").
		Select("x.engagement_id, g.name AS engagement_name, x.control_id, c.ref AS control_ref, x.revision").
		Joins("JOIN engagements g ON g.id = x.engagement_id").Joins("JOIN controls c ON c.id = x.control_id").
		Where("x.evidence_id = ?", evidenceID).Order("x.engagement_id, c.ref").Scan(&out).Error
	return out, err
}

// WindowUse is an occurrence window of an engagement the evidence was
// attached to as speaking for it.
type WindowUse struct {
	EngagementID   int64  `json:"engagement_id"`
	EngagementName string `json:"engagement_name"`
	ControlID      int64  `json:"control_id"`
	ControlRef     string `json:"control_ref"`
	WindowStart    string `json:"window_start"`
}

// WindowsUsing lists the occurrence windows the evidence was attached to,
// by engagement, control ref and window.
func (db *DB) WindowsUsing(ctx context.Context, evidenceID int64) ([]WindowUse, error) {
	out := []WindowUse{}
	err := db.Conn(ctx, false).Table("window_evidence AS w").
		Select("w.engagement_id, g.name AS engagement_name, w.control_id, c.ref AS control_ref, w.window_start").
		Joins("JOIN engagements g ON g.id = w.engagement_id").Joins("JOIN controls c ON c.id = w.control_id").
		Where("w.evidence_id = ?", evidenceID).Order("w.engagement_id, c.ref, w.window_start").Scan(&out).Error
	return out, err
}
