package engagement

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store"
)

// These read inside the writes that still run in a GORM transaction of
// their own; the rest of the package reads through s.st in ctx.

func take(tx *gorm.DB, e *Engagement, id int64) error {
	err := tx.Take(e, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.NotFound("engagement %d not found", id)
	}
	return err
}

// checkUnlocked refuses a change to a locked engagement.
func checkUnlocked(tx *gorm.DB, id int64) error {
	var e Engagement
	err := tx.Select("id", "name", "status").Take(&e, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if Locked(e.Status) {
		return LockError(e.Name, e.Status)
	}
	return nil
}

// requirementIn resolves a criterion or objective the engagement reports
// on by its reference ("CC6.2", "CO-01"); any other is not found.
func (s *Service) requirementIn(q *gorm.DB, d Detail, ref string) (store.Requirement, error) {
	var r store.Requirement
	q = q.Table("requirements AS r").Select("r.*").Where("NOT r.retired")
	if d.Report == "soc1" {
		q = q.Where("r.id IN (SELECT requirement_id FROM engagement_objectives WHERE engagement_id = ?)", d.ID)
	} else {
		q = q.Where("r.framework_id = ? AND r.category IN ?", "soc2-tsc-2017", d.CategoryList())
	}
	err := q.Where("r.ref = ?", strings.TrimSpace(ref)).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, apperr.NotFound("%s is not a criterion or objective of the engagement %q", ref, d.Name)
	}
	return r, err
}

// EvidenceUse says which engagement relies on an evidence item, or "" —
// such evidence must not be deleted.
func EvidenceUse(tx *gorm.DB, evidenceID int64) string {
	return EvidenceUseFor(tx, evidenceID, nil)
}

// EvidenceUseFor says which engagement relies on an evidence item for one
// of the controls (any control when nil), or "" — such evidence must not
// be deleted nor unlinked from those controls.
func EvidenceUseFor(tx *gorm.DB, evidenceID int64, controls []int64) string {
	var use struct {
		Name string
		Ref  string
	}
	q := tx.Table("engagement_evidence AS ee").Select("e.name, c.ref").
		Joins("JOIN engagements e ON e.id = ee.engagement_id").Joins("JOIN controls c ON c.id = ee.control_id").
		Where("ee.evidence_id = ?", evidenceID)
	if controls != nil {
		if len(controls) == 0 {
			return ""
		}
		q = q.Where("ee.control_id IN ?", controls)
	}
	err := q.Order("e.id, c.ref").Limit(1).Scan(&use).Error
	if err != nil || use.Name == "" {
		return ""
	}
	return fmt.Sprintf("the engagement %q relies on it for %s", use.Name, use.Ref)
}
