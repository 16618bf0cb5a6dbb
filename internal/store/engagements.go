package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Engagement is the row of one SOC report being prepared.
type Engagement struct {
	ID             int64 `gorm:"primaryKey"`
	Name           string
	Report         string // soc1, soc2
	ReportType     string // type1, type2
	AsOf           *string
	PeriodStart    *string
	PeriodEnd      *string
	Categories     string // SOC 2 categories beyond Security, comma-separated
	AuditFirm      string
	AuditorContact string
	Status         string
	SamplePolicy   string // JSON SamplePolicy; "" before policies were kept
	Tester         string // who tests: ServiceAuditor or ManagementReadiness
	// EvidenceWindowDays is how far before a Type I's as-of date the
	// evidence relied on may be dated; older evidence is stale.
	EvidenceWindowDays int
	// PervasivePercent is the share of criteria above which the matters
	// that modify the opinion (criteria not met, scope limitations) are
	// pervasive.
	PervasivePercent int
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Versioned
}

// EngagementsNewestFirst lists every engagement, the newest first.
func (db *DB) EngagementsNewestFirst(ctx context.Context) ([]Engagement, error) {
	var all []Engagement
	err := db.Conn(ctx, false).Order("id DESC").Find(&all).Error
	return all, err
}

// EngagementHead returns an engagement's id, name, status and tester
// (the rest left empty): what deciding on its lock and its testers
// needs. It returns ErrNotFound when there is no such engagement.
func (db *DB) EngagementHead(ctx context.Context, id int64) (Engagement, error) {
	var e Engagement
	err := db.Conn(ctx, false).Select("id", "name", "status", "tester").Take(&e, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, ErrNotFound
	}
	return e, err
}

// EngagementByID returns an engagement, or ErrNotFound.
func (db *DB) EngagementByID(ctx context.Context, id int64) (Engagement, error) {
	var e Engagement
	err := db.Conn(ctx, false).Take(&e, id).Error
	return e, notFound(err)
}

// EngagementsGrantedTo lists the engagements an auditor was granted, the
// newest first.
func (db *DB) EngagementsGrantedTo(ctx context.Context, userID int64) ([]Engagement, error) {
	var all []Engagement
	err := db.Conn(ctx, false).Order("id DESC").
		Where("id IN (SELECT engagement_id FROM engagement_auditors WHERE user_id = ?)", userID).Find(&all).Error
	return all, err
}

// CreateEngagement inserts a new engagement and sets its ID.
func (db *DB) CreateEngagement(ctx context.Context, e *Engagement) error {
	return db.Conn(ctx, true).Create(e).Error
}

// SaveEngagement writes every column of e, read in ctx, and bumps its
// version (see SaveVersion).
func (db *DB) SaveEngagement(ctx context.Context, e *Engagement, ifVersion *int64) error {
	return SaveVersion(db.Conn(ctx, true), e, ifVersion)
}

// SetSamplePolicy stores an engagement's encoded sample policy, a save of
// the engagement.
func (db *DB) SetSamplePolicy(ctx context.Context, id int64, policy string, at time.Time) error {
	return db.Conn(ctx, true).Model(&Engagement{}).Where("id = ?", id).
		Updates(map[string]any{"sample_policy": policy, "updated_at": at, "version": gorm.Expr("version + 1")}).Error
}
