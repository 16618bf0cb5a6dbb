package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// SampleItem is one selected item of a sample with the tester's results.
type SampleItem struct {
	SampleID  int64 `gorm:"primaryKey"`
	Seq       int   `gorm:"primaryKey"`
	Results   string
	Exception bool
	Notes     string
	TestedBy  *int64
	TestedOn  *string
	Version   int64 // counts the saves of its results
}

func (SampleItem) TableName() string { return "sample_items" }

// SampleItemEvidence links a sampled item to the evidence it was tested on.
type SampleItemEvidence struct {
	SampleID   int64 `gorm:"primaryKey"`
	Seq        int   `gorm:"primaryKey"`
	EvidenceID int64 `gorm:"primaryKey"`
}

func (SampleItemEvidence) TableName() string { return "sample_item_evidence" }

// ItemResults is a sampled item's population ID with its results (JSON).
type ItemResults struct {
	ItemID  string
	Results string
}

// SampleItemAt returns item seq of a sample, or ErrNotFound.
func (db *DB) SampleItemAt(ctx context.Context, sampleID int64, seq int) (SampleItem, error) {
	var item SampleItem
	err := db.Conn(ctx, false).Take(&item, "sample_id = ? AND seq = ?", sampleID, seq).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return item, ErrNotFound
	}
	return item, err
}

// SaveSampleItem writes an item's results.
func (db *DB) SaveSampleItem(ctx context.Context, item *SampleItem) error {
	return db.Conn(ctx, true).Save(item).Error
}

// ItemEvidence lists the evidence an item was tested on, by ID.
func (db *DB) ItemEvidence(ctx context.Context, sampleID int64, seq int) ([]int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Model(&SampleItemEvidence{}).Where("sample_id = ? AND seq = ?", sampleID, seq).
		Order("evidence_id").Pluck("evidence_id", &ids).Error
	return ids, err
}

// SetItemEvidence replaces the evidence an item was tested on.
func (db *DB) SetItemEvidence(ctx context.Context, sampleID int64, seq int, evidenceIDs []int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Where("sample_id = ? AND seq = ?", sampleID, seq).Delete(&SampleItemEvidence{}).Error; err != nil {
			return err
		}
		for _, ev := range evidenceIDs {
			if err := tx.Create(&SampleItemEvidence{SampleID: sampleID, Seq: seq, EvidenceID: ev}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// CountLinkedLiveEvidence counts how many of the evidence IDs are live
// evidence linked to the control.
func (db *DB) CountLinkedLiveEvidence(ctx context.Context, controlID int64, evidenceIDs []int64) (int, error) {
	var n int64
	err := db.Conn(ctx, false).Table("evidence_controls AS ec").Joins("JOIN evidence e ON e.id = ec.evidence_id").
		Where("ec.control_id = ? AND ec.evidence_id IN ? AND "+liveEvidence, controlID, evidenceIDs).Count(&n).Error
	return int(n), err
}

// ItemResultsOf lists a sample's items, by seq, with their population IDs.
func (db *DB) ItemResultsOf(ctx context.Context, smp Sample) ([]ItemResults, error) {
	var items []ItemResults
	err := db.Conn(ctx, false).Table("sample_items AS si").Select("pi.item_id, si.results").
		Joins("JOIN population_items pi ON pi.population_id = ? AND pi.seq = si.seq", smp.PopulationID).
		Where("si.sample_id = ?", smp.ID).Order("si.seq").Scan(&items).Error
	return items, err
}

// SampleResults is an item's sample with its results (JSON).
type SampleResults struct {
	SampleID int64
	Results  string
}

// ExceptionItemsIn lists the results of an engagement's sampled items
// recorded as exceptions.
func (db *DB) ExceptionItemsIn(ctx context.Context, engagementID int64) ([]SampleResults, error) {
	var items []SampleResults
	err := db.Conn(ctx, false).Table("sample_items AS si").Select("si.sample_id, si.results").
		Joins("JOIN samples s ON s.id = si.sample_id").Where("s.engagement_id = ? AND si.exception", engagementID).
		Scan(&items).Error
	return items, err
}
