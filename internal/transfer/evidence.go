package transfer

import (
	"context"
	"fmt"

	"github.com/socmap/socmap/internal/blob"
	"github.com/socmap/socmap/internal/store"
)

// EvidenceReport says what moving the evidence files did.
type EvidenceReport struct {
	Files  int // files the database names, all verified in the destination
	Copied int // of which were copied now; the others were there already
}

// MoveEvidence copies every evidence file the database names from one store
// into another, then reads each back from the destination and checks it
// against its hash, so the destination can replace the source. Files
// already in the destination are not copied again, so an interrupted move
// can be run again. The source is left as it was.
func MoveEvidence(ctx context.Context, db *store.DB, from, to blob.Store, progress func(done, total int)) (EvidenceReport, error) {
	var rep EvidenceReport
	hashes, err := db.EvidenceHashes(ctx)
	if err != nil {
		return rep, err
	}
	for i, h := range hashes {
		copied, err := blob.Copy(ctx, from, to, h)
		if err != nil {
			return rep, fmt.Errorf("evidence file %s: %w", h, err)
		}
		if copied {
			rep.Copied++
		}
		if progress != nil {
			progress(i+1, 2*len(hashes))
		}
	}
	for i, h := range hashes {
		ok, err := blob.Verify(ctx, to, h)
		if err != nil {
			return rep, fmt.Errorf("evidence file %s in %s: %w", h, to, err)
		}
		if !ok {
			return rep, fmt.Errorf("evidence file %s in %s does not match its hash", h, to)
		}
		if progress != nil {
			progress(len(hashes)+i+1, 2*len(hashes))
		}
	}
	rep.Files = len(hashes)
	return rep, nil
}
