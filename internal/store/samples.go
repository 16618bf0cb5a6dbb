package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Population is an uploaded list of a control's occurrences in the
// period, or in the part of it (interim, remainder, or a stated
// sub-period) it says it covers.
type Population struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	ControlID    int64
	Phase        string // period, interim, remainder
	CoversFrom   *string
	CoversTo     *string
	Source       string // the system it was taken from
	Query        string
	Parameters   string
	GeneratedBy  string
	GeneratedAt  *time.Time
	FileName     string
	ItemCount    int
	UploadedBy   *int64
	UploadedAt   time.Time
}

// PopulationItem is one occurrence in a population.
type PopulationItem struct {
	PopulationID int64 `gorm:"primaryKey"`
	Seq          int   `gorm:"primaryKey"`
	ItemID       string
	ItemDate     *string
	Description  string
	Extra        string
}

func (PopulationItem) TableName() string { return "population_items" }

// PopulationEvidence links a population to the evidence that it is
// complete and accurate (the query, its parameters, a control total).
type PopulationEvidence struct {
	PopulationID int64 `gorm:"primaryKey"`
	EvidenceID   int64 `gorm:"primaryKey"`
}

func (PopulationEvidence) TableName() string { return "population_evidence" }

// Sample purposes.
const (
	OriginalSample = "original"
	RetestSample   = "retest"
)

// Sample is a reproducible selection from a population: a first draw, or
// an extension of one (ExtendsID) with its own seed.
type Sample struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	ControlID    int64
	PopulationID int64
	ExtendsID    *int64
	Seed         string // decimal uint64, recorded so anyone can redraw it
	Method       string
	Size         int
	RequiredSize int    // what the policy required when it was drawn
	Risk         string // the risk level it was sized at
	SizeReason   string
	Attributes   string // JSON list of the attributes tested per item
	SelectedBy   *int64
	SelectedAt   time.Time
	// Purpose is original, or retest: a sample of the remediated control
	// over the rest of the period (CoversFrom to CoversTo), drawn for the
	// exception RemediationExceptionID and kept beside the original.
	Purpose                string `gorm:"default:original"`
	RemediationExceptionID *int64
	CoversFrom             *string
	CoversTo               *string
	Signatures
	Versioned // moves on with its items' results and its sign-offs
}

func (Sample) TableName() string { return "samples" }

// Retest reports whether the sample retests a remediated control.
func (s Sample) Retest() bool { return s.Purpose == RetestSample }

// AttributeList is the attributes tested on each item of the sample.
func (s Sample) AttributeList() ([]string, error) {
	var attrs []string
	if err := json.Unmarshal([]byte(s.Attributes), &attrs); err != nil {
		return nil, fmt.Errorf("sample %d attributes: %w", s.ID, err)
	}
	return attrs, nil
}

// PopulationsOf lists a control's populations in an engagement, newest first.
func (db *DB) PopulationsOf(ctx context.Context, engagementID, controlID int64) ([]Population, error) {
	var all []Population
	err := db.Conn(ctx, false).Where("engagement_id = ? AND control_id = ?", engagementID, controlID).Order("id DESC").Find(&all).Error
	return all, err
}

// EngagementPopulations lists every population of an engagement, newest first.
func (db *DB) EngagementPopulations(ctx context.Context, engagementID int64) ([]Population, error) {
	var all []Population
	err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Order("id DESC").Find(&all).Error
	return all, err
}

