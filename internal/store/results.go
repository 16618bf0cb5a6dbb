package store

import (
	"context"
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
