package engagement

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/store"
)

// Applicability is a criterion or objective decided not applicable to one
// engagement, with the reason, by whom and when. The decision belongs to
// the engagement: another report on the same organisation may reach a
// different one.
type Applicability struct {
	EngagementID  int64 `gorm:"primaryKey;autoIncrement:false"`
	RequirementID int64 `gorm:"primaryKey;autoIncrement:false"`
	Reason        string
	DecidedBy     *int64
	DecidedAt     time.Time
}

func (Applicability) TableName() string { return "engagement_applicability" }

// inheritApplicability starts a new engagement with the organisation-wide
// not-applicable decisions, which it may then change for itself.
func inheritApplicability(tx *gorm.DB, id int64, now time.Time) error {
	return tx.Exec("INSERT INTO engagement_applicability (engagement_id, requirement_id, reason, decided_by, decided_at) "+
		"SELECT ?, requirement_id, reason, NULL, ? FROM requirement_applicability WHERE not_applicable", id, now).Error
}

// notApplicableIn is the engagement's not-applicable requirements with
// their reasons.
func notApplicableIn(q *gorm.DB, id int64) (map[int64]string, error) {
	var rows []Applicability
	if err := q.Where("engagement_id = ?", id).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.RequirementID] = r.Reason
	}
	return out, nil
}

// NotApplicable lists the engagement's not-applicable decisions.
func (s *Service) NotApplicable(ctx context.Context, id int64) ([]Applicability, error) {
	var rows []Applicability
	err := s.db.R.WithContext(ctx).Where("engagement_id = ?", id).Order("requirement_id").Find(&rows).Error
	return rows, err
}

// requirementsOf is the query of the requirements an engagement reports
// on: the SOC 1's objectives in scope, or the SOC 2 criteria of its
// categories.
func requirementsOf(q *gorm.DB, d Detail) *gorm.DB {
	q = q.Table("requirements AS r").Select("r.*").Where("NOT r.retired")
	if d.Report == "soc1" {
		return q.Where("r.id IN (SELECT requirement_id FROM engagement_objectives WHERE engagement_id = ?)", d.ID)
	}
	return q.Where("r.framework_id = ? AND r.category IN ?", "soc2-tsc-2017", d.CategoryList())
}

// requirementIn resolves a criterion or objective the engagement reports
// on by its reference ("CC6.2", "CO-01"); any other is not found.
func (s *Service) requirementIn(q *gorm.DB, d Detail, ref string) (store.Requirement, error) {
	var r store.Requirement
	err := requirementsOf(q, d).Where("r.ref = ?", strings.TrimSpace(ref)).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, apperr.NotFound("%s is not a criterion or objective of the engagement %q", ref, d.Name)
	}
	return r, err
}

// SetNotApplicable decides that a requirement does not apply to the
// engagement, with the reason; deciding again changes the reason.
func (s *Service) SetNotApplicable(ctx context.Context, id int64, ref, reason string, userID int64) (Applicability, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Applicability{}, apperr.Invalid("say why the requirement does not apply to this engagement", map[string]string{"reason": "required"})
	case len([]rune(reason)) > 2000:
		return Applicability{}, apperr.Invalid("the reason is too long", map[string]string{"reason": "at most 2000 characters"})
	}
	return s.changeApplicability(ctx, id, ref, &Applicability{Reason: reason, DecidedBy: &userID, DecidedAt: s.now()})
}

// ClearNotApplicable makes a requirement applicable to the engagement again.
func (s *Service) ClearNotApplicable(ctx context.Context, id int64, ref string) error {
	_, err := s.changeApplicability(ctx, id, ref, nil)
	return err
}

// changeApplicability saves (a != nil) or removes the decision, audited.
func (s *Service) changeApplicability(ctx context.Context, id int64, ref string, a *Applicability) (Applicability, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return Applicability{}, err
	}
	var out Applicability
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkUnlocked(tx, id); err != nil {
			return err
		}
		r, err := s.requirementIn(tx, d, ref)
		if err != nil {
			return err
		}
		var before Applicability
		if err := tx.Where("engagement_id = ? AND requirement_id = ?", id, r.ID).Find(&before).Error; err != nil {
			return err
		}
		after := map[string]any{"not_applicable": false, "reason": ""}
		if a == nil {
			if err := tx.Where("engagement_id = ? AND requirement_id = ?", id, r.ID).Delete(&Applicability{}).Error; err != nil {
				return err
			}
		} else {
			out = *a
			out.EngagementID, out.RequirementID = id, r.ID
			if err := tx.Save(&out).Error; err != nil {
				return err
			}
			after = map[string]any{"not_applicable": true, "reason": out.Reason}
		}
		changes := auditlog.Diff(map[string]any{"not_applicable": before.RequirementID != 0, "reason": before.Reason}, after)
		if len(changes) == 0 {
			return nil
		}
		changes["requirement"] = auditlog.Change{After: r.FrameworkID + "/" + r.Ref}
		return auditlog.Append(ctx, tx, auditlog.Event{Action: "engagement.applicability", ObjectType: "engagement",
			ObjectID: fmt.Sprint(id), Changes: changes})
	})
	return out, err
}
