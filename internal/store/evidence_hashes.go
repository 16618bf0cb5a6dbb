package store

import "context"

// EvidenceHashes lists the distinct SHA-256 names of every evidence file
// revision, deleted evidence included (its files are kept), in order.
func (db *DB) EvidenceHashes(ctx context.Context) ([]string, error) {
	var hashes []string
	err := db.R.WithContext(ctx).Model(&EvidenceFile{}).Distinct("sha256").Order("sha256").Pluck("sha256", &hashes).Error
	return hashes, err
}
