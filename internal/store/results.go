package store

import (
	"context"
	"slices"
	"time"
)

// Result is the row of what an engagement concluded on one control.
type Result struct {
	EngagementID int64 `gorm:"primaryKey"`
	ControlID    int64 `gorm:"primaryKey"`
	DesignResult string
	DesignNotes  string
	// Implementation is a Type I's conclusion on whether the control was in
	// place as of the date; ImplementedOn the day it was put in place, when
	// the tester gives it (else the control's implemented-on date counts).
	Implementation  string
	ImplementedOn   *string
	TestMethods     string // comma-separated
	TestProcedure   string
	Result          string
	ExceptionsFound int
	TestedCount     int
	ResultNotes     string
	SampleRisk      string // "" is the engagement's risk level
	ShortfallReason string // why fewer items were tested than required
	UpdatedAt       time.Time
	Signatures
	Versioned
}

func (Result) TableName() string { return "engagement_control_results" }

// ResultsOfControl lists a control's results in every engagement.
func (db *DB) ResultsOfControl(ctx context.Context, controlID int64) ([]Result, error) {
	var rows []Result
	err := db.Conn(ctx, false).Where("control_id = ?", controlID).Find(&rows).Error
	return rows, err
}

// ResultOf returns a control's result in an engagement; one not recorded
// yet is the zero row at version 0.
func (db *DB) ResultOf(ctx context.Context, engagementID, controlID int64) (Result, error) {
	r := Result{EngagementID: engagementID, ControlID: controlID}
	err := db.Conn(ctx, false).Find(&r, "engagement_id = ? AND control_id = ?", engagementID, controlID).Error
	return r, err
}

// ReliedEvidence is a piece of evidence a conclusion relies on, pinned to
// the revision it was relied on in (nil for a link or a note).
type ReliedEvidence struct {
	EngagementID int64 `gorm:"primaryKey"`
	ControlID    int64 `gorm:"primaryKey"`
	EvidenceID   int64 `gorm:"primaryKey"`
	Revision     *int
}

func (ReliedEvidence) TableName() string { return "engagement_evidence" }

// SaveResult writes r, read in ctx, and bumps its version (see SaveVersion).
func (db *DB) SaveResult(ctx context.Context, r *Result, ifVersion *int64) error {
	return SaveVersion(db.Conn(ctx, true), r, ifVersion)
}

// MarkResultUnreviewed clears the review of a conclusion that changed.
func (db *DB) MarkResultUnreviewed(ctx context.Context, engagementID, controlID int64) error {
	return db.Conn(ctx, true).Model(&Result{}).Where("engagement_id = ? AND control_id = ?", engagementID, controlID).
		Updates(Unreviewed()).Error
}

// ResultsOf lists an engagement's recorded results.
func (db *DB) ResultsOf(ctx context.Context, engagementID int64) ([]Result, error) {
	var rows []Result
	err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Find(&rows).Error
	return rows, err
}

// ReliedEvidenceIDs lists the evidence a conclusion relies on, by ID.
func (db *DB) ReliedEvidenceIDs(ctx context.Context, engagementID, controlID int64) ([]int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Model(&ReliedEvidence{}).Where("engagement_id = ? AND control_id = ?", engagementID, controlID).
		Order("evidence_id").Pluck("evidence_id", &ids).Error
	return ids, err
}

// ReliedEvidenceOf lists the evidence every conclusion of an engagement
// relies on, by evidence ID.
func (db *DB) ReliedEvidenceOf(ctx context.Context, engagementID int64) ([]ReliedEvidence, error) {
	var links []ReliedEvidence
	err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Order("evidence_id").Find(&links).Error
	return links, err
}

// PinnedRevisions lists the relied-on evidence with files of one control
// (every control with controlID 0), with the revision each is pinned to.
func (db *DB) PinnedRevisions(ctx context.Context, engagementID, controlID int64) ([]ReliedEvidence, error) {
	q := db.Conn(ctx, false).Where("engagement_id = ? AND revision IS NOT NULL", engagementID)
	if controlID != 0 {
		q = q.Where("control_id = ?", controlID)
	}
	var links []ReliedEvidence
	err := q.Find(&links).Error
	return links, err
}

// PinEvidence makes evidence the set a conclusion relies on. Evidence it
// relied on already keeps the revision it was pinned to; evidence new to
// it is pinned to its newest revision now.
func (db *DB) PinEvidence(ctx context.Context, engagementID, controlID int64, evidence []int64) error {
	tx := db.Conn(ctx, true)
	q := tx.Where("engagement_id = ? AND control_id = ?", engagementID, controlID)
	if len(evidence) > 0 {
		q = q.Where("evidence_id NOT IN ?", evidence)
	}
	if err := q.Delete(&ReliedEvidence{}).Error; err != nil {
		return err
	}
	var kept []int64
	if err := tx.Model(&ReliedEvidence{}).Where("engagement_id = ? AND control_id = ?", engagementID, controlID).
		Pluck("evidence_id", &kept).Error; err != nil {
		return err
	}
	for _, ev := range evidence {
		if slices.Contains(kept, ev) {
			continue
		}
		var newest *int
		if err := tx.Table("evidence_files").Where("evidence_id = ?", ev).Select("MAX(revision)").Scan(&newest).Error; err != nil {
			return err
		}
		if err := tx.Create(&ReliedEvidence{EngagementID: engagementID, ControlID: controlID, EvidenceID: ev, Revision: newest}).Error; err != nil {
			return err
		}
	}
	return nil
}

// RetiredBefore reports whether the control was retired before the day
// (or on a day not known).
func (db *DB) RetiredBefore(ctx context.Context, controlID int64, day string) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Table("controls").
		Where("id = ? AND status = 'retired' AND (retired_on IS NULL OR retired_on < ?)", controlID, day).Count(&n).Error
	return n > 0, err
}

// ControlImplementedOn is the day a control was put in place, nil when
// not known.
func (db *DB) ControlImplementedOn(ctx context.Context, controlID int64) (*string, error) {
	var control struct{ ImplementedOn *string }
	err := db.Conn(ctx, false).Table("controls").Select("implemented_on").Where("id = ?", controlID).Take(&control).Error
	return control.ImplementedOn, err
}

// EvidenceDates are the dates an evidence item carries.
type EvidenceDates struct {
	CoversFrom  *string
	CoversTo    *string
	AsOf        *string
	CollectedOn *string
}

// EvidenceDatesOf reads the dates of the evidence items.
func (db *DB) EvidenceDatesOf(ctx context.Context, ids []int64) ([]EvidenceDates, error) {
	var dates []EvidenceDates
	err := db.Conn(ctx, false).Table("evidence").Select("covers_from, covers_to, as_of, collected_on").
		Where("id IN ?", ids).Scan(&dates).Error
	return dates, err
}

// SampleItemCounts counts an engagement's sampled items and those with a
// result recorded.
func (db *DB) SampleItemCounts(ctx context.Context, engagementID int64) (total, done int, err error) {
	var items struct{ Total, Done int }
	err = db.Conn(ctx, false).Table("sample_items AS i").
		Select("COUNT(*) AS total, COALESCE(SUM(CASE WHEN i.results <> '{}' THEN 1 ELSE 0 END), 0) AS done").
		Joins("JOIN samples s ON s.id = i.sample_id").Where("s.engagement_id = ?", engagementID).Scan(&items).Error
	return items.Total, items.Done, err
}
