package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Exception is a deviation found while testing a control in an engagement.
type Exception struct {
	ID                 int64 `gorm:"primaryKey"`
	EngagementID       int64
	ControlID          int64
	SampleID           *int64 // the sampled item it was found on, if any
	SampleSeq          *int
	WithdrawnAt        *time.Time // the item's failure was removed
	Description        string
	ManagementResponse string
	RemediationDate    *string // YYYY-MM-DD: the day the control was put right
	RemediationOwnerID *int64  // who owns the remediation
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Versioned
}

func (Exception) TableName() string { return "engagement_exceptions" }

// LiveException returns an exception of an engagement that was not
// withdrawn, or ErrNotFound.
func (db *DB) LiveException(ctx context.Context, engagementID, exceptionID int64) (Exception, error) {
	var x Exception
	err := db.Conn(ctx, false).Take(&x, "id = ? AND engagement_id = ? AND withdrawn_at IS NULL", exceptionID, engagementID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return x, ErrNotFound
	}
	return x, err
}

// ExceptionOfItem returns the exception found on a sampled item, withdrawn
// or not, and whether there is one.
func (db *DB) ExceptionOfItem(ctx context.Context, sampleID int64, seq int) (Exception, bool, error) {
	var x Exception
	err := db.Conn(ctx, false).Where("sample_id = ? AND sample_seq = ?", sampleID, seq).Take(&x).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return x, false, nil
	}
	return x, err == nil, err
}

// SaveException creates or updates an exception (see SaveVersion).
func (db *DB) SaveException(ctx context.Context, x *Exception, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), x, expect)
}

// ExceptionRow is an exception with its control's reference.
type ExceptionRow struct {
	Exception
	ControlRef string
}

// CreateException inserts an exception and sets its ID.
func (db *DB) CreateException(ctx context.Context, x *Exception) error {
	return db.Conn(ctx, true).Create(x).Error
}

// ExceptionsOf lists an engagement's exceptions not withdrawn, by control
// reference.
func (db *DB) ExceptionsOf(ctx context.Context, engagementID int64) ([]ExceptionRow, error) {
	out := []ExceptionRow{}
	err := db.Conn(ctx, false).Table("engagement_exceptions AS x").Select("x.*, c.ref AS control_ref").
		Joins("JOIN controls c ON c.id = x.control_id").Where("x.engagement_id = ? AND x.withdrawn_at IS NULL", engagementID).
		Order("c.ref, x.id").Scan(&out).Error
	return out, err
}

// ExceptionOf returns one of an engagement's exceptions, withdrawn or
// not, or ErrNotFound.
func (db *DB) ExceptionOf(ctx context.Context, engagementID, exceptionID int64) (ExceptionRow, error) {
	var out []ExceptionRow
	err := db.Conn(ctx, false).Table("engagement_exceptions AS x").Select("x.*, c.ref AS control_ref").
		Joins("JOIN controls c ON c.id = x.control_id").Where("x.engagement_id = ? AND x.id = ?", engagementID, exceptionID).
		Scan(&out).Error
	if err == nil && len(out) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return ExceptionRow{}, err
	}
	return out[0], nil
}

// LiveExceptionCounts counts an engagement's exceptions not withdrawn, by control.
func (db *DB) LiveExceptionCounts(ctx context.Context, engagementID int64) (map[int64]int, error) {
	var records []struct {
		ControlID int64
		N         int
	}
	err := db.Conn(ctx, false).Model(&Exception{}).Select("control_id, COUNT(*) AS n").
		Where("engagement_id = ? AND withdrawn_at IS NULL", engagementID).Group("control_id").Scan(&records).Error
	out := make(map[int64]int, len(records))
	for _, r := range records {
		out[r.ControlID] = r.N
	}
	return out, err
}
