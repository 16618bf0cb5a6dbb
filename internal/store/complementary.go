package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CUEC is a control the user entities must operate for the criteria or
// objectives to be met.
type CUEC struct {
	ID           int64 `gorm:"primaryKey"`
	EngagementID int64
	// Number is its number in the engagement (CUEC-01): handed out once by
	// the engagement's counter, never reused after a delete.
	Number       int
	Text         string
	Requirements string // comma-separated framework/ref
	CreatedAt    time.Time
	Versioned
}

func (CUEC) TableName() string { return "cuecs" }

// Subservice is a subservice organisation, presented carve-out or
// inclusive, with the control that monitors it.
type Subservice struct {
	ID                  int64 `gorm:"primaryKey"`
	EngagementID        int64
	Name                string
	Services            string
	Method              string // carve-out, inclusive
	MonitoringControlID *int64
	// ReviewDue: carried into the next period, the organisation's SOC
	// report must be reviewed again for it.
	ReviewDue bool
	CreatedAt time.Time
	Versioned
	CSOCs []CSOC `gorm:"foreignKey:SubserviceID"`
}

func (Subservice) TableName() string { return "subservice_orgs" }

// CSOC is a control the subservice organisation must operate.
type CSOC struct {
	ID           int64 `gorm:"primaryKey"`
	SubserviceID int64
	Number       int // CSOC-01 across the engagement's subservice organisations, never reused
	Text         string
	Requirements string
	CreatedAt    time.Time
}

func (CSOC) TableName() string { return "csocs" }

// Ref is the CUEC's stable ID, CUEC-01.
func (c CUEC) Ref() string { return fmt.Sprintf("CUEC-%02d", c.Number) }

// Ref is the CSOC's stable ID, CSOC-01.
func (c CSOC) Ref() string { return fmt.Sprintf("CSOC-%02d", c.Number) }

func csocsInOrder(db *gorm.DB) *gorm.DB { return db.Order("id") }

// TakeCUECNumbers moves the engagement's CUEC counter on by n and returns
// the first of the n numbers it hands out.
func (db *DB) TakeCUECNumbers(ctx context.Context, engagementID int64, n int) (int, error) {
	return db.takeNumbers(ctx, engagementID, "cuec_seq", n)
}

// TakeCSOCNumbers moves the engagement's CSOC counter on by n and returns
// the first of the n numbers it hands out.
func (db *DB) TakeCSOCNumbers(ctx context.Context, engagementID int64, n int) (int, error) {
	return db.takeNumbers(ctx, engagementID, "csoc_seq", n)
}

// takeNumbers moves a counter on: it only grows, so a deleted item's
// number is never given to another.
func (db *DB) takeNumbers(ctx context.Context, engagementID int64, counter string, n int) (int, error) {
	var last int
	err := db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Exec("UPDATE engagements SET "+counter+" = "+counter+" + ? WHERE id = ?", n, engagementID).Error; err != nil {
			return err
		}
		return tx.Raw("SELECT "+counter+" FROM engagements WHERE id = ?", engagementID).Scan(&last).Error
	})
	return last - n + 1, err
}

// CarryCounters starts the next engagement's CUEC and CSOC counters from
// where the earlier one's stopped.
func (db *DB) CarryCounters(ctx context.Context, fromID, toID int64) error {
	return db.Conn(ctx, true).Exec("UPDATE engagements SET cuec_seq = (SELECT p.cuec_seq FROM engagements p WHERE p.id = ?), "+
		"csoc_seq = (SELECT p.csoc_seq FROM engagements p WHERE p.id = ?) WHERE id = ?", fromID, fromID, toID).Error
}

