package transfer

import (
	"context"
	"fmt"

	"github.com/socmap/socmap/internal/auditlog"
	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
)

// TableCount is how many rows a table has.
type TableCount = store.TableCount

// Report is what a copy moved and checked.
type Report struct {
	Tables        []TableCount
	EvidenceFiles int   // evidence files whose bytes match their recorded SHA-256
	AuditEntries  int64 // audit entries whose hash chain verifies in the copy
}

// Copy copies every row of a SQLite installation into a freshly migrated
// PostgreSQL database in one transaction (all or nothing), parents before
// children, then checks that every table has the same number of rows,
// that every evidence file's bytes still match its hash and that the audit
// trail's hash chain verifies in the copy. The destination must not have
// been used yet.
func Copy(ctx context.Context, src, dst *store.DB, blobs blob.Store) (Report, error) {
	var rep Report
	tables, err := store.CopySQLiteInto(ctx, src, dst)
	if err != nil {
		return rep, err
	}
	rep.Tables = tables
	if rep.EvidenceFiles, err = VerifyEvidence(ctx, dst, blobs); err != nil {
		return rep, err
	}
	if rep.AuditEntries, err = auditlog.Verify(ctx, dst); err != nil {
		return rep, fmt.Errorf("the audit trail does not verify in the copy: %w", err)
	}
	return rep, nil
}

// VerifyEvidence rehashes the stored file of every evidence revision the
// database records and reports the first that is missing or altered.
func VerifyEvidence(ctx context.Context, db *store.DB, blobs blob.Store) (int, error) {
	hashes, err := db.EvidenceHashes(ctx)
	if err != nil {
		return 0, err
	}
	for _, h := range hashes {
		ok, err := blob.Verify(ctx, blobs, h)
		if err != nil {
			return 0, fmt.Errorf("evidence file %s: %w", h, err)
		}
		if !ok {
			return 0, fmt.Errorf("evidence file %s has been altered: its bytes no longer match its hash", h)
		}
	}
	return len(hashes), nil
}
