package engagement

import (
	"errors"
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
