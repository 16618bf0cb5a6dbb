package store

import (
	"context"
	"time"
)

// Control is one of the organisation's controls.
type Control struct {
	ID            int64 `gorm:"primaryKey"`
	Ref           string
	Title         string
	Description   string
	OwnerID       *int64
	Performer     string
	Frequency     string
	Nature        string
	ControlType   string
	KeyControl    bool
	IPE           bool `gorm:"column:ipe"`
	Systems       string
	ImplementedOn *string
	Status        string
	// EvidenceExpected is what the organisation says the control leaves
	// behind each time it operates, apart from the evidence on file;
	// RiskAddressed the risk it answers; IPERelied the information
	// produced by the entity (reports, listings) it depends on.
	EvidenceExpected string
	RiskAddressed    string
	IPERelied        string `gorm:"column:ipe_relied_on"`
	// RetiredOn is the last day the control operated; ReplacedBy the
	// control that took over from it.
	RetiredOn  *string
	ReplacedBy *int64
	// Schedule is when within its frequency the control runs, the JSON of
	// a period.Schedule ("" for none); Calendar is every-day or
	// business-days (daily controls).
	Schedule  string
	Calendar  string
	CreatedAt time.Time
	UpdatedAt time.Time
	Versioned
}

// Mapping links a control to a requirement it serves.
type Mapping struct {
	ControlID     int64 `gorm:"primaryKey"`
	RequirementID int64 `gorm:"primaryKey"`
	Rationale     string
	CreatedAt     time.Time
}

func (Mapping) TableName() string { return "control_requirements" }

// Applicability records that a requirement is out of scope, and why.
type Applicability struct {
	RequirementID int64 `gorm:"primaryKey;autoIncrement:false"`
	NotApplicable bool
	Reason        string
	UpdatedAt     time.Time
}

func (Applicability) TableName() string { return "requirement_applicability" }

// Evidence is a file, a link or a note that shows controls at work.
type Evidence struct {
	ID           int64 `gorm:"primaryKey"`
	Kind         string
	Title        string
	Description  string
	URL          string `gorm:"column:url"`
	Note         string
	CollectedOn  *string
	CoversFrom   *string
	CoversTo     *string
	AsOf         *string
	ExpiresOn    *string
	SourceSystem string
	ProvidedBy   string
	CreatedBy    *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DeletedAt    *time.Time
	Versioned
}

func (Evidence) TableName() string { return "evidence" }

// EvidenceFile is one immutable revision of a file evidence item.
type EvidenceFile struct {
	ID           int64 `gorm:"primaryKey"`
	EvidenceID   int64
	Revision     int
	SHA256       string `gorm:"column:sha256"`
	Size         int64
	MediaType    string
	OriginalName string
	UploadedBy   *int64
	UploadedAt   time.Time
}

// EvidenceControl links evidence to a control.
type EvidenceControl struct {
	EvidenceID int64 `gorm:"primaryKey"`
	ControlID  int64 `gorm:"primaryKey"`
}

// ControlsChanged is told, after a change is committed, which controls it
// touched (nil: any of them), so that what is derived from controls, such
// as their owners' tasks, can follow at once.
type ControlsChanged func(ctx context.Context, controlIDs []int64)

// Notify calls the hook, if there is one, after a successful change.
func (f ControlsChanged) Notify(ctx context.Context, err error, controlIDs []int64) {
	if f != nil && err == nil {
		f(ctx, controlIDs)
	}
}