// CreatePopulation stores a population (setting its ID) with its items
// and the evidence that it is complete.
func (db *DB) CreatePopulation(ctx context.Context, p *Population, items []PopulationItem, evidenceIDs []int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		for i := range items {
			items[i].PopulationID = p.ID
		}
		if len(items) > 0 {
			if err := tx.CreateInBatches(items, 500).Error; err != nil {
				return err
			}
		}
		for _, ev := range evidenceIDs {
			if err := tx.Create(&PopulationEvidence{PopulationID: p.ID, EvidenceID: ev}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// PopulationHasEvidence reports whether a population has completeness evidence.
func (db *DB) PopulationHasEvidence(ctx context.Context, populationID int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&PopulationEvidence{}).Where("population_id = ?", populationID).Count(&n).Error
	return n > 0, err
}

// PopulationItemID is the ID of a population's item seq ("" when none).
func (db *DB) PopulationItemID(ctx context.Context, populationID int64, seq int) (string, error) {
	var itemID string
	err := db.Conn(ctx, false).Model(&PopulationItem{}).Where("population_id = ? AND seq = ?", populationID, seq).
		Pluck("item_id", &itemID).Error
	return itemID, err
}

// PopulationSeqsDated lists the seqs of a population's items dated from
// one day to another, in order.
func (db *DB) PopulationSeqsDated(ctx context.Context, populationID int64, from, to string) ([]int, error) {
	var seqs []int
	err := db.Conn(ctx, false).Model(&PopulationItem{}).Where("population_id = ? AND item_date >= ? AND item_date <= ?", populationID, from, to).
		Order("seq").Pluck("seq", &seqs).Error
	return seqs, err
}

// FirstDrawFrom returns the original first draw from a population, and
// whether there is one.
func (db *DB) FirstDrawFrom(ctx context.Context, populationID int64) (Sample, bool, error) {
	var first Sample
	err := db.Conn(ctx, false).Where("population_id = ? AND extends_id IS NULL AND purpose = ?", populationID, OriginalSample).Take(&first).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return first, false, nil
	}
	return first, err == nil, err
}

// RequiredDrawnFrom is the size the policy required of the original
// samples drawn from a population, summed.
func (db *DB) RequiredDrawnFrom(ctx context.Context, populationID int64) (int, error) {
	var n int
	err := db.Conn(ctx, false).Model(&Sample{}).Select("COALESCE(SUM(required_size), 0)").
		Where("population_id = ? AND purpose = ?", populationID, OriginalSample).Scan(&n).Error
	return n, err
}

// CreateSample stores a sample (setting its ID) and its items, the 1-based
// seqs of the population items it selected, untested.
func (db *DB) CreateSample(ctx context.Context, smp *Sample, seqs []int) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Create(smp).Error; err != nil {
			return err
		}
		items := make([]SampleItem, len(seqs))
		for i, seq := range seqs {
			items[i] = SampleItem{SampleID: smp.ID, Seq: seq, Results: "{}"}
		}
		if len(items) == 0 {
			return nil
		}
		return tx.CreateInBatches(items, 500).Error
	})
}

// SampleIn returns a sample of an engagement, or ErrNotFound.
func (db *DB) SampleIn(ctx context.Context, engagementID, sampleID int64) (Sample, error) {
	var smp Sample
	err := db.Conn(ctx, false).Take(&smp, "id = ? AND engagement_id = ?", sampleID, engagementID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return smp, ErrNotFound
	}
	return smp, err
}

// SampleByID returns a sample, or ErrNotFound.
func (db *DB) SampleByID(ctx context.Context, id int64) (Sample, error) {
	var smp Sample
	err := db.Conn(ctx, false).Take(&smp, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return smp, ErrNotFound
	}
	return smp, err
}

// SeqsSelectedWith lists the seqs a first draw and its extensions selected.
func (db *DB) SeqsSelectedWith(ctx context.Context, firstID int64) ([]int, error) {
	var taken []int
	err := db.Conn(ctx, false).Model(&SampleItem{}).Where("sample_id IN (SELECT id FROM samples WHERE id = ? OR extends_id = ?)", firstID, firstID).
		Pluck("seq", &taken).Error
	return taken, err
}

// OriginalSamplesFrom lists the original samples (not retests) drawn from
// a population, oldest first.
func (db *DB) OriginalSamplesFrom(ctx context.Context, populationID int64) ([]Sample, error) {
	var samples []Sample
	err := db.Conn(ctx, false).Where("population_id = ? AND purpose = ?", populationID, OriginalSample).Order("id").Find(&samples).Error
	return samples, err
}

// SamplesIn lists every sample of an engagement.
func (db *DB) SamplesIn(ctx context.Context, engagementID int64) ([]Sample, error) {
	var samples []Sample
	err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Find(&samples).Error
	return samples, err
}

// RetestsDrawnFor counts the retests drawn for an exception's remediation.
func (db *DB) RetestsDrawnFor(ctx context.Context, exceptionID int64) (int64, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&Sample{}).Where("remediation_exception_id = ?", exceptionID).Count(&n).Error
	return n, err
}

// SampleResultsChanged moves a sample on a version and clears its review:
// its results changed after it was reviewed.
func (db *DB) SampleResultsChanged(ctx context.Context, sampleID int64) error {
	moved := Unreviewed()
	moved["version"] = gorm.Expr("version + 1")
	return db.Conn(ctx, true).Model(&Sample{}).Where("id = ?", sampleID).Updates(moved).Error
}

// SetTestedCounts makes a recorded result's exceptions found and items
// tested these; a change is a new version of the result, not reviewed.
func (db *DB) SetTestedCounts(ctx context.Context, engagementID, controlID int64, failed, tested int) error {
	return db.Conn(ctx, true).Model(&Result{}).Where("engagement_id = ? AND control_id = ? AND (exceptions_found <> ? OR tested_count <> ?)",
		engagementID, controlID, failed, tested).
		Updates(map[string]any{"exceptions_found": failed, "tested_count": tested, "version": gorm.Expr("version + 1"),
			"reviewed_by": nil, "reviewed_on": nil}).Error
}
