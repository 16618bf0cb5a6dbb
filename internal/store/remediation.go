package store

import "context"

// OrganisationUserExists reports whether a user of the organisation (not
// an auditor) has this ID: who may own a remediation.
func (db *DB) OrganisationUserExists(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := db.Conn(ctx, false).Table("users").Where("id = ? AND role <> ?", id, "auditor").Count(&n).Error
	return n > 0, err
}
