package store

import "time"

// Task is one thing someone must do, by a date.
type Task struct {
	ID             int64 `gorm:"primaryKey"`
	TaskKey        *string
	Kind           string // occurrence, renewal, adhoc, check_failure, stale_source
	ControlID      *int64
	EvidenceID     *int64 // the expiring evidence of a renewal task
	OwnerID        *int64
	Title          string
	Description    string
	WindowLabel    string
	WindowStart    *string
	WindowEnd      *string
	OpensOn        string
	DueOn          string
	DoneAt         *time.Time
	DoneVia        string // evidence, renewed, manual
	DoneEvidenceID *int64
	DoneBy         *int64
	NotApplicable  bool
	NaReason       string `gorm:"column:na_reason"`
	CreatedBy      *int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Versioned
}

// TaskEngagement links a task to an engagement it serves.
type TaskEngagement struct {
	TaskID       int64 `gorm:"primaryKey"`
	EngagementID int64 `gorm:"primaryKey"`
}

func (TaskEngagement) TableName() string { return "task_engagements" }

// CalendarFeed is a user's calendar subscription; only the SHA-256 of
// its secret token is kept, like API tokens.
type CalendarFeed struct {
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	TokenHash string
	CreatedAt time.Time
	RevokedAt *time.Time // turned off by its owner, or by a password change or disabling
}

func (CalendarFeed) TableName() string { return "calendar_feeds" }

// Digest is one reminder message to one user for one cadence period.
type Digest struct {
	ID        int64      `json:"id" gorm:"primaryKey"`
	UserID    int64      `json:"user_id"`
	Period    string     `json:"period"`
	Recipient string     `json:"recipient"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Status    string     `json:"status"` // outbox (no mail server), sending, sent, failed
	Attempts  int        `json:"attempts"`
	Error     string     `json:"error"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}