// CopyEngagementDecisions gives the next engagement the earlier one's
// objectives, manual scope decisions and not-applicable decisions.
func (db *DB) CopyEngagementDecisions(ctx context.Context, fromID, toID int64) error {
	copies := []string{
		"INSERT INTO engagement_objectives (engagement_id, requirement_id) SELECT ?, requirement_id FROM engagement_objectives WHERE engagement_id = ?",
		"INSERT INTO engagement_scope_overrides (engagement_id, control_id, included, reason) SELECT ?, control_id, included, reason FROM engagement_scope_overrides WHERE engagement_id = ?",
		"INSERT INTO engagement_applicability (engagement_id, requirement_id, reason, decided_by, decided_at) SELECT ?, requirement_id, reason, decided_by, decided_at FROM engagement_applicability WHERE engagement_id = ?",
	}
	return db.InTx(ctx, func(ctx context.Context) error {
		for _, q := range copies {
			if err := db.Conn(ctx, true).Exec(q, toID, fromID).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// ComplementaryOf lists an engagement's CUECs and its subservice
// organisations with their CSOCs, each in the order they were added.
func (db *DB) ComplementaryOf(ctx context.Context, engagementID int64) ([]CUEC, []Subservice, error) {
	q := db.Conn(ctx, false)
	var cuecs []CUEC
	if err := q.Where("engagement_id = ?", engagementID).Order("id").Find(&cuecs).Error; err != nil {
		return nil, nil, err
	}
	var subs []Subservice
	err := q.Preload("CSOCs", csocsInOrder).Where("engagement_id = ?", engagementID).Order("id").Find(&subs).Error
	return cuecs, subs, err
}

// CUECIn returns a CUEC of an engagement, or ErrNotFound.
func (db *DB) CUECIn(ctx context.Context, engagementID, cuecID int64) (CUEC, error) {
	var c CUEC
	err := db.Conn(ctx, false).Take(&c, "id = ? AND engagement_id = ?", cuecID, engagementID).Error
	return c, notFound(err)
}

// CreateCUEC stores a new CUEC, setting its ID.
func (db *DB) CreateCUEC(ctx context.Context, c *CUEC) error {
	return db.Conn(ctx, true).Create(c).Error
}

// SaveCUEC writes a CUEC (see SaveVersion).
func (db *DB) SaveCUEC(ctx context.Context, c *CUEC, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), c, expect)
}

// DeleteCUEC deletes a CUEC of an engagement, reporting whether there was one.
func (db *DB) DeleteCUEC(ctx context.Context, engagementID, cuecID int64) (bool, error) {
	res := db.Conn(ctx, true).Delete(&CUEC{}, "id = ? AND engagement_id = ?", cuecID, engagementID)
	return res.RowsAffected > 0, res.Error
}

// SubserviceIn returns a subservice organisation of an engagement with
// its CSOCs, or ErrNotFound.
func (db *DB) SubserviceIn(ctx context.Context, engagementID, orgID int64) (Subservice, error) {
	var sub Subservice
	err := db.Conn(ctx, false).Preload("CSOCs", csocsInOrder).Take(&sub, "id = ? AND engagement_id = ?", orgID, engagementID).Error
	return sub, notFound(err)
}

// CreateSubservice stores a new subservice organisation with its CSOCs,
// setting their IDs.
func (db *DB) CreateSubservice(ctx context.Context, sub *Subservice) error {
	return db.Conn(ctx, true).Create(sub).Error
}

// SaveSubservice writes a subservice organisation's own row, not its
// CSOCs (see SaveVersion).
func (db *DB) SaveSubservice(ctx context.Context, sub *Subservice, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), sub, expect)
}

// DeleteSubservice deletes a subservice organisation with its CSOCs and
// the reviews of its report, reporting whether there was one.
func (db *DB) DeleteSubservice(ctx context.Context, orgID int64) (bool, error) {
	var deleted bool
	err := db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := deleteReviews(tx, "subservice_id = ?", orgID); err != nil {
			return err
		}
		if err := tx.Delete(&CSOC{}, "subservice_id = ?", orgID).Error; err != nil {
			return err
		}
		res := tx.Delete(&Subservice{}, orgID)
		deleted = res.RowsAffected > 0
		return res.Error
	})
	return deleted, err
}
