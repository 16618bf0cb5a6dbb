package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SubserviceReview is a subservice organisation's own SOC report as
// reviewed for an engagement.
type SubserviceReview struct {
	ID           int64 `gorm:"primaryKey"`
	SubserviceID int64
	Report       string  // soc1, soc2
	ReportType   string  // type1, type2
	PeriodStart  *string // nil for a Type I
	// PeriodEnd is the end of the vendor's period, or a Type I's as-of date.
	PeriodEnd              string
	VendorAuditor          string
	Opinion                string // unmodified, qualified, adverse, disclaimer
	ExceptionsNoted        string
	ExceptionsRelevance    string // what the vendor's exceptions mean for us
	BridgeLetterEvidenceID *int64 // the vendor's bridge letter, an evidence item
	ReviewedBy             *int64
	ReviewedOn             string
	CreatedAt              time.Time
	Versioned
	CUECs []VendorCUEC `gorm:"foreignKey:ReviewID"`
}

func (SubserviceReview) TableName() string { return "subservice_reviews" }

// VendorCUEC is a control the subservice organisation's report expects of
// us, with the in-scope control of ours that addresses it.
type VendorCUEC struct {
	ID        int64 `gorm:"primaryKey"`
	ReviewID  int64
	Text      string
	ControlID *int64
}

func (VendorCUEC) TableName() string { return "subservice_review_cuecs" }

func vendorCUECsInOrder(db *gorm.DB) *gorm.DB { return db.Order("id") }

// ReviewsInEngagement lists the reviews of every subservice organisation
// of an engagement, the latest reviewed first.
func (db *DB) ReviewsInEngagement(ctx context.Context, engagementID int64) ([]SubserviceReview, error) {
	var reviews []SubserviceReview
	err := db.Conn(ctx, false).Preload("CUECs", vendorCUECsInOrder).
		Where("subservice_id IN (SELECT id FROM subservice_orgs WHERE engagement_id = ?)", engagementID).
		Order("reviewed_on DESC, id DESC").Find(&reviews).Error
	return reviews, err
}

// SubserviceIDsOf lists the IDs of an engagement's subservice organisations.
func (db *DB) SubserviceIDsOf(ctx context.Context, engagementID int64) ([]int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Model(&Subservice{}).Where("engagement_id = ?", engagementID).Pluck("id", &ids).Error
	return ids, err
}

// ReviewsOf lists a subservice organisation's reviews, latest first.
func (db *DB) ReviewsOf(ctx context.Context, orgID int64) ([]SubserviceReview, error) {
	reviews := []SubserviceReview{}
	err := db.Conn(ctx, false).Preload("CUECs", vendorCUECsInOrder).
		Where("subservice_id = ?", orgID).Order("reviewed_on DESC, id DESC").Find(&reviews).Error
	return reviews, err
}

// ReviewIn returns a review of an engagement's subservice organisation,
// or ErrNotFound.
func (db *DB) ReviewIn(ctx context.Context, engagementID, orgID, reviewID int64) (SubserviceReview, error) {
	var r SubserviceReview
	err := db.Conn(ctx, false).Preload("CUECs", vendorCUECsInOrder).
		Where("id = ? AND subservice_id = ? AND subservice_id IN (SELECT id FROM subservice_orgs WHERE engagement_id = ?)", reviewID, orgID, engagementID).
		Take(&r).Error
	return r, notFound(err)
}

// CreateReview stores a review with the vendor's CUECs and marks its
// organisation's review as no longer due.
func (db *DB) CreateReview(ctx context.Context, r *SubserviceReview) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Create(r).Error; err != nil { // creates the vendor's CUECs too
			return err
		}
		return tx.Model(&Subservice{}).Where("id = ?", r.SubserviceID).Update("review_due", false).Error
	})
}

// SaveReview writes a review's own row, not its CUECs (see SaveVersion).
func (db *DB) SaveReview(ctx context.Context, r *SubserviceReview, expect *int64) error {
	return SaveVersion(db.Conn(ctx, true), r, expect)
}

// ReplaceVendorCUECs replaces the vendor's CUECs recorded in a review,
// setting their IDs.
func (db *DB) ReplaceVendorCUECs(ctx context.Context, reviewID int64, cuecs []VendorCUEC) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := db.Conn(ctx, true)
		if err := tx.Delete(&VendorCUEC{}, "review_id = ?", reviewID).Error; err != nil {
			return err
		}
		for i := range cuecs {
			cuecs[i].ID, cuecs[i].ReviewID = 0, reviewID
			if err := tx.Create(&cuecs[i]).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteReview deletes a review with the vendor's CUECs recorded in it.
func (db *DB) DeleteReview(ctx context.Context, reviewID int64) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		return deleteReviews(db.Conn(ctx, true), "id = ?", reviewID)
	})
}

// deleteReviews deletes the reviews the condition picks, with their
// vendor CUECs.
func deleteReviews(tx *gorm.DB, where string, args ...any) error {
	sub := tx.Model(&SubserviceReview{}).Select("id").Where(where, args...)
	if err := tx.Where("review_id IN (?)", sub).Delete(&VendorCUEC{}).Error; err != nil {
		return err
	}
	return tx.Where(where, args...).Delete(&SubserviceReview{}).Error
}
