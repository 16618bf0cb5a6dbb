package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Signatures are who prepared a piece of an engagement's work (a
// conclusion, a sample's results) and who reviewed it, each on a day
// (YYYY-MM-DD). The reviewer is never the preparer.
type Signatures struct {
	PreparedBy *int64
	PreparedOn *string
	ReviewedBy *int64
	ReviewedOn *string
}

// Unreviewed is the change that clears a review: the work changed after it.
func Unreviewed() map[string]any { return map[string]any{"reviewed_by": nil, "reviewed_on": nil} }

// SignOff is who prepared and who reviewed the conclusion on a control in
// an engagement; Tester and Reviewer are the names the audit firm wrote
// before sign-offs were by user.
type SignOff struct {
	EngagementID int64 `gorm:"primaryKey;autoIncrement:false"`
	ControlID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Tester       string
	Reviewer     string
	Signatures
	Versioned // the result row's: a sign-off is a save of the result
}

// SampleSignOff is who prepared and who reviewed a sample's results.
type SampleSignOff struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	Signatures
	Versioned // the sample's
}

func (SampleSignOff) TableName() string { return "samples" }

// SampleSignOffOf reads the sign-off of one of an engagement's samples;
// found is false when the engagement has no such sample.
func (db *DB) SampleSignOffOf(ctx context.Context, engagementID, sampleID int64) (s SampleSignOff, found bool, err error) {
	err = db.Conn(ctx, false).Take(&s, "id = ? AND engagement_id = ?", sampleID, engagementID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s, false, nil
	}
	return s, err == nil, err
}

// SaveSampleSignOff writes a sample's sign-off, refused as stale unless
// the sample is still at the version read (and at expect, when given).
func (db *DB) SaveSampleSignOff(ctx context.Context, s *SampleSignOff, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), s, expect)
}

func (SignOff) TableName() string { return "engagement_control_results" }

// ExceptionEvaluation is what the auditor concludes about one exception:
// when it was identified, its cause, whether it is isolated or systemic,
// the compensating controls, the remediation and its retest.
type ExceptionEvaluation struct {
	ID                   int64 `gorm:"primaryKey"`
	EngagementID         int64
	IdentifiedOn         *string
	RootCause            string
	Extent               string // isolated, systemic or "" (not yet judged)
	CompensatingControls string
	Remediation          string
	Retest               string
	UpdatedAt            time.Time
	Signatures
	Versioned // the exception's
}

func (ExceptionEvaluation) TableName() string { return "engagement_exceptions" }

// SignOffs lists an engagement's sign-offs by control.
func (db *DB) SignOffs(ctx context.Context, engagementID int64) (map[int64]SignOff, error) {
	var rows []SignOff
	if err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]SignOff, len(rows))
	for _, r := range rows {
		out[r.ControlID] = r
	}
	return out, nil
}

// SaveSignOff writes the tester and reviewer of a control whose result
// row exists (see EnsureResult), refused as stale unless the row is still
// at the version read (and at expect, when given).
func (db *DB) SaveSignOff(ctx context.Context, s *SignOff, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), s, expect)
}

// EnsureResult creates a control's result row in an engagement, not yet
// assessed, when there is none.
func (db *DB) EnsureResult(ctx context.Context, engagementID, controlID int64, now time.Time) error {
	var n int64
	q := db.Conn(ctx, true)
	if err := q.Table("engagement_control_results").Where("engagement_id = ? AND control_id = ?", engagementID, controlID).
		Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return q.Exec("INSERT INTO engagement_control_results (engagement_id, control_id, updated_at) VALUES (?, ?, ?)",
		engagementID, controlID, now).Error
}

// ErrNoException is returned for an exception not in the engagement.
var ErrNoException = errors.New("no such exception")

// ExceptionEvaluationOf reads one exception's evaluation.
func (db *DB) ExceptionEvaluationOf(ctx context.Context, engagementID, id int64) (ExceptionEvaluation, error) {
	var x ExceptionEvaluation
	err := db.Conn(ctx, false).Take(&x, "id = ? AND engagement_id = ?", id, engagementID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return x, ErrNoException
	}
	return x, err
}

// SaveExceptionEvaluation writes an exception's evaluation, refused as
// stale unless the exception is still at the version read (and at
// expect, when given).
func (db *DB) SaveExceptionEvaluation(ctx context.Context, x *ExceptionEvaluation, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), x, expect)
}

// ExceptionEvaluations lists an engagement's exception evaluations by ID.
func (db *DB) ExceptionEvaluations(ctx context.Context, engagementID int64) (map[int64]ExceptionEvaluation, error) {
	var rows []ExceptionEvaluation
	if err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]ExceptionEvaluation, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}
