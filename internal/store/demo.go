package store

import "context"

// These serve the demo and the large programme, which load an
// installation in bulk.

// RowsIn counts the rows of one of socmap's tables.
func (db *DB) RowsIn(ctx context.Context, table string) (int64, error) {
	var n int64
	err := db.Conn(ctx, false).Table(table).Count(&n).Error
	return n, err
}

// CountActiveAdmins counts the administrators who are not disabled.
func (db *DB) CountActiveAdmins(ctx context.Context) (int64, error) {
	var n int64
	err := db.Conn(ctx, false).Model(&User{}).Where("role = 'admin' AND disabled_at IS NULL").Count(&n).Error
	return n, err
}

// UsersInOrderCreated lists every account, oldest first.
func (db *DB) UsersInOrderCreated(ctx context.Context) ([]User, error) {
	var out []User
	err := db.Conn(ctx, false).Order("id").Find(&out).Error
	return out, err
}

// LiveEvidenceDatedBetween lists up to limit IDs of the control's live
// evidence whose last day (covers to, as of, or collected on) falls in
// [from, to], oldest record first.
func (db *DB) LiveEvidenceDatedBetween(ctx context.Context, controlID int64, from, to string, limit int) ([]int64, error) {
	var out []int64
	err := db.Conn(ctx, false).Table("evidence AS e").Joins("JOIN evidence_controls ec ON ec.evidence_id = e.id").
		Where("ec.control_id = ? AND "+liveEvidence, controlID).
		Where("COALESCE(e.covers_to, e.as_of, e.collected_on) BETWEEN ? AND ?", from, to).
		Order("e.id").Limit(limit).Pluck("e.id", &out).Error
	return out, err
}

// InsertInBatches inserts rows (a pointer to a slice of models) size at a
// time, setting their IDs; inside InTx it is part of the transaction.
func (db *DB) InsertInBatches(ctx context.Context, rows any, size int) error {
	return db.Conn(ctx, true).CreateInBatches(rows, size).Error
}

// RequirementsInCategories lists a framework's current requirements of
// the categories, in catalog order.
func (db *DB) RequirementsInCategories(ctx context.Context, frameworkID string, categories []string) ([]Requirement, error) {
	var out []Requirement
	err := db.Conn(ctx, false).Where("framework_id = ? AND category IN ? AND NOT retired", frameworkID, categories).
		Order("sort_order").Find(&out).Error
	return out, err
}

// FirstAdminID is the oldest administrator account's ID (0 when none).
func (db *DB) FirstAdminID(ctx context.Context) (int64, error) {
	var ids []int64
	err := db.Conn(ctx, false).Model(&User{}).Where("role = 'admin'").Order("id").Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
