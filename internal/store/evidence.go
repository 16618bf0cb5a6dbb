package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// EvidenceByID returns evidence, deleted or not; ErrNotFound when there
// is none.
func (db *DB) EvidenceByID(ctx context.Context, id int64) (Evidence, error) {
	var e Evidence
	err := db.Conn(ctx, false).Take(&e, "id = ?", id).Error
	return e, notFound(err)
}

// LiveEvidenceByID returns evidence in use; ErrNotFound when there is
// none or it is deleted.
func (db *DB) LiveEvidenceByID(ctx context.Context, id int64) (Evidence, error) {
	var e Evidence
	err := db.Conn(ctx, false).Table("evidence AS e").Where("e.id = ? AND "+liveEvidence, id).Take(&e).Error
	return e, notFound(err)
}

// ControlIDsOfEvidence lists the controls evidence is linked to, by ID.
func (db *DB) ControlIDsOfEvidence(ctx context.Context, evidenceID int64) ([]int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Model(&EvidenceControl{}).Where("evidence_id = ?", evidenceID).
		Order("control_id").Pluck("control_id", &ids).Error
	return ids, err
}

// CreateEvidence inserts evidence and sets its ID.
func (db *DB) CreateEvidence(ctx context.Context, e *Evidence) error {
	return db.Conn(ctx, true).Create(e).Error
}

// SaveEvidence writes evidence back if it is still at the version read
// (or at expect, when given; see SaveVersion).
func (db *DB) SaveEvidence(ctx context.Context, e *Evidence, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), e, expect)
}

// LinkEvidence links evidence to the controls, in the order given.
func (db *DB) LinkEvidence(ctx context.Context, evidenceID int64, controls []int64) error {
	tx := db.Conn(ctx, true)
	for _, c := range controls {
		if err := tx.Create(&EvidenceControl{EvidenceID: evidenceID, ControlID: c}).Error; err != nil {
			return err
		}
	}
	return nil
}

// RelinkEvidence replaces the controls evidence is linked to.
func (db *DB) RelinkEvidence(ctx context.Context, evidenceID int64, controls []int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if err := db.Conn(ctx, true).Delete(&EvidenceControl{}, "evidence_id = ?", evidenceID).Error; err != nil {
			return err
		}
		return db.LinkEvidence(ctx, evidenceID, controls)
	})
}

// DeleteEvidence takes evidence out of use at the time given; its record,
// links and files stay, so it can be restored.
func (db *DB) DeleteEvidence(ctx context.Context, e *Evidence, at time.Time) error {
	return db.setDeleted(ctx, e, at)
}

// RestoreEvidence brings deleted evidence back into use.
func (db *DB) RestoreEvidence(ctx context.Context, e *Evidence) error {
	if err := db.setDeleted(ctx, e, nil); err != nil {
		return err
	}
	e.DeletedAt = nil
	return nil
}

func (db *DB) setDeleted(ctx context.Context, e *Evidence, at any) error {
	return db.Conn(ctx, true).Model(e).
		Updates(map[string]any{"deleted_at": at, "version": gorm.Expr("version + 1")}).Error
}

// AddEvidenceFile records the first revision of a file evidence item.
func (db *DB) AddEvidenceFile(ctx context.Context, f *EvidenceFile) error {
	return db.Conn(ctx, true).Create(f).Error
}

// AddEvidenceRevision records f as the next revision of its evidence
// (setting f.Revision) and marks the evidence updated at f.UploadedAt.
func (db *DB) AddEvidenceRevision(ctx context.Context, f *EvidenceFile) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		var last int
		if err := tx.Model(&EvidenceFile{}).Where("evidence_id = ?", f.EvidenceID).
			Select("COALESCE(MAX(revision), 0)").Scan(&last).Error; err != nil {
			return err
		}
		f.Revision = last + 1
		if err := tx.Create(f).Error; err != nil {
			return err
		}
		return tx.Model(&Evidence{}).Where("id = ?", f.EvidenceID).
			Updates(map[string]any{"updated_at": f.UploadedAt, "version": gorm.Expr("version + 1")}).Error
	})
}

// LiveEvidenceFile returns a revision (0: the latest) of live evidence's
// file; ErrNotFound when there is no such revision.
func (db *DB) LiveEvidenceFile(ctx context.Context, evidenceID int64, revision int) (EvidenceFile, error) {
	q := db.Conn(ctx, false).Table("evidence_files AS f").Select("f.*").
		Joins("JOIN evidence e ON e.id = f.evidence_id").
		Where("f.evidence_id = ? AND "+liveEvidence, evidenceID)
	if revision > 0 {
		q = q.Where("f.revision = ?", revision)
	}
	var found []EvidenceFile
	if err := q.Order("f.revision DESC").Limit(1).Scan(&found).Error; err != nil {
		return EvidenceFile{}, err
	}
	if len(found) == 0 {
		return EvidenceFile{}, ErrNotFound
	}
	return found[0], nil
}

// EvidenceFiles lists every revision of an evidence item's file, newest
// first.
func (db *DB) EvidenceFiles(ctx context.Context, evidenceID int64) ([]EvidenceFile, error) {
	out := []EvidenceFile{}
	err := db.Conn(ctx, false).Where("evidence_id = ?", evidenceID).Order("revision DESC").Find(&out).Error
	return out, err
}

// EngagementRelyingOn names the first engagement (by ID) whose
// conclusion on one of the controls (any control when controls is nil)
// relies on the evidence, and that control's reference; "" when none
// does.
func (db *DB) EngagementRelyingOn(ctx context.Context, evidenceID int64, controls []int64) (engagement, controlRef string, err error) {
	if controls != nil && len(controls) == 0 {
		return "", "", nil
	}
	var use struct {
		Name string
		Ref  string
	}
	q := db.Conn(ctx, false).Table("engagement_evidence AS ee").Select("g.name, c.ref").
		Joins("JOIN engagements g ON g.id = ee.engagement_id").Joins("JOIN controls c ON c.id = ee.control_id").
		Where("ee.evidence_id = ?", evidenceID)
	if controls != nil {
		q = q.Where("ee.control_id IN ?", controls)
	}
	err = q.Order("g.id, c.ref").Limit(1).Scan(&use).Error
	return use.Name, use.Ref, err
}
