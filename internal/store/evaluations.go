package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// CriterionEvaluation is the recorded evaluation of a criterion's
// deviations: the cause, isolated or systemic, the deviation rate against
// the tolerable rate for the sample size when it was recorded, the
// compensating controls and the conclusion, with who evaluated it, when,
// and its preparer and reviewer.
type CriterionEvaluation struct {
	ID            int64 `gorm:"primaryKey"`
	EngagementID  int64
	RequirementID int64
	Cause         string
	Systemic      bool
	Deviations    int
	SampleSize    int
	DeviationRate float64
	TolerableRate float64
	Conclusion    string
	EvaluatedBy   int64
	EvaluatedAt   time.Time
	Signatures
	Versioned
	Compensating []Compensating `gorm:"-"`
}

func (CriterionEvaluation) TableName() string { return "engagement_evaluations" }

// Compensating is a control an evaluation names as compensating.
type Compensating struct {
	ID  int64
	Ref string
}

type evaluationControl struct {
	EvaluationID int64 `gorm:"primaryKey;autoIncrement:false"`
	ControlID    int64 `gorm:"primaryKey;autoIncrement:false"`
}

func (evaluationControl) TableName() string { return "engagement_evaluation_controls" }

// EvaluationOf returns the evaluation of a criterion in an engagement with
// its compensating controls; none recorded is the zero evaluation.
func (db *DB) EvaluationOf(ctx context.Context, engagementID, requirementID int64) (CriterionEvaluation, error) {
	q := db.Conn(ctx, false)
	var ev CriterionEvaluation
	err := q.Where("engagement_id = ? AND requirement_id = ?", engagementID, requirementID).Take(&ev).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return CriterionEvaluation{}, nil
	}
	if err != nil {
		return ev, err
	}
	all, err := compensatingOf(q, []int64{ev.ID})
	ev.Compensating = all[ev.ID]
	return ev, err
}

// EvaluationsIn lists an engagement's evaluations with their compensating
// controls.
func (db *DB) EvaluationsIn(ctx context.Context, engagementID int64) ([]CriterionEvaluation, error) {
	q := db.Conn(ctx, false)
	var rows []CriterionEvaluation
	if err := q.Where("engagement_id = ?", engagementID).Find(&rows).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	comp, err := compensatingOf(q, ids)
	for i := range rows {
		rows[i].Compensating = comp[rows[i].ID]
	}
	return rows, err
}

// compensatingOf reads the compensating controls of evaluations, by ref.
func compensatingOf(q *gorm.DB, ids []int64) (map[int64][]Compensating, error) {
	var rows []struct {
		EvaluationID int64
		ID           int64
		Ref          string
	}
	err := q.Table("engagement_evaluation_controls AS ec").Select("ec.evaluation_id, c.id, c.ref").
		Joins("JOIN controls c ON c.id = ec.control_id").Where("ec.evaluation_id IN ?", ids).
		Order("c.ref").Scan(&rows).Error
	out := map[int64][]Compensating{}
	for _, r := range rows {
		out[r.EvaluationID] = append(out[r.EvaluationID], Compensating{ID: r.ID, Ref: r.Ref})
	}
	return out, err
}

// SaveEvaluation writes an evaluation's own row (see SaveVersion).
func (db *DB) SaveEvaluation(ctx context.Context, ev *CriterionEvaluation, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), ev, expect)
}

// SetCompensating replaces the compensating controls of an evaluation
// with those it holds.
func (db *DB) SetCompensating(ctx context.Context, ev CriterionEvaluation) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Where("evaluation_id = ?", ev.ID).Delete(&evaluationControl{}).Error; err != nil {
			return err
		}
		for _, c := range ev.Compensating {
			if err := tx.Create(&evaluationControl{EvaluationID: ev.ID, ControlID: c.ID}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteEvaluation deletes an evaluation with its compensating controls.
func (db *DB) DeleteEvaluation(ctx context.Context, evaluationID int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Where("evaluation_id = ?", evaluationID).Delete(&evaluationControl{}).Error; err != nil {
			return err
		}
		return tx.Delete(&CriterionEvaluation{}, evaluationID).Error
	})
}
