package store

import "context"

// EvidenceHashes lists the distinct SHA-256 names of every file the
// evidence store holds for the database: every evidence file revision,
// deleted evidence included (its files are kept), and every attachment of
// a request's comment, in order. Backups and store moves copy these.
func (db *DB) EvidenceHashes(ctx context.Context) ([]string, error) {
	var hashes []string
	err := db.R.WithContext(ctx).Raw(`SELECT sha256 FROM evidence_files UNION SELECT sha256 FROM request_comment_files
		ORDER BY 1`).Scan(&hashes).Error
	return hashes, err
}
