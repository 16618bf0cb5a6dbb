package evidence

import (
	"context"
	"time"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// Status says whether evidence is still good on a day: current, expiring
// (within the warning window) or expired.
func Status(expiresOn *string, today string, warnUntil string) string {
	switch {
	case expiresOn == nil:
		return "current"
	case *expiresOn < today:
		return "expired"
	case *expiresOn <= warnUntil:
		return "expiring"
	}
	return "current"
}

// Filter narrows the evidence library.
type Filter struct {
	ControlID    int64
	Kind         string
	Text         string
	ExpiringDays int // with Expiring: only evidence expiring within this many days (or expired)
	Expiring     bool
	// Deleted lists instead the evidence deleted within RestoreDays, the
	// evidence that can still be restored.
	Deleted bool
	Sort    string // one of SortKeys; default newest first
	Limit   int
	Offset  int
}

var sortColumns = map[string]string{
	"-id": "e.id DESC", "id": "e.id", "title": "e.title, e.id", "-title": "e.title DESC, e.id",
	"expires": "e.expires_on IS NULL, e.expires_on, e.id", "-expires": "e.expires_on IS NULL, e.expires_on DESC, e.id",
	"collected": "e.collected_on IS NULL, e.collected_on, e.id", "-collected": "e.collected_on IS NULL, e.collected_on DESC, e.id",
}

// SortKeys lists the accepted sort values of List.
func SortKeys() []string {
	return []string{"-id", "id", "title", "-title", "expires", "-expires", "collected", "-collected"}
}

// Row is evidence in a list.
type Row struct {
	store.Evidence
	ControlRefs  string // comma-separated
	Revisions    int
	LatestSHA256 string `gorm:"column:latest_sha256"`
	LatestName   string
	LatestSize   int64
}

const listColumns = `e.*,
	(SELECT COUNT(*) FROM evidence_files f WHERE f.evidence_id = e.id) AS revisions,
	COALESCE((SELECT f.sha256 FROM evidence_files f WHERE f.evidence_id = e.id ORDER BY f.revision DESC LIMIT 1), '') AS latest_sha256,
	COALESCE((SELECT f.original_name FROM evidence_files f WHERE f.evidence_id = e.id ORDER BY f.revision DESC LIMIT 1), '') AS latest_name,
	COALESCE((SELECT f.size FROM evidence_files f WHERE f.evidence_id = e.id ORDER BY f.revision DESC LIMIT 1), 0) AS latest_size`

// List returns one page of live evidence, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Row, int64, error) {
	q := s.db.R.WithContext(ctx).Table("evidence AS e").Where("e.deleted_at IS NULL")
	if f.Deleted {
		q = s.db.R.WithContext(ctx).Table("evidence AS e").
			Where("e.deleted_at IS NOT NULL AND e.deleted_at >= ?", s.now().AddDate(0, 0, -RestoreDays))
	}
	if f.ControlID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM evidence_controls ec WHERE ec.evidence_id = e.id AND ec.control_id = ?)", f.ControlID)
	}
	if f.Kind != "" {
		q = q.Where("e.kind = ?", f.Kind)
	}
	if f.Text != "" {
		like := store.LikePattern(f.Text)
		q = q.Where(`(LOWER(e.title) LIKE ? ESCAPE '\' OR LOWER(e.description) LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Expiring {
		until := s.now().AddDate(0, 0, f.ExpiringDays).Format(time.DateOnly)
		q = q.Where("e.expires_on IS NOT NULL AND e.expires_on <= ?", until)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	rows := []Row{}
	order, ok := sortColumns[f.Sort]
	if !ok {
		order = sortColumns["-id"]
	}
	if err := q.Select(listColumns).Order(order).Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	return rows, total, s.fillControlRefs(ctx, rows)
}

// fillControlRefs adds the linked control references with one query for the page.
func (s *Service) fillControlRefs(ctx context.Context, rows []Row) error {
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
	err := s.db.R.WithContext(ctx).Table("evidence_controls AS ec").Select("ec.evidence_id, c.ref").
		Joins("JOIN controls c ON c.id = ec.control_id").Where("ec.evidence_id IN ?", ids).
		Order("c.ref").Scan(&links).Error
	if err != nil {
		return err
	}
	byID := map[int64]string{}
	for _, l := range links {
		if byID[l.EvidenceID] != "" {
			byID[l.EvidenceID] += ", "
		}
		byID[l.EvidenceID] += l.Ref
	}
	for i := range rows {
		rows[i].ControlRefs = byID[rows[i].ID]
	}
	return nil
}

// LinkedControl is a control evidence supports.
type LinkedControl struct {
	ID    int64
	Ref   string
	Title string
}

// Detail is evidence with its controls and every file revision.
type Detail struct {
	Row
	Controls  []LinkedControl
	Revisions []store.EvidenceFile
}

// Get returns one live evidence item with its controls and revisions.
func (s *Service) Get(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	q := s.db.R.WithContext(ctx)
	var rows []Row
	if err := q.Table("evidence AS e").Select(listColumns).Where("e.id = ? AND e.deleted_at IS NULL", id).Scan(&rows).Error; err != nil {
		return d, err
	}
	if len(rows) == 0 {
		return d, apperr.NotFound("evidence %d not found", id)
	}
	if err := s.fillControlRefs(ctx, rows); err != nil {
		return d, err
	}
	d.Row = rows[0]
	d.Controls = []LinkedControl{}
	if err := q.Table("controls AS c").Select("c.id, c.ref, c.title").
		Joins("JOIN evidence_controls ec ON ec.control_id = c.id").Where("ec.evidence_id = ?", id).
		Order("c.ref").Scan(&d.Controls).Error; err != nil {
		return d, err
	}
	d.Revisions = []store.EvidenceFile{}
	err := q.Where("evidence_id = ?", id).Order("revision DESC").Find(&d.Revisions).Error
	return d, err
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

// WindowUse is an occurrence window of an engagement the evidence was
// attached to as speaking for it.
type WindowUse struct {
	EngagementID   int64  `json:"engagement_id"`
	EngagementName string `json:"engagement_name"`
	ControlID      int64  `json:"control_id"`
	ControlRef     string `json:"control_ref"`
	WindowStart    string `json:"window_start"`
}

// Usage is where the engagements use one evidence item: the conclusions
// that rely on it and the windows it was attached to.
func (s *Service) Usage(ctx context.Context, id int64) ([]Reliance, []WindowUse, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, nil, err
	}
	q := s.db.R.WithContext(ctx)
	relied := []Reliance{}
	err := q.Table("engagement_evidence AS x").
		Select("x.engagement_id, g.name AS engagement_name, x.control_id, c.ref AS control_ref, x.revision").
		Joins("JOIN engagements g ON g.id = x.engagement_id").Joins("JOIN controls c ON c.id = x.control_id").
		Where("x.evidence_id = ?", id).Order("x.engagement_id, c.ref").Scan(&relied).Error
	if err != nil {
		return nil, nil, err
	}
	windows := []WindowUse{}
	err = q.Table("window_evidence AS w").
		Select("w.engagement_id, g.name AS engagement_name, w.control_id, c.ref AS control_ref, w.window_start").
		Joins("JOIN engagements g ON g.id = w.engagement_id").Joins("JOIN controls c ON c.id = w.control_id").
		Where("w.evidence_id = ?", id).Order("w.engagement_id, c.ref, w.window_start").Scan(&windows).Error
	return relied, windows, err
}
