package store

import (
	"context"
	"time"
)

// Walkthrough is the row of a control's walkthrough in an engagement.
type Walkthrough struct {
	EngagementID      int64 `gorm:"primaryKey"`
	ControlID         int64 `gorm:"primaryKey"`
	PerformedOn       string
	Participants      string
	InstanceTraced    string
	EvidenceInspected string // in words
	EvidenceIDs       string // comma-separated: evidence of the control inspected
	PerformedBy       *int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Versioned
}

func (Walkthrough) TableName() string { return "engagement_walkthroughs" }

// WalkthroughOf returns a control's walkthrough in an engagement; one not
// recorded yet is empty at version 0.
func (db *DB) WalkthroughOf(ctx context.Context, engagementID, controlID int64) (Walkthrough, error) {
	w := Walkthrough{EngagementID: engagementID, ControlID: controlID}
	err := db.Conn(ctx, false).Find(&w, "engagement_id = ? AND control_id = ?", engagementID, controlID).Error
	return w, err
}

// WalkthroughsOf lists an engagement's walkthroughs.
func (db *DB) WalkthroughsOf(ctx context.Context, engagementID int64) ([]Walkthrough, error) {
	var rows []Walkthrough
	err := db.Conn(ctx, false).Where("engagement_id = ?", engagementID).Find(&rows).Error
	return rows, err
}

// SaveWalkthrough writes a walkthrough read in ctx (inserting one never
// saved) and bumps its version (see SaveVersion).
func (db *DB) SaveWalkthrough(ctx context.Context, w *Walkthrough, ifVersion *int64) error {
	return SaveVersion(db.Conn(ctx, true), w, ifVersion)
}
