package store

import (
	"context"
	"time"
)

// SampledItem is a population item in a sample, with its results.
type SampledItem struct {
	Seq         int
	ItemID      string
	ItemDate    *string
	Description string
	Results     string
	Exception   bool
	Notes       string
	TestedBy    string // e-mail address
	TestedOn    *string
	Version     int64   // of its results
	EvidenceIDs []int64 `gorm:"-"` // evidence the item was tested on
}

// PopulationEvidenceOf lists the completeness evidence of the
// populations, by evidence ID.
func (db *DB) PopulationEvidenceOf(ctx context.Context, populationIDs []int64) ([]PopulationEvidence, error) {
	var links []PopulationEvidence
	err := db.Conn(ctx, false).Where("population_id IN ?", populationIDs).Order("evidence_id").Find(&links).Error
	return links, err
}

// SamplesFrom lists the samples drawn from the populations, newest first.
func (db *DB) SamplesFrom(ctx context.Context, populationIDs []int64) ([]Sample, error) {
	samples := []Sample{}
	err := db.Conn(ctx, false).Where("population_id IN ?", populationIDs).Order("id DESC").Find(&samples).Error
	return samples, err
}

// SampledItemsOf lists a sample's items by seq with their population
// items, who tested them and the evidence each was tested on (empty, not
// nil, for none).
func (db *DB) SampledItemsOf(ctx context.Context, smp Sample) ([]SampledItem, error) {
	q := db.Conn(ctx, false)
	var items []SampledItem
	err := q.Table("sample_items AS si").
		Select("si.seq, pi.item_id, pi.item_date, pi.description, si.results, si.exception, si.notes, COALESCE(u.email, '') AS tested_by, si.tested_on, si.version").
		Joins("JOIN population_items pi ON pi.population_id = ? AND pi.seq = si.seq", smp.PopulationID).
		Joins("LEFT JOIN users u ON u.id = si.tested_by").
		Where("si.sample_id = ?", smp.ID).Order("si.seq").Scan(&items).Error
	if err != nil {
		return nil, err
	}
	var links []SampleItemEvidence
	if err := q.Where("sample_id = ?", smp.ID).Order("seq, evidence_id").Find(&links).Error; err != nil {
		return nil, err
	}
	for i := range items {
		items[i].EvidenceIDs = []int64{}
		for _, l := range links {
			if l.Seq == items[i].Seq {
				items[i].EvidenceIDs = append(items[i].EvidenceIDs, l.EvidenceID)
			}
		}
	}
	return items, nil
}

// PopulationItemsOf lists a population's items by seq.
func (db *DB) PopulationItemsOf(ctx context.Context, populationID int64) ([]PopulationItem, error) {
	var items []PopulationItem
	err := db.Conn(ctx, false).Where("population_id = ?", populationID).Order("seq").Find(&items).Error
	return items, err
}

// PackageRow is an evidence item of a control as the evidence package
// reads it: the file's upload time, or the evidence's creation for a note
// (SQLite returns a COALESCE of the two as text, so they are read apart).
type PackageRow struct {
	ControlRef     string
	EvidenceID     int64
	Kind           string
	Name           string
	SHA256         string `gorm:"column:sha256"`
	Note           string
	FileUploadedAt *time.Time
	CreatedAt      time.Time
}

// PackageRows lists the live file and note evidence of the controls by
// control ref, each file at the revision the engagement's conclusion is
// pinned to, else its newest.
func (db *DB) PackageRows(ctx context.Context, engagementID int64, controlIDs []int64) ([]PackageRow, error) {
	var rows []PackageRow
	err := db.Conn(ctx, false).Table("evidence_controls AS ec").
		Select("c.ref AS control_ref, e.id AS evidence_id, e.kind, COALESCE(f.original_name, e.title) AS name, "+
			"COALESCE(f.sha256, '') AS sha256, e.note, f.uploaded_at AS file_uploaded_at, e.created_at").
		Joins("JOIN controls c ON c.id = ec.control_id").
		Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Joins("LEFT JOIN evidence_files f ON f.evidence_id = e.id AND f.revision = COALESCE("+
			"(SELECT ee.revision FROM engagement_evidence ee WHERE ee.engagement_id = ? AND ee.control_id = ec.control_id AND ee.evidence_id = e.id), "+
			"(SELECT MAX(revision) FROM evidence_files WHERE evidence_id = e.id))", engagementID).
		Where("ec.control_id IN ? AND "+liveEvidence+" AND (e.kind = 'note' OR f.id IS NOT NULL)", controlIDs).
		Order("c.ref, e.id").Scan(&rows).Error
	return rows, err
}
