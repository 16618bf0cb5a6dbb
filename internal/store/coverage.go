package store

import (
	"context"
)

// RequirementControl is a control in use mapped to a requirement.
type RequirementControl struct {
	RequirementID int64
	ControlID     int64
	Ref           string
	Title         string
}

// ActiveControlsMappedTo lists the controls in use (not retired) mapped to
// the requirements, by control ref.
func (db *DB) ActiveControlsMappedTo(ctx context.Context, requirementIDs []int64) ([]RequirementControl, error) {
	var out []RequirementControl
	err := db.Conn(ctx, false).Table("control_requirements AS m").Select("m.requirement_id, c.id AS control_id, c.ref, c.title").
		Joins("JOIN controls c ON c.id = m.control_id").
		Where("m.requirement_id IN ? AND "+activeControl, requirementIDs).Order("c.ref").Scan(&out).Error
	return out, err
}

// ControlEvidenceCounts is, for one control, how much of its live
// evidence is dated, current and expiring.
type ControlEvidenceCounts struct {
	ControlID int64
	N         int // live evidence linked to it
	Dated     int // of it, saying which days it speaks for
	Current   int // of the dated, not expired by the warning day
	Expiring  int // of the dated, expiring between today and the warning day
}

// evidenceDated is when evidence says which days it speaks for, as the
// engagement's occurrence windows read it (a period, an as-of date or the
// day it was collected; engagement.EvidenceDates.Span).
const evidenceDated = `((e.covers_from IS NOT NULL AND e.covers_to IS NOT NULL) OR e.as_of IS NOT NULL OR e.collected_on IS NOT NULL)`

// EvidenceCountsByControl counts, for every control with live evidence,
// its evidence as of today (YYYY-MM-DD) with warn the last day of the
// expiry warning. The database does the counting, so a large programme
// returns one row per control rather than one per evidence link.
func (db *DB) EvidenceCountsByControl(ctx context.Context, today, warn string) ([]ControlEvidenceCounts, error) {
	var out []ControlEvidenceCounts
	err := db.Conn(ctx, false).Table("evidence_controls AS ec").
		Select(`ec.control_id, COUNT(*) AS n,
			SUM(CASE WHEN `+evidenceDated+` THEN 1 ELSE 0 END) AS dated,
			SUM(CASE WHEN `+evidenceDated+` AND (e.expires_on IS NULL OR e.expires_on > ?) THEN 1 ELSE 0 END) AS current,
			SUM(CASE WHEN `+evidenceDated+` AND e.expires_on >= ? AND e.expires_on <= ? THEN 1 ELSE 0 END) AS expiring`, warn, today, warn).
		Joins("JOIN evidence e ON e.id = ec.evidence_id").Where(liveEvidence).
		Group("ec.control_id").Scan(&out).Error
	return out, err
}

// CategoriesOf lists the frameworks' categories, by framework (descending,
// so the SOC 2 categories come before the organisation's SOC 1 set) and
// their order.
func (db *DB) CategoriesOf(ctx context.Context, frameworks ...string) ([]Category, error) {
	var out []Category
	err := db.Conn(ctx, false).Where("framework_id IN ?", frameworks).Order("framework_id DESC, sort_order").Find(&out).Error
	return out, err
}

// ActiveControlsWithoutEvidence lists the controls in use with no live
// evidence, by ref.
func (db *DB) ActiveControlsWithoutEvidence(ctx context.Context) ([]ControlRef, error) {
	out := []ControlRef{}
	err := db.Conn(ctx, false).Table("controls AS c").Select("c.id, c.ref, c.title").
		Where(activeControl + " AND NOT EXISTS (SELECT 1 FROM evidence_controls ec " +
			"JOIN evidence e ON e.id = ec.evidence_id WHERE ec.control_id = c.id AND " + liveEvidence + ")").
		Order("c.ref").Scan(&out).Error
	return out, err
}

// ExpiringRow is live evidence with an expiry date.
type ExpiringRow struct {
	ID        int64
	Title     string
	ExpiresOn string
}

// EvidenceExpiringBy lists live evidence that expires on or before the
// day (YYYY-MM-DD), soonest first.
func (db *DB) EvidenceExpiringBy(ctx context.Context, day string) ([]ExpiringRow, error) {
	var out []ExpiringRow
	err := db.Conn(ctx, false).Table("evidence AS e").Select("e.id, e.title, e.expires_on").
		Where(liveEvidence+" AND e.expires_on IS NOT NULL AND e.expires_on <= ?", day).
		Order("e.expires_on, e.id").Scan(&out).Error
	return out, err
}

// CountLiveAndExpired counts the live evidence and, of it, the items whose
// expiry date is before today (YYYY-MM-DD).
func (db *DB) CountLiveAndExpired(ctx context.Context, today string) (live, expired int64, err error) {
	var n struct{ Live, Expired int64 }
	err = db.Conn(ctx, false).Table("evidence AS e").
		Select("COUNT(*) AS live, COALESCE(SUM(CASE WHEN e.expires_on < ? THEN 1 ELSE 0 END), 0) AS expired", today).
		Where(liveEvidence).Scan(&n).Error
	return n.Live, n.Expired, err
}

// OrganisationNotApplicable is the organisation's not-applicable
// decisions among the requirements.
func (db *DB) OrganisationNotApplicable(ctx context.Context, requirementIDs []int64) ([]Applicability, error) {
	var out []Applicability
	err := db.Conn(ctx, false).Where("requirement_id IN ? AND not_applicable", requirementIDs).Find(&out).Error
	return out, err
}

// EngagementNotApplicable is an engagement's not-applicable decisions
// among the requirements; ErrNotFound when there is no such engagement.
func (db *DB) EngagementNotApplicable(ctx context.Context, engagementID int64, requirementIDs []int64) ([]Applicability, error) {
	q := db.Conn(ctx, false)
	var n int64
	if err := q.Table("engagements").Where("id = ?", engagementID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	var out []Applicability
	err := q.Table("engagement_applicability").Select("requirement_id, TRUE AS not_applicable, reason").
		Where("engagement_id = ? AND requirement_id IN ?", engagementID, requirementIDs).Scan(&out).Error
	return out, err
}
